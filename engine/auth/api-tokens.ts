// api-tokens.ts: API tokens: made with an expiry and a scope, shown once, stored as a sha256 only.
//
// A `read` token may only read (GET); a `write` token may do what its user may do. Both end at
// their expiry (default 90 days, at most a year), after which the API answers
// LVZ_AUTH_TOKEN_EXPIRED and a new token must be made.

import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { LvzError } from '../errors.ts';
import type { Db } from '../store/db.ts';
import { apiTokenByHash, getUser, insertApiToken, touchApiToken } from '../store/directory.ts';
import type { TokenScope } from '../store/types.ts';
import type { Actor } from '../model/actor.ts';
import { actorFor } from './sessions.ts';

export type { TokenScope } from '../store/types.ts';

export const API_TOKEN_PREFIX = 'lvz_';
export const TOKEN_DAYS_DEFAULT = 90;
export const TOKEN_DAYS_MAX = 365;
const DAY_MS = 86_400_000;

// Writing last_used_at on every call would make each read a write; once a minute is plenty.
const TOUCH_EVERY_MS = 60 * 1000;

export interface NewApiToken {
  token: string;
  id: string;
  expiresAt: string;
  scope: TokenScope;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** When a stored token ends; a row without an expiry (written by an older version) gets the default from its creation. */
export function tokenExpiry(row: { createdAt: string; expiresAt: string | null }): string {
  return row.expiresAt ?? new Date(Date.parse(row.createdAt) + TOKEN_DAYS_DEFAULT * DAY_MS).toISOString();
}

/** The options as given, or LVZ_RUN_BAD_REQUEST saying what is allowed. */
function checkOptions(opts: { expiresInDays?: number; scope?: string }): { days: number; scope: TokenScope } {
  const days = opts.expiresInDays ?? TOKEN_DAYS_DEFAULT;
  if (!Number.isInteger(days) || days < 1 || days > TOKEN_DAYS_MAX) {
    throw new LvzError('LVZ_RUN_BAD_REQUEST', `令牌有效期应为 1 到 ${TOKEN_DAYS_MAX} 天之间的整数（默认 ${TOKEN_DAYS_DEFAULT} 天）：请重新选择`, { params: { field: 'expiresInDays' } });
  }
  const scope = opts.scope ?? 'write';
  if (scope !== 'read' && scope !== 'write') {
    throw new LvzError('LVZ_RUN_BAD_REQUEST', '令牌权限应为 read（只读）或 write（读写）：请重新选择', { params: { field: 'scope' } });
  }
  return { days, scope };
}

/** A new API token for the user, shown once; only its sha256 is stored. */
export async function createApiToken(db: Db, userId: string, now: Date, opts: { expiresInDays?: number; scope?: string } = {}): Promise<NewApiToken> {
  const { days, scope } = checkOptions(opts);
  const token = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const row = { id: randomUUID(), userId, tokenHash: sha256(token), createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + days * DAY_MS).toISOString(), scope };
  await insertApiToken(db, row);
  return { token, id: row.id, expiresAt: row.expiresAt, scope };
}

/**
 * Whom a bearer token speaks for, and what it may do; undefined for an unknown token,
 * LVZ_AUTH_TOKEN_EXPIRED for one past its expiry.
 */
export async function apiTokenAuth(db: Db, token: string, now: Date): Promise<{ actor: Actor; scope: TokenScope } | undefined> {
  if (typeof token !== 'string' || !token.startsWith(API_TOKEN_PREFIX) || token.length > 128) return undefined;
  const row = await apiTokenByHash(db, sha256(token));
  if (!row) return undefined;
  const expiresAt = tokenExpiry(row);
  if (now.toISOString() >= expiresAt) {
    throw new LvzError('LVZ_AUTH_TOKEN_EXPIRED', '令牌已过期：请在“设置 → 接口令牌”中或以 POST /api/v1/tokens 创建新令牌，并删除旧令牌', { params: { expiredAt: expiresAt } });
  }
  if (!row.lastUsedAt || now.getTime() - Date.parse(row.lastUsedAt) >= TOUCH_EVERY_MS) await touchApiToken(db, row.id, now);
  const user = await getUser(db, row.userId);
  // 停用 deletes the tokens (directory-data.ts revokeAccess); this covers a row written meanwhile.
  if (!user || user.disabled) return undefined;
  if (user.mustChangePassword) {
    throw new LvzError('LVZ_AUTH_PASSWORD_CHANGE_REQUIRED', '管理员为这个账号设置了临时密码：请先在网页上登录并修改密码，之后令牌即可继续使用', {});
  }
  const actor = await actorFor(db, row.userId);
  return actor && { actor, scope: row.scope };
}

/** The actor a bearer token belongs to, or undefined for an unknown token (any scope). */
export async function actorByApiToken(db: Db, token: string, now: Date): Promise<Actor | undefined> {
  return (await apiTokenAuth(db, token, now))?.actor;
}
