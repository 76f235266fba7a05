// password-change.ts: 修改密码: the user's own new password, asked for after an administrator (or
// `lvzhi admin reset-password`) set a temporary one. The current password is checked, the new one
// must pass the password rule and differ from it; then the flag is cleared and the user's other
// sessions end, so a temporary password someone else saw opens nothing any more.

import { LvzError } from '../errors.ts';
import type { FieldError, FormInvalidParams } from '../forms/types.ts';
import type { Db } from '../store/db.ts';
import { getUser, setPasswordHash } from '../store/directory.ts';
import { deleteOtherSessions } from '../store/directory-admin.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { passwordProblem } from './password-policy.ts';

export interface PasswordChange {
  current: string;
  next: string;
  confirm: string;
}

const err = (name: keyof PasswordChange, message: string): FieldError => ({ id: `f-${name}`, name, message });

function invalid(errors: FieldError[]): LvzError {
  const params: FormInvalidParams = { errors, form: { fields: [], errors, hasFile: false } };
  return new LvzError('LVZ_FORM_INVALID', `密码未修改：${errors.map((e) => e.message).join('；')}`, { params: { ...params } });
}

/** Every problem of the typed values at once (the current password is checked last: it costs a hash). */
function problemsOf(input: PasswordChange, userId: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!input.current) errors.push(err('current', '请填写现在的密码（管理员给您的临时密码）'));
  const rule = input.next ? passwordProblem(input.next, userId) : '请填写新密码';
  if (rule) errors.push(err('next', rule));
  else if (input.next === input.current) errors.push(err('next', '新密码不能与现在的密码相同：请换一个只有您知道的密码'));
  if (!input.confirm) errors.push(err('confirm', '请再输入一次新密码'));
  else if (input.next && input.confirm !== input.next) errors.push(err('confirm', '两次输入的新密码不一致：请重新输入'));
  return errors;
}

/** LVZ_FORM_INVALID with params.errors (fields current, next, confirm); nothing changes then. */
export async function changePassword(db: Db, userId: string, sessionId: string | undefined, input: PasswordChange): Promise<void> {
  const user = await getUser(db, userId);
  if (!user || user.disabled) throw new LvzError('LVZ_AUTH_REQUIRED', '请先登录，再修改密码。');
  const errors = problemsOf(input, userId);
  if (input.current && !(await verifyPassword(input.current, user.passwordHash))) {
    errors.unshift(err('current', '现在的密码不对：请输入管理员给您的临时密码（或您现在使用的密码）'));
  }
  if (errors.length > 0) throw invalid(errors);
  const hash = await hashPassword(input.next);
  await db.transaction(async (trx) => {
    await setPasswordHash(trx, userId, hash, false);
    // Other browsers signed in with the old password end; this one goes on.
    await deleteOtherSessions(trx, userId, sessionId);
  });
}
