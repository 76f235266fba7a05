// envelope.ts: a secret cast sealed while its ballot is open (docs/ballots.md "Secrecy").
//
// The key of a ballot is HKDF-SHA256 of the server secret (LVZHI_BALLOT_SECRET, outside the database)
// and the ballot's random salt (in its row while open, deleted at close): with the salt gone, the
// envelopes left in old row versions, the WAL or a backup can no longer be opened, even with the
// secret. Each envelope is AES-256-GCM with a random nonce, the ballot and envelope ids as associated
// data (an envelope moved to another ballot or row fails its tag), over the cast padded to a length
// fixed per ballot, so its size says nothing of the choice.

import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LvzError } from '../../../errors.ts';
import type * as ballotCore from '../index.ts';
type Ballot = ballotCore.Ballot;
type Choice = ballotCore.Choice;

export const SECRET_FILE = 'ballot-secret';

/**
 * The server secret: LVZHI_BALLOT_SECRET (64 hex digits) when set; else a file in the data directory
 * made on first use with mode 0600 (demo and test installs; docs/deploy.md says why production sets
 * the variable). `fromFile` tells the warnings to say so.
 */
export function serverSecret(dataDir: string, env: NodeJS.ProcessEnv = process.env): { key: Buffer; fromFile: boolean } {
  const given = env.LVZHI_BALLOT_SECRET;
  const cacheKey = `${given ?? ''}\n${dataDir}`;
  const hit = secrets.get(cacheKey);
  if (hit) return hit;
  const found = readSecret(dataDir, given);
  secrets.set(cacheKey, found);
  return found;
}

/** Read once per process (and data directory): a cast should not touch the file system. */
const secrets = new Map<string, { key: Buffer; fromFile: boolean }>();

function readSecret(dataDir: string, given: string | undefined): { key: Buffer; fromFile: boolean } {
  if (given !== undefined && given !== '') {
    if (!/^[0-9a-fA-F]{64}$/.test(given.trim())) {
      throw new LvzError('LVZ_BALLOT_SECRET', '环境变量 LVZHI_BALLOT_SECRET 应为 64 位十六进制数（32 字节）：请用 openssl rand -hex 32 生成后重启服务', {});
    }
    return { key: Buffer.from(given.trim(), 'hex'), fromFile: false };
  }
  const file = path.join(dataDir, SECRET_FILE);
  try {
    fs.writeFileSync(file, randomBytes(32).toString('hex') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const text = fs.readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(text)) {
    throw new LvzError('LVZ_BALLOT_SECRET', `数据目录中的表决密钥文件 ${SECRET_FILE} 已损坏：请设置 LVZHI_BALLOT_SECRET 后重启服务`, {});
  }
  return { key: Buffer.from(text, 'hex'), fromFile: true };
}

export const newSalt = (): string => randomBytes(32).toString('hex');
export const newEnvelopeId = (): string => randomBytes(16).toString('hex');

/** The key of one ballot's envelopes (HKDF of the server secret and the ballot's salt). */
export function ballotKey(secret: Buffer, salt: string, ballotId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.from(salt, 'hex'), `lvzhi-ballot-envelope/1\n${ballotId}`, 32));
}

/** The padded length of this ballot's envelopes: room for its longest cast, in 256-byte blocks. */
export function paddedLength(ballot: Ballot): number {
  const longest = ballot.kind === 'choose' ? Buffer.byteLength(JSON.stringify(ballot.options))
    : ballot.kind === 'rating' ? Math.max(...ballot.scale.map((s) => Buffer.byteLength(JSON.stringify(s))))
      : 32;
  return 256 * Math.ceil((longest + 160) / 256);
}

export interface Sealed { choice: Choice; receipt: string }

export function sealEnvelope(key: Buffer, ballot: Ballot, envelopeId: string, cast: Sealed): string {
  const text = Buffer.from(JSON.stringify({ c: cast.choice, r: cast.receipt }), 'utf8');
  const size = paddedLength(ballot);
  if (text.length + 4 > size) throw new Error('a cast longer than its ballot allows');
  const plain = Buffer.alloc(size);
  plain.writeUInt32BE(text.length, 0);
  text.copy(plain, 4);
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(`${ballot.id}\n${envelopeId}`));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64');
}

/** The cast inside, or null when it does not open (edited, moved, another key). */
export function openEnvelope(key: Buffer, ballotId: string, envelopeId: string, sealed: string): Sealed | null {
  try {
    const raw = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    decipher.setAAD(Buffer.from(`${ballotId}\n${envelopeId}`));
    const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
    const n = plain.readUInt32BE(0);
    const v = JSON.parse(plain.subarray(4, 4 + n).toString('utf8')) as { c: Choice; r: string };
    return { choice: v.c, receipt: v.r };
  } catch {
    return null;
  }
}

/**
 * For operators (warnings()): a production install whose secret ballots use the data directory's key
 * file, which sits beside the database and goes into the same backups; docs/deploy.md says what to set.
 */
export function secretWarnings(dataDir: string, demo: boolean, env: NodeJS.ProcessEnv = process.env): string[] {
  if (demo || env.LVZHI_BALLOT_SECRET || !fs.existsSync(path.join(dataDir, SECRET_FILE))) return [];
  return [`无记名表决的密钥保存在数据目录的 ${SECRET_FILE} 文件中，会随数据目录一起备份：正式使用请设置环境变量 LVZHI_BALLOT_SECRET（openssl rand -hex 32）并另行保管，见部署说明`];
}
