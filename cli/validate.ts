// validate.ts: `lvzhi validate`: read definition files, compile them, print `file:line:col: CODE message`.
//
// With no files it checks everything shipped (workflows/, forms/, calendars/). With files it
// checks just those, but still reads forms/ and workflows/ as context, so a workflow can be
// checked alone: context definitions lend their ids and fields and are not themselves reported.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseCalendar } from '../engine/calendar/index.ts';
import { checkAcrossFiles, compileWorkflow } from '../engine/dsl/compile.ts';
import type { CompiledWorkflow } from '../engine/dsl/types.ts';
import { LvzError } from '../engine/errors.ts';
import { compileForm } from '../engine/forms/compile.ts';
import type { CompiledForm } from '../engine/forms/types.ts';

export type DefinitionKind = 'workflow' | 'form' | 'calendar';

interface Io {
  cwd: string;
  out: { write(s: string): unknown };
  err: { write(s: string): unknown };
}

interface Loaded {
  file: string;
  kind: DefinitionKind;
  text: string;
}

const FOLDERS: Record<string, DefinitionKind> = { workflows: 'workflow', forms: 'form', calendars: 'calendar' };

export async function validateFiles(files: string[], io: Io): Promise<number> {
  const given = files.length > 0 ? files.map((f) => load(f, io.cwd)) : Object.keys(FOLDERS).flatMap((d) => loadDir(d, io.cwd));
  const errors: LvzError[] = given.filter((g): g is LvzError => g instanceof LvzError);
  const defs = given.filter((g): g is Loaded => !(g instanceof LvzError));
  const givenFiles = new Set(defs.map((d) => d.file));

  // Forms first: workflows are checked against them. Given forms win over context forms of the same id.
  const forms = new Map<string, CompiledForm>();
  for (const f of loadDir('forms', io.cwd).filter((d) => !givenFiles.has(d.file))) {
    const r = compileForm(f.text, f.file);
    if (r.ok) forms.set(r.form.def.id, r.form);
  }
  for (const f of defs.filter((d) => d.kind === 'form')) {
    const r = compileForm(f.text, f.file);
    if (r.ok) forms.set(r.form.def.id, r.form);
    else errors.push(...r.errors);
  }
  const workflows: CompiledWorkflow[] = [];
  for (const w of defs.filter((d) => d.kind === 'workflow')) {
    const r = compileWorkflow(w.text, w.file, { forms });
    if (r.ok) workflows.push(r.workflow);
    else errors.push(...r.errors);
  }
  for (const c of defs.filter((d) => d.kind === 'calendar')) {
    const r = parseCalendar(c.text, c.file);
    if (!r.ok) errors.push(...r.errors);
  }
  errors.push(...acrossFiles(workflows, forms, givenFiles, io.cwd));

  for (const e of errors) io.err.write(e.format() + '\n');
  if (errors.length > 0) return 1;
  io.out.write(`ok: ${defs.length} definitions valid\n`);
  return 0;
}

/** Duplicate ids and spawn targets, counting shipped workflows as context; only given files are reported. */
function acrossFiles(workflows: CompiledWorkflow[], forms: Map<string, CompiledForm>, givenFiles: Set<string>, cwd: string): LvzError[] {
  const context = loadDir('workflows', cwd)
    .filter((d) => !givenFiles.has(d.file))
    .map((d) => compileWorkflow(d.text, d.file, { forms }))
    .flatMap((r) => (r.ok ? [r.workflow] : []));
  // Context first: a duplicate is reported on the later definition, which should be the one being checked.
  return checkAcrossFiles([...context, ...workflows], { forms }).filter((e) => e.where && givenFiles.has(e.where.file));
}

function loadDir(dir: string, cwd: string): Loaded[] {
  const abs = path.join(cwd, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => load(path.join(dir, f), cwd))
    .filter((l): l is Loaded => !(l instanceof LvzError));
}

function load(file: string, cwd: string): Loaded | LvzError {
  const where = { file, line: 1, col: 1 };
  let text: string;
  try {
    text = readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((e as Error).message);
    return new LvzError('LVZ_DSL_YAML_SYNTAX', `cannot read ${file} (${why}): check the path`, { where });
  }
  return { file, kind: kindOf(file, text), text };
}

/** By folder first (workflows/, forms/, calendars/), then by content: `fields:` is a form, else a workflow. */
export function kindOf(file: string, text: string): DefinitionKind {
  const folders = path.normalize(file).split(path.sep).slice(0, -1);
  for (const dir of folders.reverse()) if (dir in FOLDERS) return FOLDERS[dir]!;
  if (/^fields\s*:/m.test(text) && !/^states\s*:/m.test(text)) return 'form';
  if (/^years\s*:|^\d{4}\s*:/m.test(text) && !/^states\s*:/m.test(text)) return 'calendar';
  return 'workflow';
}
