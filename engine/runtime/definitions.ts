// definitions.ts: read calendars/cn.yaml, forms/*.yaml and workflows/*.yaml, compile them all,
// refuse to start with every error as `file:line:col`, and record each text in `definitions`
// so that an instance always runs on the version it started with.
//
// Issue 4: publishing from the studio adds rows (engine/runtime/authoring/publish.ts); a district's file
// (workflows/districts/) is resolved against the city's before compile, and its effective text is
// what gets recorded and run (its own text is kept beside it as source_text).

import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { parseCalendar, type Calendar, type CalendarYear } from '../calendar/index.ts';
import { compileWorkflow } from '../dsl/compile.ts';
import { compileRoles, roleSet, ROLES_FILE, undeclaredFilterRoles, type RoleSet } from '../dsl/roles.ts';
import { effectiveText, parentIndex } from '../dsl/extends.ts';
import type { CompiledWorkflow } from '../dsl/types.ts';
import { compileForm } from '../forms/compile.ts';
import type { CompiledForm } from '../forms/types.ts';
import { LvzError } from '../errors.ts';
import { getDefinition, insertDefinition, instancesOnVersion, listDefinitions, replaceDefinitionText, type DefinitionRow } from '../store/process/index.ts';
import type { Registry } from './runtime-context.ts';

export interface LoadedDefinitions {
  calendar: Calendar;
  calendarYears: CalendarYear[];
  registry: Registry;
  texts: {
    kind: 'workflow' | 'form' | 'calendar'; id: string; version: number; text: string;
    /** A district's file (with `extends:`), when `text` is its effective definition. */
    sourceText?: string; owner?: string; parent?: { id: string; version: number };
  }[];
}

/** YAML files of a folder, sorted; with `nested`, its subfolders too (workflows/districts/). */
function yamlFiles(dir: string, nested = false): string[] {
  if (!fs.existsSync(dir)) return [];
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  const files = entries.filter((e) => e.isFile() && /\.ya?ml$/.test(e.name)).map((e) => path.join(dir, e.name));
  const sub = nested ? entries.filter((e) => e.isDirectory()).flatMap((e) => yamlFiles(path.join(dir, e.name), true)) : [];
  return [...files, ...sub];
}

/**
 * directory/roles.yaml of the project, compiled; its errors join the others. A project folder without
 * one (the test suite's small projects) uses the roles shipped with lvzhi, under `shippedDir`.
 */
export function loadRoles(projectDir: string, errors: LvzError[], shippedDir = projectDir): RoleSet {
  const own = path.join(projectDir, ROLES_FILE);
  const file = fs.existsSync(own) ? own : path.join(shippedDir, ROLES_FILE);
  const r = compileRoles(fs.readFileSync(file, 'utf8'), rel(projectDir, file));
  if (r.ok) return r.roles;
  errors.push(...r.errors);
  return roleSet([]);
}

function rel(projectDir: string, file: string): string {
  return path.relative(projectDir, file) || file;
}

