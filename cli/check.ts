// check.ts: `lvzhi check`: model-check every workflow (or the files given) and print `file:line:col: CODE message`.
//
// On top of what `validate` checks (reachability, ways out, guards and their fields), it asks
// engine/dsl/model-check.ts whether every state can still reach an end, whether somebody in the directory
// can take every task, whether every deadline reminds or escalates, and counts the paths from start to end.
// The directory is the demo one (directory/demo/*.csv), the one a demo install starts with.

import { compileWorkflow, sortByPlace } from '../engine/dsl/compile.ts';
import { modelCheck, type Directory } from '../engine/dsl/model-check.ts';
import { roleSet } from '../engine/dsl/roles.ts';
import type { CompiledWorkflow } from '../engine/dsl/types.ts';
import { LvzError } from '../engine/errors.ts';
import { compileForm } from '../engine/forms/compile.ts';
import type { CompiledForm } from '../engine/forms/types.ts';
import { demoDirectory as demoFromFiles } from '../engine/runtime/directory/import/demo-files.ts';
import type { RoleSet } from '../engine/dsl/roles.ts';
import { acrossFiles, load, loadDir, loadRoles, workflowIndex, type Io, type Loaded } from './validate.ts';

/** The shipped demo directory (directory/demo/*.csv), read-only; its roles named by label become ids. */
export function demoDirectory(roles?: RoleSet): Directory {
  return demoFromFiles(roles);
}

export async function checkFiles(args: string[], io: Io, given?: Directory): Promise<number> {
  // --db: the install's own directory and declared roles (check-db.ts), not the demo one.
  const files = args.filter((a) => a !== '--db');
  const installed = args.includes('--db') ? await (await import('./check-db.ts')).installedDirectory(io.env ?? process.env) : undefined;
  if (installed) io.out.write(`${installed.description}\n`);
  const loaded = files.length > 0 ? files.map((f) => load(f, io.cwd)) : loadDir('workflows', io.cwd);
  const errors: LvzError[] = loaded.filter((l): l is LvzError => l instanceof LvzError);
  const defs = loaded.filter((l): l is Loaded => !(l instanceof LvzError));
  const forms = new Map<string, CompiledForm>();
  for (const f of loadDir('forms', io.cwd)) {
    const r = compileForm(f.text, f.file);
    if (r.ok) forms.set(r.form.def.id, r.form);
    else errors.push(...r.errors);
  }
  const declared = loadRoles(io.cwd);
  errors.push(...declared.errors);
  const roles = declared.roles && installed
    ? roleSet([...declared.roles.list, ...installed.declaredRoles.filter((r) => !declared.roles!.has(r.id))])
    : declared.roles;
  const directory = given ?? installed?.directory ?? demoDirectory(roles);
  const parents = workflowIndex(defs, io.cwd);
  const warnings: LvzError[] = [];
  const counted: { workflow: CompiledWorkflow; paths: number; truncated: boolean }[] = [];
  for (const d of defs) {
    const r = compileWorkflow(d.text, d.file, { forms, parents, ...(roles && { roles }) });
    if (!r.ok) {
      errors.push(...r.errors);
      continue;
    }
    const m = modelCheck(r.workflow, { forms, directory, ...(roles && { roles }), clock: () => performance.now() });
    errors.push(...m.errors);
    warnings.push(...m.warnings);
    counted.push({ workflow: r.workflow, paths: m.paths, truncated: m.truncated });
  }
  const givenFiles = new Set(defs.map((d) => d.file));
  // The folder's other workflows lend their ids (a spawn's child checked alone with its parent's file).
  errors.push(...acrossFiles(counted.map((c) => c.workflow), forms, parents, givenFiles, io.cwd));

  for (const line of new Set(sortByPlace(warnings).map((e) => `warning: ${e.format()}`))) io.err.write(line + '\n');
  for (const line of new Set(sortByPlace(errors).map((e) => e.format()))) io.err.write(line + '\n');
  for (const c of counted) {
    const { id, version } = c.workflow.def;
    io.out.write(`${c.workflow.source.file}: ${id}@${version}: ${c.truncated ? 'at least ' : ''}${c.paths} paths to an end\n`);
  }
  if (errors.length > 0) return 1;
  const total = counted.reduce((n, c) => n + c.paths, 0);
  io.out.write(`ok: ${counted.length} workflows checked, ${total} paths to an end\n`);
  return 0;
}
