// admin-people-write.ts: 通讯录管理's writes of people: add, edit (move between orgs, roles, groups),
// 停用/启用 and 重置密码. Each form's values are checked field by field first (LVZ_FORM_INVALID, so
// the page can put each message at its field), then written through changes.ts, which checks the
// directory's rules, the actor's district, the last administrator, and writes the audit row.

import { randomInt } from 'node:crypto';
import { LvzError } from '../../errors.ts';
import type { FieldError } from '../../forms/types.ts';
import { hashPassword } from '../../auth/password.ts';
import { passwordProblem } from '../../auth/password-policy.ts';
import { getUser } from '../../store/directory.ts';
import type { UserFields } from '../../store/directory-data.ts';
import { membershipsOf } from '../../store/directory-admin.ts';
import { DEPUTY_LEVELS, type DeputyLevel, type GroupMemberRow } from '../../store/types.ts';
import type { RuntimeContext } from '../runtime-context.ts';
import type { Actor } from '../../model/actor.ts';
import type { FormInvalidParams } from '../../forms/types.ts';
import type { Once } from '../idempotency.ts';
import { applyDirectoryChanges, type ChangeSet } from './changes.ts';
import { USERNAME } from './rules.ts';
import { directoryReach, ensureReaches, changeActor } from './admin-scope.ts';
import { notFound } from './admin-people.ts';
import { onceAround } from './admin-once.ts';
import type { PersonInput } from './admin-types.ts';

const PHONE = /^[0-9+\-() ]{3,32}$/;

export function formInvalid(what: string, errors: FieldError[]): LvzError {
  const params: FormInvalidParams = { errors, form: { fields: [], errors, hasFile: false } };
  return new LvzError('LVZ_FORM_INVALID', `${what}未保存：${errors.map((e) => e.message).join('；')}`, { params: { ...params } });
}

const fieldError = (name: string, message: string): FieldError => ({ id: `f-${name}`, name, message });

/** Every problem of the typed values the page can place at a field (the rest come from rules.ts). */
async function checkInput(rc: RuntimeContext, input: PersonInput, isNew: boolean): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (isNew) {
    const id = input.id?.trim() ?? '';
    if (!id) errors.push(fieldError('id', '请填写用户名（登录时使用，例如 zhangsan）'));
    else if (!USERNAME.test(id)) errors.push(fieldError('id', `用户名“${id}”不可用：请用 2–40 个英文字母、数字、点、下划线或连字符，以字母或数字开头`));
    else if (await getUser(rc.db, id.toLowerCase())) errors.push(fieldError('id', `用户名“${id}”已有人使用：请换一个，例如在后面加上数字`));
  }
  const name = input.name.trim();
  if (!name) errors.push(fieldError('name', '请填写姓名'));
  else if ([...name].length > 100) errors.push(fieldError('name', '姓名不能超过 100 个字'));
  if (!input.orgId) errors.push(fieldError('orgId', '请选择所属组织'));
  const phone = input.phone?.trim();
  if (phone && !PHONE.test(phone)) errors.push(fieldError('phone', '手机号格式不对：只能有数字、空格、+、- 和括号，例如 13800000000'));
  if (input.deputyLevel && !(DEPUTY_LEVELS as readonly string[]).includes(input.deputyLevel)) errors.push(fieldError('deputyLevel', '请从列表中选择代表层级'));
  if ((input.constituency?.trim().length ?? 0) > 200) errors.push(fieldError('constituency', '选区不能超过 200 个字'));
  const unknown = input.roles.filter((r) => !rc.registry.roles.has(r));
  if (unknown.length) errors.push(fieldError('roles', `角色 ${unknown.join('、')} 没有声明：请从列表中选择`));
  return errors;
}

function fieldsOf(input: PersonInput, disabled: boolean): UserFields {
  const opt = (s: string | undefined): string | null => (s?.trim() ? s.trim() : null);
  return {
    name: input.name.trim(), orgId: input.orgId, roles: [...new Set(input.roles)], phone: opt(input.phone),
    deputyLevel: (opt(input.deputyLevel) as DeputyLevel | null), constituency: opt(input.constituency), disabled,
  };
}

