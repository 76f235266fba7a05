// publish.ts: a new version N+1 of a workflow or form, with author, time and message; every earlier
// text is kept. The editor sends the version it started from: if another publish came first the
// whole thing is refused with LVZ_RUN_CONFLICT and nothing is written (the unique index on
// kind+id+version is the last line of defence on PostgreSQL, where two transactions can both read N).
// A text with any error (YAML, schema, semantic checks, model check, a district's override conflict)
// is refused with LVZ_DSL_INVALID and the list of errors.

import { createHash } from 'node:crypto';
import { LvzError } from '../../errors.ts';
import type { CompiledForm } from '../../forms/types.ts';
import type { CompiledWorkflow } from '../../dsl/types.ts';
import {
  deleteDraft, deleteStub, getDraft, getStub, insertDefinition, isUniqueViolation, latestDefinition, saveDraftRow, writeTx, type DefinitionRow,
} from '../../store/process/index.ts';
import type { RuntimeContext } from '../runtime-context.ts';
import type { Actor } from '../../model/actor.ts';
import { ensurePlainText } from '../load.ts';
import { ensureAdmin, ensureCanEdit, orgTree, type OrgTree } from './access.ts';
import { compileWorkflow } from '../../dsl/compile.ts';
import { compileForm } from '../../forms/compile.ts';
import { fileOf, studioContext } from './check.ts';
import { checkJob, checkPool } from './check-pool.ts';
import { districtStatus, extendersOf } from './districts.ts';
import { installForm, installWorkflow, refreshRegistry } from './registry.ts';
import type { CheckResult, PublishInput, PublishResult, StudioKind } from './types.ts';
import { refuseChange } from '../advance.ts';

const MAX_TEXT = 512 * 1024;
const MAX_MESSAGE = 500;