/** Compile everything under projectDir; throws one LvzError listing every problem, one per line. */
export function loadDefinitions(projectDir: string, shippedDir = projectDir): LoadedDefinitions {
  const errors: LvzError[] = [];
  const texts: LoadedDefinitions['texts'] = [];
  const calFile = path.join(projectDir, 'calendars', 'cn.yaml');
  const calText = fs.readFileSync(calFile, 'utf8');
  const cal = parseCalendar(calText, rel(projectDir, calFile));
  if (!cal.ok) errors.push(...cal.errors);
  texts.push({ kind: 'calendar', id: 'cn', version: 1, text: calText });
  const roles = loadRoles(projectDir, errors, shippedDir);
  const forms = new Map<string, CompiledForm>();
  for (const file of yamlFiles(path.join(projectDir, 'forms'))) {
    const text = fs.readFileSync(file, 'utf8');
    const r = compileForm(text, rel(projectDir, file));
    if (!r.ok) { errors.push(...r.errors); continue; }
    errors.push(...undeclaredFilterRoles(r.form, roles));
    forms.set(r.form.def.id, r.form);
    texts.push({ kind: 'form', id: r.form.def.id, version: r.form.def.version, text });
  }
  const workflows = new Map<string, CompiledWorkflow>();
  const latest = new Map<string, CompiledWorkflow>();
  // Districts' files (workflows/districts/) extend the city's: the effective definition is what is recorded and run.
  const files = yamlFiles(path.join(projectDir, 'workflows'), true).map((f) => ({ file: rel(projectDir, f), text: fs.readFileSync(f, 'utf8') }));
  const parents = parentIndex(files);
  for (const { file, text } of files) {
    const r = compileWorkflow(text, file, { forms, parents, roles });
    if (!r.ok) { errors.push(...r.errors); continue; }
    const def = r.workflow.def;
    workflows.set(`${def.id}@${def.version}`, r.workflow);
    if ((latest.get(def.id)?.def.version ?? 0) < def.version) latest.set(def.id, r.workflow);
    const own = { ...(def.owner && { owner: def.owner }) };
    if (def.parent) texts.push({ kind: 'workflow', id: def.id, version: def.version, text: effectiveText(r.workflow.source, def.parent), sourceText: text, parent: def.parent, ...own });
    else texts.push({ kind: 'workflow', id: def.id, version: def.version, text, ...own });
  }
  if (errors.length > 0) {
    const lines = errors.map((e) => e.format()).join('\n');
    throw new LvzError('LVZ_DSL_SCHEMA', `定义文件有 ${errors.length} 处错误，服务未启动；请逐条改正后重启：\n${lines}`, { params: { errors: errors.map((e) => e.format()) } });
  }
  const { calendar, years } = cal as Extract<typeof cal, { ok: true }>;
  return { calendar, calendarYears: years, registry: { workflows, latest, forms, roles, shippedRoles: roles, unloadable: new Map() }, texts };
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * Record each loaded text. A shipped file edited in place keeps its version: its stored text is
 * replaced while no instance uses it; once instances exist the version must be bumped.
 */
export async function recordDefinitions(db: Knex, loaded: LoadedDefinitions, now: Date): Promise<void> {
  for (const t of loaded.texts) {
    const hash = sha256(t.text);
    const row = {
      kind: t.kind, id: t.id, version: t.version, text: t.text, hash, createdAt: now.toISOString(),
      owner: t.owner ?? null, sourceText: t.sourceText ?? null, parentId: t.parent?.id ?? null, parentVersion: t.parent?.version ?? null,
    };
    const existing = await getDefinition(db, t.kind, t.id, t.version);
    if (!existing) await insertDefinition(db, row);
    // A version published in the studio is never overwritten by a shipped file of the same number.
    else if (existing.authorId) continue;
    else if (existing.hash !== hash) {
      if (t.kind === 'workflow' && (await instancesOnVersion(db, t.id, t.version)) > 0) {
        throw new LvzError('LVZ_DSL_DUPLICATE_ID', `workflows/${t.id}.yaml 已修改，但第 ${t.version} 版已有办理中的件：请把 version 改为 ${t.version + 1} 再启动，原有的件仍按第 ${t.version} 版办理`, { params: { id: t.id, version: t.version } });
      }
      await replaceDefinitionText(db, row);
    }
  }
  await applyPublished(db, loaded);
}

/**
 * What the database holds beyond the files: versions published in the studio (newer, or a shipped
 * number the studio took first) and versions no longer in the files, compiled from the stored text
 * so their instances still run. Forms first: one version of a form runs (the newest), and the
 * workflows are checked against it.
 */
export async function applyPublished(db: Knex, loaded: LoadedDefinitions): Promise<void> {
  const fileHash = new Map(loaded.texts.map((t) => [`${t.kind}:${t.id}@${t.version}`, sha256(t.text)]));
  const newestForm = new Map<string, DefinitionRow>();
  for (const d of await listDefinitions(db, 'form')) newestForm.set(d.id, d); // ordered by version: the last is the newest
  for (const d of newestForm.values()) {
    const cur = loaded.registry.forms.get(d.id);
    if (cur && (cur.def.version > d.version || fileHash.get(`form:${d.id}@${d.version}`) === d.hash)) continue;
    const r = compileForm(d.text, `definitions:${d.id}@${d.version}`);
    if (r.ok) loaded.registry.forms.set(d.id, r.form);
    else noteUnloadable(loaded.registry, 'form', `${d.id}@${d.version}`, r.errors);
  }
  for (const d of await listDefinitions(db, 'workflow')) {
    const key = `${d.id}@${d.version}`;
    if (loaded.registry.workflows.has(key) && fileHash.get(`workflow:${key}`) === d.hash) continue;
    const r = compileWorkflow(d.text, `definitions:${key}`, { forms: loaded.registry.forms });
    if (!r.ok) {
      noteUnloadable(loaded.registry, 'workflow', key, r.errors);
      continue;
    }
    loaded.registry.workflows.set(key, r.workflow);
    if ((loaded.registry.latest.get(d.id)?.def.version ?? 0) <= d.version) loaded.registry.latest.set(d.id, r.workflow);
  }
}

/** A stored version that no longer compiles: kept for the start-up notice (engine.warnings), never thrown. */
export function noteUnloadable(registry: Registry, kind: 'workflow' | 'form', key: string, errors: readonly LvzError[]): void {
  const first = errors[0];
  const at = first?.where ? `${first.where.line}:${first.where.col} ` : '';
  const message = first?.message ?? '';
  // A console line for the operator: an expression in the message can be 2,000 characters long.
  registry.unloadable.set(`${kind}:${key}`, `${at}${first?.code ?? ''} ${message.length > 160 ? `${message.slice(0, 160)}…` : message}`.trim());
}

/** What an operator must know at start-up about stored versions that could not be loaded. */
export function unloadableWarnings(registry: Registry): string[] {
  return [...registry.unloadable].map(([key, error]) => {
    const [kind, id] = key.split(':') as [string, string];
    return `已发布的${kind === 'form' ? '表单' : '流程'} ${id} 不再通过检查，未加载（${error}）：按此版本在办的件暂不能办理。` +
      '请在流程定义管理中按提示修改并发布新版本，再把在办的件迁移到新版本（见 docs/deploy.md 的 Expressions and checks）';
  });
}
