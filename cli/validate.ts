// validate.ts: `lvzhi validate`: read definition files, compile them, print `file:line:col: CODE message`.
//
// With no files it checks everything shipped (directory/roles.yaml, workflows/, forms/, calendars/). With files it
// checks just those, but still reads directory/roles.yaml, forms/ and workflows/ as context, so a workflow can be
// checked alone: context definitions lend their ids and fields and are not themselves reported (a broken
// roles.yaml is, since no workflow can be checked without it).

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCalendar } from '../engine/calendar/index.ts';
import { checkAcrossFiles, compileWorkflow } from '../engine/dsl/compile.ts';
import { parentIndex, type ParentText } from '../engine/dsl/extends.ts';
import { compileRoles, ROLES_FILE, undeclaredFilterRoles, type RoleSet } from '../engine/dsl/roles.ts';
import type { CompiledWorkflow } from '../engine/dsl/types.ts';
import { LvzError } from '../engine/errors.ts';
import { compileForm } from '../engine/forms/compile.ts';
import type { CompiledForm } from '../engine/forms/types.ts';

export type DefinitionKind = 'workflow' | 'form' | 'calendar' | 'roles';

export interface Io {
  cwd: string;
  out: { write(s: string): unknown };
  err: { write(s: string): unknown };
  /** DATA_DIR / DATABASE_URL for `check --db`; process.env when absent. */
  env?: NodeJS.ProcessEnv;
}

export interface Loaded {
  file: string;
  kind: DefinitionKind;
  text: string;
}

const FOLDERS: Record<string, DefinitionKind> = { workflows: 'workflow', forms: 'form', calendars: 'calendar' };

export async function validateFiles(files: string[], io: Io): Promise<number> {
  const all = (): (Loaded | LvzError)[] => [...(existsSync(path.join(io.cwd, ROLES_FILE)) ? [load(ROLES_FILE, io.cwd)] : []), ...Object.keys(FOLDERS).flatMap((d) => loadDir(d, io.cwd))];
  const given = files.length > 0 ? files.map((f) => load(f, io.cwd)) : all();
  const errors: LvzError[] = given.filter((g): g is LvzError => g instanceof LvzError);
  const defs = given.filter((g): g is Loaded => !(g instanceof LvzError));
  const givenFiles = new Set(defs.map((d) => d.file));

  // Forms first: workflows are checked against them. Given forms win over context forms of the same id.
  const forms = new Map<string, CompiledForm>();
  for (const f of loadDir('forms', io.cwd).filter((d) => !givenFiles.has(d.file))) {
    const r = compileForm(f.text, f.file);
    if (r.ok) forms.set(r.form.def.id, r.form);
  }
  const declared = loadRoles(io.cwd, defs.find((d) => d.kind === 'roles'));
  errors.push(...declared.errors);
  const roles = declared.roles;
  for (const f of defs.filter((d) => d.kind === 'form')) {
    const r = compileForm(f.text, f.file);
    if (r.ok) forms.set(r.form.def.id, r.form);
    else errors.push(...r.errors);
    if (r.ok && roles) errors.push(...undeclaredFilterRoles(r.form, roles));
  }
  const parents = workflowIndex(defs, io.cwd);
  const workflows: CompiledWorkflow[] = [];
  for (const w of defs.filter((d) => d.kind === 'workflow')) {
    const r = compileWorkflow(w.text, w.file, { forms, parents, ...(roles && { roles }) });
    if (r.ok) workflows.push(r.workflow);
    else errors.push(...r.errors);
  }
  for (const c of defs.filter((d) => d.kind === 'calendar')) {
    const r = parseCalendar(c.text, c.file);
    if (!r.ok) errors.push(...r.errors);
  }
  errors.push(...acrossFiles(workflows, forms, parents, givenFiles, io.cwd));

  for (const line of new Set(errors.map((e) => e.format()))) io.err.write(line + '\n');
  if (errors.length > 0) return 1;
  io.out.write(`ok: ${defs.length} definitions valid\n`);
  return 0;
}

