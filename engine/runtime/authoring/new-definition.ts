// new-definition.ts: 新建流程 and 新建表单 in the studio. A new definition starts as a stub (its text in
// definition_stubs, shown only in the studio) that the admin edits, checks and publishes as version 1
// through the ordinary editor (publish.ts). A new workflow's record form is published as version 1 at
// once, in the same transaction, because the workflow cannot be checked without it and a form alone
// starts nothing. Only the city's admins create: a district customises a city process with extends.

import { createHash } from 'node:crypto';
import { LvzError } from '../../errors.ts';
import { compileForm } from '../../forms/compile.ts';
import type { CompiledForm } from '../../forms/types.ts';
import {
  insertAudit, insertDefinition, insertStub, isIdTaken, lockNewId, isUniqueViolation, latestDefinition, listDefinitions, writeTx, type DefinitionRow,
} from '../../store/process/index.ts';
import type { RuntimeContext } from '../runtime-context.ts';
import { onceIn } from '../idempotency.ts';
import type { Actor } from '../../model/actor.ts';
import type { Once } from '../idempotency.ts';
import { ensureAdmin, orgTree } from './access.ts';
import { scalar } from './create.ts';
import { blankForm, blankWorkflow, copiedText } from './new-texts.ts';
import { titleOf } from './publish.ts';
import { installForm } from './registry.ts';
import type { NewDefinitionInput, StudioKind } from './types.ts';

const ID = /^[a-z][a-z0-9_-]*$/;
const MAX_ID = 64;
const MAX_TITLE = 100;

const what = (kind: StudioKind): string => (kind === 'form' ? '表单' : '流程');

/** Only an admin of the city's own organisations creates processes (docs/studio.md, "New processes"). */
export async function ensureCityAdmin(rc: RuntimeContext, actor: Actor, action: string): Promise<void> {
  ensureAdmin(actor);
  const orgs = await orgTree(rc.db);
  const mine = orgs.districtOf(actor.orgId);
  if (mine === undefined) return;
  throw new LvzError('LVZ_AUTH_FORBIDDEN',
    `您是${orgs.name(mine)}的管理员，不能${action}：新的流程和表单由市人大常委会的管理员创建；本区需要不同的办理方式时，请在市里流程的“各区定制”页为本区创建定制`,
    { params: { district: mine } });
}

export function validateNewId(id: unknown): string {
  const s = typeof id === 'string' ? id.trim() : '';
  if (!s || s.length > MAX_ID || !ID.test(s)) {
    throw new LvzError('LVZ_RUN_ID_INVALID',
      `标识“${s.slice(0, MAX_ID)}”不可用：须以小写英文字母开头，只含小写英文字母、数字、连字符（-）和下划线（_），不超过 ${MAX_ID} 个字符，例如 liaison-visit`,
      { params: { id: s } });
  }
  return s;
}

function validateTitle(title: unknown): string {
  const s = typeof title === 'string' ? title.trim() : '';
  if (!s || s.length > MAX_TITLE || /[\r\n]/.test(s)) {
    throw new LvzError('LVZ_RUN_BAD_REQUEST', `请填写名称（一行，不超过 ${MAX_TITLE} 个字），例如“民情联络站意见转办”`, { params: { field: 'title' } });
  }
  return s;
}

export function idTaken(id: string): LvzError {
  return new LvzError('LVZ_RUN_ID_TAKEN', `标识“${id}”已被一个流程或表单使用：请换一个标识（例如在后面加上 -2 或单位简称）`, { params: { id } });
}

interface Prepared {
  stub: { kind: StudioKind; text: string };
  /** A new workflow's record form, published as version 1 with the stub. */
  form?: { text: string; compiled: CompiledForm };
  note: string;
}

async function sourceRow(rc: RuntimeContext, kind: StudioKind, from: string): Promise<DefinitionRow> {
  const row = await latestDefinition(rc.db, kind, from);
  if (row) return row;
  throw new LvzError('LVZ_RUN_BAD_REQUEST', `没有找到要复制的${what(kind)}“${from}”：请从列表中选择一个已发布的${what(kind)}`, { params: { field: 'from', from } });
}

