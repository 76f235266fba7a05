// upload-config.ts: UPLOAD_* environment variables -> the engine's upload limits (docs/deploy.md,
// "Uploads and input"). A variable left unset keeps its default; a bad one stops the start.

import type { UploadLimits } from '../engine/index.ts';

const VARIABLES: { name: string; key: keyof UploadLimits; scale: number; min: number; unit: string }[] = [
  { name: 'UPLOAD_ORPHAN_HOURS', key: 'orphanHours', scale: 1, min: 1, unit: 'hours' },
  { name: 'UPLOAD_PENDING_MB', key: 'pendingBytes', scale: 1024 * 1024, min: 1, unit: 'MB' },
  { name: 'UPLOAD_PENDING_FILES', key: 'pendingFiles', scale: 1, min: 1, unit: 'files' },
  { name: 'UPLOAD_DAILY_MB', key: 'dailyBytes', scale: 1024 * 1024, min: 1, unit: 'MB' },
];

export function uploadLimitsFrom(env: NodeJS.ProcessEnv): Partial<UploadLimits> {
  const out: Partial<UploadLimits> = {};
  for (const v of VARIABLES) {
    const raw = env[v.name];
    if (raw === undefined || raw === '') continue;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < v.min) throw new Error(`${v.name}=${raw} is not a whole number of ${v.unit} ≥ ${v.min}: fix it or unset it for the default`);
    out[v.key] = n * v.scale;
  }
  return out;
}
