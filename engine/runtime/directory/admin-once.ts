// admin-once.ts: a form's one-time key (`_once`) around a directory write. changes.ts opens its own
// transaction, so the key is claimed before it and given up again when the write fails: a repeat of
// a done request answers as the first did (`replayed`), a repeat while it runs is told to wait.

import { LvzError } from '../../errors.ts';
import { claimKey, deleteKey, getKey, storeKeyResult } from '../../store/process/index.ts';
import type { RuntimeContext } from '../runtime-context.ts';
import { fingerprintOf, KEY_LIFETIME_MS } from '../idempotency.ts';
import type { Actor } from '../../model/actor.ts';
import type { Once } from '../idempotency.ts';

/**
 * Runs `run` once per (actor, key). The stored answer is `{ id }` only: a temporary password is
 * shown once, on the first answer, and never kept with the key.
 */
export async function onceAround<T extends { id: string }>(
  rc: RuntimeContext, actor: Actor, once: Once | undefined, scope: string, run: () => Promise<T>,
): Promise<T | { id: string; temporaryPassword: string; replayed: true }> {
  if (!once) return run();
  const now = rc.now();
  const row = { userId: actor.userId, key: once.key, fingerprint: fingerprintOf(scope, once.request), createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + KEY_LIFETIME_MS).toISOString() };
  if (!(await claimKey(rc.db, row))) {
    const kept = await getKey(rc.db, actor.userId, once.key);
    if (kept && kept.fingerprint === row.fingerprint && kept.result !== null) {
      return { id: String((JSON.parse(kept.result) as { id: string }).id), temporaryPassword: '', replayed: true };
    }
    throw new LvzError(kept?.result === null ? 'LVZ_RUN_IDEMPOTENCY_IN_FLIGHT' : 'LVZ_RUN_IDEMPOTENCY_MISMATCH',
      kept?.result === null ? '这张表单的上一次提交仍在处理中：请稍候几秒后刷新人员列表查看' : '这张表单已经提交过，内容与这次不同，这次没有作任何处理：请重新打开“添加人员”后填写', {});
  }
  try {
    const value = await run();
    await storeKeyResult(rc.db, actor.userId, once.key, JSON.stringify({ id: value.id }));
    return value;
  } catch (e) {
    await deleteKey(rc.db, actor.userId, once.key);
    throw e;
  }
}