/** Duplicate ids and spawn targets, counting shipped workflows as context; only given files are reported. */
export function acrossFiles(workflows: CompiledWorkflow[], forms: Map<string, CompiledForm>, parents: Map<string, ParentText>, givenFiles: Set<string>, cwd: string): LvzError[] {
  const context = loadDir('workflows', cwd)
    .filter((d) => !givenFiles.has(d.file))
    .map((d) => compileWorkflow(d.text, d.file, { forms, parents }))
    .flatMap((r) => (r.ok ? [r.workflow] : []));
  // Context first: a duplicate is reported on the later definition, which should be the one being checked.
  return checkAcrossFiles([...context, ...workflows], { forms }).filter((e) => e.where && givenFiles.has(e.where.file));
}

/** The roles shipped with lvzhi: what a folder without its own directory/roles.yaml is checked against. */
const SHIPPED_ROLES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', ROLES_FILE);

/**
 * directory/roles.yaml (the given one, else the project's, else the shipped one), compiled. Without roles
 * (the file is broken: its errors say why) workflows are not checked against them.
 */
export function loadRoles(cwd: string, given?: Loaded): { roles?: RoleSet; errors: LvzError[] } {
  const own = path.join(cwd, ROLES_FILE);
  const file = given?.file ?? (existsSync(own) ? ROLES_FILE : SHIPPED_ROLES);
  const text = given?.text ?? readFileSync(path.resolve(cwd, file), 'utf8');
  const r = compileRoles(text, file);
  return r.ok ? { roles: r.roles, errors: [] } : { errors: r.errors };
}

/**
 * What a workflow may `extends`: every workflow in workflows/ (districts' too: a town may extend its
 * district's), with the given files winning over the shipped ones of the same id and version.
 */
export function workflowIndex(given: readonly Loaded[], cwd: string): Map<string, ParentText> {
  const givenFiles = new Set(given.map((d) => d.file));
  const shipped = loadDir('workflows', cwd).filter((d) => !givenFiles.has(d.file));
  return parentIndex([...shipped, ...given.filter((d) => d.kind === 'workflow')]);
}

/** YAML files of a folder, sorted; workflows/ also has subfolders (workflows/districts/). */
export function loadDir(dir: string, cwd: string): Loaded[] {
  const abs = path.join(cwd, dir);
  if (!existsSync(abs)) return [];
  const entries = readdirSync(abs, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  const files = entries.filter((e) => e.isFile() && /\.ya?ml$/.test(e.name)).map((e) => load(path.join(dir, e.name), cwd));
  const nested = dir.split(/[\\/]/)[0] === 'workflows' ? entries.filter((e) => e.isDirectory()).flatMap((e) => loadDir(path.join(dir, e.name), cwd)) : [];
  return [...files.filter((l): l is Loaded => !(l instanceof LvzError)), ...nested];
}

export function load(file: string, cwd: string): Loaded | LvzError {
  const where = { file, line: 1, col: 1 };
  let text: string;
  try {
    text = readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? '文件不存在' : String((e as Error).message);
    return new LvzError('LVZ_DSL_YAML_SYNTAX', `无法读取 ${file}（${why}）：请检查路径`, { where });
  }
  return { file, kind: kindOf(file, text), text };
}

/** By folder first (workflows/, forms/, calendars/), then by name (roles.yaml), then by content: `fields:` is a form, else a workflow. */
export function kindOf(file: string, text: string): DefinitionKind {
  const folders = path.normalize(file).split(path.sep).slice(0, -1);
  for (const dir of folders.reverse()) if (dir in FOLDERS) return FOLDERS[dir]!;
  if (path.basename(file) === path.basename(ROLES_FILE)) return 'roles';
  if (/^fields\s*:/m.test(text) && !/^states\s*:/m.test(text)) return 'form';
  if (/^years\s*:|^\d{4}\s*:/m.test(text) && !/^states\s*:/m.test(text)) return 'calendar';
  return 'workflow';
}