/** The group rows the form asks for, and the actor's groups it no longer lists (removed). */
function memberChanges(id: string, input: PersonInput, current: GroupMemberRow[], allowed: Set<string>): Pick<ChangeSet, 'members' | 'removeMembers'> {
  const wanted = new Map(input.groups.filter((g) => g.groupId).map((g) => [g.groupId, g.worksFor?.trim() || null]));
  const members = [...wanted].map(([groupId, worksFor]) => ({ groupId, userId: id, worksFor, sort: current.find((m) => m.groupId === groupId)?.sort ?? 0 }));
  // Only groups the form offered can be taken away: a district's admin never sees the city's.
  const removeMembers = current.filter((m) => allowed.has(m.groupId) && !wanted.has(m.groupId)).map((m) => ({ groupId: m.groupId, userId: id }));
  return { members, removeMembers };
}

/** A password to read out or copy: 4 groups of 4 letters and digits, no 0/O or 1/l/I. */
export function temporaryPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  return Array.from({ length: 4 }, () => Array.from({ length: 4 }, () => alphabet[randomInt(alphabet.length)]).join('')).join('-');
}


export async function createPerson(rc: RuntimeContext, actor: Actor, input: PersonInput, allowedGroups: Set<string>, once?: Once): Promise<{ id: string; temporaryPassword: string; replayed?: boolean }> {
  const reach = await directoryReach(rc.reads, actor);
  return onceAround(rc, actor, once, 'directory.createPerson', async () => {
    const errors = await checkInput(rc, input, true);
    if (errors.length) throw formInvalid('人员', errors);
    const id = input.id!.trim().toLowerCase();
    ensureReaches(reach, [input.orgId], `新人员“${input.name.trim()}”的所属组织`);
    const password = temporaryPassword();
    const person = { id, ...fieldsOf(input, false), passwordHash: await hashPassword(password), mustChangePassword: true };
    await applyDirectoryChanges(rc, changeActor(actor), { people: [person], ...memberChanges(id, input, [], allowedGroups) }, { source: 'admin' });
    return { id, temporaryPassword: password };
  });
}

async function loadInReach(rc: RuntimeContext, actor: Actor, id: string) {
  const reach = await directoryReach(rc.reads, actor);
  const user = await getUser(rc.db, id);
  if (!user) throw notFound(id);
  ensureReaches(reach, [user.orgId], `“${user.name}”`);
  return { reach, user };
}

export async function updatePerson(rc: RuntimeContext, actor: Actor, id: string, input: PersonInput, allowedGroups: Set<string>): Promise<{ changed: boolean }> {
  const { reach, user } = await loadInReach(rc, actor, id);
  const errors = await checkInput(rc, input, false);
  if (errors.length) throw formInvalid('人员', errors);
  ensureReaches(reach, [input.orgId], `“${user.name}”要移入的组织`);
  const groups = memberChanges(id, input, await membershipsOf(rc.db, id), allowedGroups);
  const r = await applyDirectoryChanges(rc, changeActor(actor), { people: [{ id, ...fieldsOf(input, user.disabled) }], ...groups }, { source: 'admin' });
  return { changed: r.people.updated + r.members.created + r.members.updated + (groups.removeMembers?.length ?? 0) > 0 };
}

export async function setPersonDisabled(rc: RuntimeContext, actor: Actor, id: string, disabled: boolean): Promise<{ changed: boolean }> {
  const { user } = await loadInReach(rc, actor, id);
  if (user.disabled === disabled) return { changed: false };
  const fields: UserFields = { name: user.name, orgId: user.orgId, roles: user.roles, phone: user.phone, deputyLevel: user.deputyLevel, constituency: user.constituency, disabled };
  await applyDirectoryChanges(rc, changeActor(actor), { people: [{ id, ...fields }] }, { source: 'admin' });
  return { changed: true };
}

export async function resetPassword(rc: RuntimeContext, actor: Actor, id: string, given?: string): Promise<{ temporaryPassword: string }> {
  const { user } = await loadInReach(rc, actor, id);
  const password = given?.length ? given : temporaryPassword();
  const problem = given?.length ? passwordProblem(given, id) : undefined;
  if (problem) throw formInvalid('临时密码', [fieldError('password', problem)]);
  const fields: UserFields = { name: user.name, orgId: user.orgId, roles: user.roles, phone: user.phone, deputyLevel: user.deputyLevel, constituency: user.constituency, disabled: user.disabled };
  await applyDirectoryChanges(rc, changeActor(actor), { people: [{ id, ...fields, passwordHash: await hashPassword(password), mustChangePassword: true }] }, { source: 'admin' });
  return { temporaryPassword: password };
}