function formOf(text: string, id: string): { text: string; compiled: CompiledForm } {
  const r = compileForm(text, `forms/${id}.yaml`);
  if (!r.ok) {
    throw new LvzError('LVZ_DSL_INVALID', `要复制的表单有 ${r.errors.length} 处错误，未创建：请先在表单的编辑页改正`, { params: { errors: r.errors.map((e) => e.format()) } });
  }
  return { text, compiled: r.form };
}

/** The texts a new definition starts from: a blank skeleton, or a copy renamed to the new id. */
async function prepare(rc: RuntimeContext, kind: StudioKind, id: string, title: string, from: string | undefined): Promise<Prepared> {
  const t = scalar(title);
  if (!from) {
    if (kind === 'form') return { stub: { kind, text: blankForm(id, t) }, note: '空白表单' };
    return { stub: { kind, text: blankWorkflow(id, t) }, form: formOf(blankForm(id, t), id), note: '空白流程' };
  }
  const src = await sourceRow(rc, kind, from);
  const note = `复制自“${from}”第 ${src.version} 版`;
  if (kind === 'form') return { stub: { kind, text: copiedText(src.text, { id, title: t, note }) }, note };
  const recordId = /^record:[ \t]*([^\s#]+)/m.exec(src.text)?.[1];
  const record = recordId ? await latestDefinition(rc.db, 'form', recordId) : undefined;
  if (!record) throw new LvzError('LVZ_RUN_BAD_REQUEST', `“${from}”的记录表单“${recordId ?? ''}”不存在，无法复制：请选择其他流程`, { params: { field: 'from', from } });
  const formText = copiedText(record.text, { id, title: t, note: `复制自表单“${record.id}”第 ${record.version} 版` });
  return { stub: { kind, text: copiedText(src.text, { id, title: t, note, record: id }) }, form: formOf(formText, id), note };
}

/**
 * Creates the stub (and a new workflow's form). A second click of the same page (its `_once` key)
 * gets the first answer again; without a key a taken id is LVZ_RUN_ID_TAKEN. One transaction: all or nothing.
 */
export async function createDefinition(rc: RuntimeContext, actor: Actor, input: NewDefinitionInput, once?: Once): Promise<{ kind: StudioKind; id: string; replayed?: boolean }> {
  await ensureCityAdmin(rc, actor, `新建${what(input.kind)}`);
  const kind = input.kind;
  const id = validateNewId(input.id);
  const title = validateTitle(input.title);
  const from = typeof input.from === 'string' && input.from.trim() ? input.from.trim() : undefined;
  const p = await prepare(rc, kind, id, title, from);
  const now = rc.now().toISOString();
  const result = await writeTx(rc.db, (tx) => onceIn(rc, tx, actor, once, 'studio.create', async () => {
    await lockNewId(tx, id);
    if (await isIdTaken(tx, id)) throw idTaken(id);
    try {
      if (p.form) {
        await insertDefinition(tx, {
          kind: 'form', id, version: 1, text: p.form.text, hash: createHash('sha256').update(p.form.text).digest('hex'), createdAt: now,
          authorId: actor.userId, message: `新建流程“${title}”时创建（${p.note}）`, owner: null, sourceText: null, parentId: null, parentVersion: null,
        });
      }
      await insertStub(tx, { kind, id, text: p.stub.text, title, sourceId: from ?? null, authorId: actor.userId, createdAt: now });
    } catch (e) {
      if (isUniqueViolation(e)) throw idTaken(id);
      throw e;
    }
    await insertAudit(tx, { kind, id, action: 'create', actorId: actor.userId, at: now, note: p.note });
    return { kind, id };
  }));
  if (p.form) installForm(rc, p.form.compiled);
  return result;
}

/** What a new definition may be copied from: every published one of the kind, newest version (city admins only). */
export async function newSources(rc: RuntimeContext, actor: Actor, kind: StudioKind): Promise<{ id: string; title: string; version: number }[]> {
  await ensureCityAdmin(rc, actor, `新建${what(kind)}`);
  const latest = new Map<string, DefinitionRow>();
  for (const r of await listDefinitions(rc.db, kind)) latest.set(r.id, r);
  return [...latest.values()].map((r) => ({ id: r.id, title: titleOf(r), version: r.version }));
}
