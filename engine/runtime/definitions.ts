// definitions.ts: read calendars/cn.yaml, forms/*.yaml and workflows/*.yaml, compile them all,
// refuse to start with every error as `file:line:col`, and record each text in `definitions`
// so that an instance always runs on the version it started with.
//
// Issue 4: publishing from the studio adds rows here (with author and message); `extends` will
// be resolved before compile, so the effective definition is what gets recorded and run.

import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { parseCalendar, type Calendar } from '../calendar/index.ts';
import { compileWorkflow } from '../dsl/compile.ts';
import type { CompiledWorkflow } from '../dsl/types.ts';
import { compileForm } from '../forms/compile.ts';
import type { CompiledForm } from '../forms/types.ts';
import { LvzError } from '../errors.ts';
import { getDefinition, insertDefinition, instancesOnVersion, listDefinitions, replaceDefinitionText } from '../store/process/index.ts';
import type { Registry } from './context.ts';

export interface LoadedDefinitions {
  calendar: Calendar;
  registry: Registry;
  texts: { kind: 'workflow' | 'form' | 'calendar'; id: string; version: number; text: string }[];
}

function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort().map((f) => path.join(dir, f));
}

function rel(projectDir: string, file: string): string {
  return path.relative(projectDir, file) || file;
}

/** Compile everything under projectDir; throws one LvzError listing every problem, one per line. */
export function loadDefinitions(projectDir: string): LoadedDefinitions {
  const errors: LvzError[] = [];
  const texts: LoadedDefinitions['texts'] = [];
  const calFile = path.join(projectDir, 'calendars', 'cn.yaml');
  const calText = fs.readFileSync(calFile, 'utf8');
  const cal = parseCalendar(calText, rel(projectDir, calFile));
  if (!cal.ok) errors.push(...cal.errors);
  texts.push({ kind: 'calendar', id: 'cn', version: 1, text: calText });
  const forms = new Map<string, CompiledForm>();
  for (const file of yamlFiles(path.join(projectDir, 'forms'))) {
    const text = fs.readFileSync(file, 'utf8');
    const r = compileForm(text, rel(projectDir, file));
    if (!r.ok) { errors.push(...r.errors); continue; }
    forms.set(r.form.def.id, r.form);
    texts.push({ kind: 'form', id: r.form.def.id, version: r.form.def.version, text });
  }
  const workflows = new Map<string, CompiledWorkflow>();
  const latest = new Map<string, CompiledWorkflow>();
  for (const file of yamlFiles(path.join(projectDir, 'workflows'))) {
    const text = fs.readFileSync(file, 'utf8');
    const r = compileWorkflow(text, rel(projectDir, file), { forms });
    if (!r.ok) { errors.push(...r.errors); continue; }
    const def = r.workflow.def;
    workflows.set(`${def.id}@${def.version}`, r.workflow);
    if ((latest.get(def.id)?.def.version ?? 0) < def.version) latest.set(def.id, r.workflow);
    texts.push({ kind: 'workflow', id: def.id, version: def.version, text });
  }
  if (errors.length > 0) {
    const lines = errors.map((e) => e.format()).join('\n');
    throw new LvzError('LVZ_DSL_SCHEMA', `定义文件有 ${errors.length} 处错误，服务未启动；请逐条改正后重启：\n${lines}`, { params: { errors: errors.map((e) => e.format()) } });
  }
  return { calendar: (cal as { calendar: Calendar }).calendar, registry: { workflows, latest, forms }, texts };
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * Record each loaded text. A shipped file edited in place keeps its version: its stored text is
 * replaced while no instance uses it; once instances exist the version must be bumped.
 */
export async function recordDefinitions(db: Knex, loaded: LoadedDefinitions, now: Date): Promise<void> {
  for (const t of loaded.texts) {
    const hash = sha256(t.text);
    const row = { ...t, hash, createdAt: now.toISOString() };
    const existing = await getDefinition(db, t.kind, t.id, t.version);
    if (!existing) await insertDefinition(db, row);
    else if (existing.hash !== hash) {
      if (t.kind === 'workflow' && (await instancesOnVersion(db, t.id, t.version)) > 0) {
        throw new LvzError('LVZ_DSL_DUPLICATE_ID', `workflows/${t.id}.yaml 已修改，但第 ${t.version} 版已有办理中的件：请把 version 改为 ${t.version + 1} 再启动，原有的件仍按第 ${t.version} 版办理`, { params: { id: t.id, version: t.version } });
      }
      await replaceDefinitionText(db, row);
    }
  }
  await compileOlderVersions(db, loaded);
}

/** Versions recorded earlier but no longer in the files: compile from the stored text so their instances still run. */
async function compileOlderVersions(db: Knex, loaded: LoadedDefinitions): Promise<void> {
  for (const d of await listDefinitions(db, 'workflow')) {
    const key = `${d.id}@${d.version}`;
    if (loaded.registry.workflows.has(key)) continue;
    const r = compileWorkflow(d.text, `definitions:${key}`, { forms: loaded.registry.forms });
    if (r.ok) {
      loaded.registry.workflows.set(key, r.workflow);
      if ((loaded.registry.latest.get(d.id)?.def.version ?? 0) < d.version) loaded.registry.latest.set(d.id, r.workflow);
    }
  }
}