/** Set the top-level `version:` to n, keeping the line's comment: the editor's text says N, the new version is N+1. */
export function withVersion(text: string, n: number): string {
  return text.replace(/^version:[ \t]*[^\s#]*([ \t]*#.*)?$/m, (_m, comment: string | undefined) => `version: ${n}${comment ?? ''}`);
}

export function conflictError(latest: number, base: number): LvzError {
  return new LvzError('LVZ_RUN_CONFLICT', `您编辑的是第 ${base} 版，但其他管理员已发布了第 ${latest} 版：请先查看差异（第 ${base} 版 → 第 ${latest} 版），在最新版本上修改后再发布；您的内容可先保存为草稿`, { params: { latest, base } });
}

/** The newest stored row, or NOT_FOUND; LVZ_AUTH_FORBIDDEN unless the actor may edit it. */
export async function editableRow(rc: RuntimeContext, actor: Actor, kind: StudioKind, id: string, orgs: OrgTree): Promise<DefinitionRow> {
  ensureAdmin(actor);
  const row = (await latestDefinition(rc.db, kind, id)) ?? (await stubBase(rc, kind, id));
  if (!row) throw new LvzError('LVZ_RUN_NOT_FOUND', `没有找到${kind === 'form' ? '表单' : '流程'}“${id}”：请从流程定义列表进入`, { params: { kind, id } });
  ensureCanEdit(actor, row.owner, orgs, titleOf(row));
  return row;
}

/** A definition created in the studio and not yet published stands as version 0 of the city (new-definition.ts). */
async function stubBase(rc: RuntimeContext, kind: StudioKind, id: string): Promise<DefinitionRow | undefined> {
  const stub = await getStub(rc.db, kind, id);
  return stub && { kind, id, version: 0, text: stub.text, hash: '', createdAt: stub.createdAt, authorId: stub.authorId, owner: null };
}

export function titleOf(row: DefinitionRow): string {
  return /^title:[ \t]*(.+)$/m.exec(row.sourceText ?? row.text)?.[1]?.trim().replace(/^['"]|['"]$/g, '') ?? row.id;
}

interface Checked {
  result: CheckResult;
  workflow?: CompiledWorkflow;
  form?: CompiledForm;
}

/**
 * The full check runs in the studio's worker pool (bounded in time and heap, check-pool.ts); only a text it
 * passed is compiled again here, to install it: compiling alone is bounded by the expression and YAML limits.
 */
async function checkText(rc: RuntimeContext, kind: StudioKind, id: string, text: string): Promise<Checked> {
  await refreshRegistry(rc); // the forms another process published (a new workflow's record form)
  const result = await checkPool().run(await checkJob(rc, kind, id, text));
  if (!result.ok) return { result };
  const file = fileOf(kind, id);
  if (kind === 'form') {
    const r = compileForm(text, file);
    return r.ok ? { result, form: r.form } : { result: { ...result, ok: false } };
  }
  const ctx = await studioContext(rc);
  const r = compileWorkflow(text, file, { forms: ctx.forms, parents: ctx.parents, roles: ctx.roles });
  return r.ok ? { result, workflow: r.workflow } : { result: { ...result, ok: false } };
}

export function invalid(result: CheckResult): LvzError {
  const n = result.errors.length;
  return new LvzError('LVZ_DSL_INVALID', `定义有 ${n} 处错误，未发布：请按列表逐条改正（点击错误可跳到对应行），检查通过后再发布`, { params: { errors: result.errors } });
}

export async function publish(rc: RuntimeContext, actor: Actor, kind: StudioKind, id: string, input: PublishInput): Promise<PublishResult> {
  const orgs = await orgTree(rc.db);
  const base = await editableRow(rc, actor, kind, id, orgs);
  // What PostgreSQL could not store and SQLite would: refused alike, before anything is compiled.
  ensurePlainText(input.message, '发布说明', 'message');
  ensurePlainText(input.text, '定义内容', 'text');
  const message = String(input.message ?? '').trim();
  if (!message || message.length > MAX_MESSAGE) throw new LvzError('LVZ_RUN_BAD_REQUEST', `请填写发布说明（不超过 ${MAX_MESSAGE} 字），说明这一版改了什么、为什么改`, {});
  if (typeof input.text !== 'string' || input.text.length > MAX_TEXT) throw new LvzError('LVZ_RUN_BAD_REQUEST', '定义内容过长或为空', {});
  if (base.version !== input.baseVersion) throw conflictError(base.version, input.baseVersion);
  const version = base.version + 1;
  const text = withVersion(input.text, version);
  const checked = await checkText(rc, kind, id, text);
  if (!checked.result.ok) throw invalid(checked.result);
  const def = checked.workflow?.def;
  if (def?.owner !== (base.owner ?? undefined)) ensureCanEdit(actor, def?.owner, orgs, def?.title ?? id);
  const stored = def?.parent ? checked.result.effectiveText! : text;
  const row: DefinitionRow = {
    kind, id, version, text: stored, hash: createHash('sha256').update(stored).digest('hex'), createdAt: rc.now().toISOString(),
    authorId: actor.userId, message, owner: def?.owner ?? base.owner ?? null,
    sourceText: def?.parent ? text : null, parentId: def?.parent?.id ?? null, parentVersion: def?.parent?.version ?? null,
  };
  await writeTx(rc.db, async (tx) => {
    const cur = await latestDefinition(tx, kind, id);
    if (cur && cur.version !== input.baseVersion) throw conflictError(cur.version, input.baseVersion);
    // A construct's frozen rows refuse a new version under them (an open ballot: docs/ballots.md).
    if (kind === 'workflow') await refuseChange(tx, { workflowId: id }, '发布新版本');
    try {
      await insertDefinition(tx, row);
    } catch (e) {
      if (isUniqueViolation(e)) throw conflictError(version, input.baseVersion);
      throw e;
    }
    await deleteDraft(tx, kind, id, actor.userId);
    if (base.version === 0) await deleteStub(tx, kind, id); // its first version: no longer a stub
  });
  if (checked.workflow) installWorkflow(rc, checked.workflow);
  if (checked.form) installForm(rc, checked.form);
  return { kind, id, version, districts: kind === 'workflow' && !def?.parent ? await districtStatuses(rc, id, orgs) : [] };
}

/** After a city version: each district extending the city's workflow, and whether its overrides still apply. */
export async function districtStatuses(rc: RuntimeContext, cityId: string, orgs?: OrgTree) {
  const ctx = await studioContext(rc);
  const tree = orgs ?? (await orgTree(rc.db));
  return extendersOf(ctx, cityId).map((row) => districtStatus(ctx, row, tree));
}

export async function saveDraft(rc: RuntimeContext, actor: Actor, kind: StudioKind, id: string, input: { text: string; baseVersion: number }): Promise<void> {
  const orgs = await orgTree(rc.db);
  await editableRow(rc, actor, kind, id, orgs);
  if (typeof input.text !== 'string' || input.text.length > MAX_TEXT) throw new LvzError('LVZ_RUN_BAD_REQUEST', '定义内容过长或为空', {});
  await saveDraftRow(rc.db, { kind, id, authorId: actor.userId, text: input.text, baseVersion: input.baseVersion, updatedAt: rc.now().toISOString() });
}

export async function discardDraft(rc: RuntimeContext, actor: Actor, kind: StudioKind, id: string): Promise<void> {
  ensureAdmin(actor);
  await deleteDraft(rc.db, kind, id, actor.userId);
}

export { getDraft };
