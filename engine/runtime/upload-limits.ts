// upload-limits.ts: how much a user may upload, and how long an upload nobody attached is kept.
//
// An upload is stored before the form it belongs to is submitted (the page uploads on submit, the
// API in a call of its own), so a file may never be attached: the start failed validation and was
// abandoned, or a script just uploads. Such orphans are removed after `orphanHours`
// (orphan-files.ts), and these quotas bound what one account can store meanwhile.

import { LvzError } from '../errors.ts';
import { lockUploader, uploadUsage } from '../store/process/index.ts';
import type { Knex } from 'knex';

export interface UploadLimits {
  /** Hours an unattached upload is kept before the periodic sweep removes it (row and bytes). */
  orphanHours: number;
  /** Bytes of unattached uploads one user may hold at a time. */
  pendingBytes: number;
  /** Unattached uploads one user may hold at a time. */
  pendingFiles: number;
  /** Bytes one user may upload per calendar day (Asia/Shanghai), attached or not. */
  dailyBytes: number;
}

const MB = 1024 * 1024;

/** The defaults docs/deploy.md lists (UPLOAD_ORPHAN_HOURS, UPLOAD_PENDING_MB, UPLOAD_PENDING_FILES, UPLOAD_DAILY_MB). */
export const DEFAULT_UPLOAD_LIMITS: UploadLimits = { orphanHours: 24, pendingBytes: 100 * MB, pendingFiles: 50, dailyBytes: 500 * MB };

const UTC8_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** The start of the Asia/Shanghai day `now` falls in (China keeps UTC+8 all year). */
export function shanghaiDayStart(now: Date): Date {
  return new Date(Math.floor((now.getTime() + UTC8_MS) / DAY_MS) * DAY_MS - UTC8_MS);
}

function mb(bytes: number): string {
  return `${Math.round((bytes / MB) * 10) / 10}MB`;
}

/**
 * Refuses uploads (`files` of `bytes` in all) that would take the user past a quota; run inside
 * the transaction that records them, after lockUploader, so concurrent uploads cannot both pass.
 */
export async function ensureWithinQuota(tx: Knex, limits: UploadLimits, userId: string, adding: { files: number; bytes: number }, now: Date): Promise<void> {
  await lockUploader(tx, userId);
  const use = await uploadUsage(tx, userId, shanghaiDayStart(now).toISOString());
  const size = adding.bytes;
  if (use.pendingFiles + adding.files > limits.pendingFiles || use.pendingBytes + size > limits.pendingBytes) {
    throw new LvzError('LVZ_FORM_UPLOAD_QUOTA',
      `您已上传但尚未提交的附件过多（${use.pendingFiles}个，共${mb(use.pendingBytes)}；上限${limits.pendingFiles}个、${mb(limits.pendingBytes)}）：请先提交已上传附件的表单，或等待未使用的附件在${limits.orphanHours}小时后自动清理，再上传`,
      { params: { pendingFiles: use.pendingFiles, pendingBytes: use.pendingBytes, limitFiles: limits.pendingFiles, limitBytes: limits.pendingBytes } });
  }
  if (use.sinceBytes + size > limits.dailyBytes) {
    throw new LvzError('LVZ_FORM_UPLOAD_DAILY',
      `今天上传的附件已达到每人每天${mb(limits.dailyBytes)}的上限（已上传${mb(use.sinceBytes)}）：请明天再上传；确需更多，请联系系统管理员`,
      { params: { todayBytes: use.sinceBytes, limitBytes: limits.dailyBytes } });
  }
}
