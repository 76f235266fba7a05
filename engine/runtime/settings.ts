// settings.ts: the user's own settings (设置): out-of-office ranges (代理), saved phrases (常用语)
// and API tokens. Every call acts on the actor's own rows only; the checks give zh-CN messages
// tied to the page's fields, so the settings page can show them in its error summary.

import { localDateOf } from '../calendar/index.ts';
import { LvzError } from '../errors.ts';
import type { FieldError } from '../forms/types.ts';
import {
  clearOutOfOffice, deleteApiToken, deletePhrase, getUser, listApiTokens, listOutOfOffice, listPhrases, setOutOfOffice,
} from '../store/directory.ts';
import type { Actor, FormInvalidParams, SettingsView } from './types.ts';
import type { RuntimeContext } from './runtime-context.ts';
import { tokenExpiry } from '../auth/api-tokens.ts';

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A range longer than a year is almost certainly a typo in the year. */
const MAX_DAYS = 366;

function isDate(s: string): boolean {
  if (!LOCAL_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const err = (name: string, message: string): FieldError => ({ id: `f-${name}`, name, message });

/** Every problem of a new range at once, in the order of the fields on the page. */
async function rangeErrors(rc: RuntimeContext, actor: Actor, input: { delegateUserId: string; from: string; to: string }): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const delegate = input.delegateUserId.trim();
  if (!delegate) errors.push(err('delegate', '请选择代理人'));
  else if (delegate === actor.userId) errors.push(err('delegate', '不能指定自己为代理人：请选择另一位同事'));
  else if (!(await getUser(rc.db, delegate))) errors.push(err('delegate', '没有找到这位代理人：请从列表中选择'));
  const today = localDateOf(rc.now());
  const fromOk = isDate(input.from);
  const toOk = isDate(input.to);
  if (!input.from) errors.push(err('from', '请填写开始日期'));
  else if (!fromOk) errors.push(err('from', '开始日期不是有效的日期：请按“2026-03-02”的格式填写'));
  if (!input.to) errors.push(err('to', '请填写结束日期'));
  else if (!toOk) errors.push(err('to', '结束日期不是有效的日期：请按“2026-03-02”的格式填写'));
  else if (input.to < today) errors.push(err('to', '结束日期已经过去：请选择今天或以后的日期'));
  else if (fromOk && input.to < input.from) errors.push(err('to', '结束日期不能早于开始日期：请调整日期范围'));
  else if (fromOk && daysBetween(input.from, input.to) >= MAX_DAYS) errors.push(err('to', '代理期限不能超过一年：请缩短日期范围'));
  return errors;
}

export async function saveOutOfOffice(rc: RuntimeContext, actor: Actor, input: { delegateUserId: string; from: string; to: string }): Promise<void> {
  const clean = { delegateUserId: String(input.delegateUserId ?? '').trim(), from: String(input.from ?? '').trim(), to: String(input.to ?? '').trim() };
  const errors = await rangeErrors(rc, actor, clean);
  if (errors.length > 0) {
    const params: FormInvalidParams = { errors, form: { fields: [], errors, hasFile: false } };
    throw new LvzError('LVZ_FORM_INVALID', `代理设置有误：${errors.map((e) => e.message).join('；')}`, { params: { ...params } });
  }
  await setOutOfOffice(rc.db, { userId: actor.userId, delegateId: clean.delegateUserId, fromDate: clean.from, toDate: clean.to, now: rc.now() });
}

export async function settingsView(rc: RuntimeContext, actor: Actor): Promise<SettingsView> {
  const today = localDateOf(rc.now());
  const [ranges, phrases, tokens, names, dir] = await Promise.all([
    listOutOfOffice(rc.db, actor.userId), listPhrases(rc.db, actor.userId), listApiTokens(rc.db, actor.userId), rc.names(), rc.directory(),
  ]);
  return {
    today,
    outOfOffice: ranges.filter((r) => r.toDate >= today).map((r) => ({
      id: r.id, delegateId: r.delegateId, delegateName: names.user.get(r.delegateId) ?? r.delegateId,
      from: r.fromDate, to: r.toDate, isCurrent: r.fromDate <= today,
    })),
    delegates: dir.people.filter((p) => p.value !== actor.userId).map((p) => ({ value: p.value, label: p.label })),
    phrases: phrases.map((p) => ({ id: p.id, text: p.text })),
    apiTokens: tokens.map((t) => {
      const expiresAt = tokenExpiry(t);
      return { id: t.id, createdAt: t.createdAt, ...(t.lastUsedAt && { lastUsedAt: t.lastUsedAt }), expiresAt, isExpired: expiresAt <= rc.now().toISOString(), scope: t.scope };
    }),
  };
}

/** The store deletes by (user, id), so an id of someone else's row removes nothing. */
export const settingsActions = {
  clearOutOfOffice: (rc: RuntimeContext, actor: Actor, id: string) => clearOutOfOffice(rc.db, actor.userId, requireId(id)),
  deletePhrase: (rc: RuntimeContext, actor: Actor, id: string) => deletePhrase(rc.db, actor.userId, requireId(id)),
  async deleteApiToken(rc: RuntimeContext, actor: Actor, id: string): Promise<void> {
    // Someone else's token, or one already gone: say so, rather than "deleted" for nothing.
    if ((await deleteApiToken(rc.db, actor.userId, requireId(id))) === 0) {
      throw new LvzError('LVZ_RUN_NOT_FOUND', '没有找到这个令牌：它可能已被删除。请回到设置页面查看现有令牌', {});
    }
  },
};

function requireId(id: string): string {
  // clearOutOfOffice without an id clears every range: never let an empty id get that far.
  if (!id) throw new LvzError('LVZ_RUN_BAD_REQUEST', '缺少要删除的条目：请从设置页面重新操作', {});
  return id;
}
