// faults.ts: the one place where database driver errors become engine errors. A lost connection
// (PostgreSQL stopped, restarted, a backend terminated, the network gone) is LVZ_STORE_UNAVAILABLE
// (HTTP 503); a full disk (SQLite's SQLITE_FULL, PostgreSQL's disk_full) is LVZ_STORE_FULL (507).
// Either way the transaction the error broke was rolled back by the database, so nothing of the
// request was kept; the message tells the user to try again later.
//
// engine/index.ts wraps every Engine call with toStoreError, so the server only ever sees codes.

import { LvzError, isLvzError } from '../errors.ts';

interface DriverError {
  code?: unknown;
  errno?: unknown;
  name?: unknown;
  message?: unknown;
}

/** Node socket errors: the server is gone or cannot be reached. */
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** PostgreSQL SQLSTATEs for "the server is going away or cannot take us now". */
const PG_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300', '58000', '58030']);

/** What the pg driver and knex's pool say when a connection died under them. */
const LOST_TEXT = /Connection terminated|connection error and is not queryable|terminating connection|Timeout acquiring a connection|server closed the connection|the database system is (shutting down|starting up|in recovery mode)/i;

export type StoreFault = 'unavailable' | 'full';

/** Classifies a driver error; undefined for anything that is not a database fault (a bug, a constraint). */
export function storeFault(e: unknown): StoreFault | undefined {
  if (!e || typeof e !== 'object' || isLvzError(e)) return undefined;
  const err = e as DriverError;
  const code = typeof err.code === 'string' ? err.code : '';
  const message = typeof err.message === 'string' ? err.message : '';
  if (code === 'SQLITE_FULL' || code === '53100' || /SQLITE_FULL|database or disk is full/.test(message)) return 'full';
  if (code === 'ENOSPC') return 'full';
  if (NET_CODES.has(code) || PG_UNAVAILABLE.has(code) || code.startsWith('08')) return 'unavailable';
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_IOERR' || code === 'SQLITE_READONLY' || code === 'SQLITE_BUSY') return 'unavailable';
  if (err.name === 'KnexTimeoutError' || LOST_TEXT.test(message)) return 'unavailable';
  return undefined;
}

const MESSAGES: Record<StoreFault, string> = {
  unavailable: '数据库暂时无法访问：这次操作没有完成，也没有保存任何内容（不会留下一半的数据）。请稍后重试；如果持续出现，请联系系统管理员检查数据库服务',
  full: '数据库所在的磁盘已满，这次操作没有保存（已全部撤销）：已有的内容仍可查看；请联系系统管理员清理磁盘空间后再提交',
};

/**
 * PostgreSQL refuses NUL in text (22021) and in jsonb (22P05) where SQLite stores it. Every input
 * the runtime reads is checked before this (forms/text-safety.ts); this is the net under any text
 * that was not, so a stray NUL is the user's 400 rather than a 500, and nothing was written.
 */
const PG_BAD_TEXT = new Set(['22021', '22P05']);

/** The engine error for a database fault, or the error unchanged. */
export function toStoreError(e: unknown): unknown {
  if (e && typeof e === 'object' && !isLvzError(e) && PG_BAD_TEXT.has(String((e as DriverError).code))) {
    return new LvzError('LVZ_RUN_BAD_REQUEST', '输入的文字中含有不能保存的控制字符（如 NUL）：这次操作没有保存任何内容，请删除这些字符后重新提交', { cause: e });
  }
  const fault = storeFault(e);
  if (!fault) return e;
  const code = fault === 'full' ? 'LVZ_STORE_FULL' : 'LVZ_STORE_UNAVAILABLE';
  return new LvzError(code, MESSAGES[fault], { cause: e });
}

/**
 * The same object with every function (and those of nested objects such as `studio`) rethrowing
 * database faults as engine errors. Synchronous results pass through unchanged.
 */
export function guardStoreErrors<T extends object>(target: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(target)) {
    if (typeof value === 'function') {
      out[key] = (...args: unknown[]) => {
        try {
          const r = (value as (...a: unknown[]) => unknown).apply(target, args);
          return r instanceof Promise ? r.catch((e: unknown) => { throw toStoreError(e); }) : r;
        } catch (e) {
          throw toStoreError(e);
        }
      };
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = guardStoreErrors(value as object);
    } else {
      out[key] = value;
    }
  }
  return out as T;
}
