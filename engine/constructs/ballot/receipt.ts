// receipt.ts: the code a voter keeps to check that their cast was counted, and its stored digest.
//
// The code is 100 random bits shown as 4 groups of 5 Crockford base-32 characters (no I, L, O, U),
// so it can be read aloud and typed on a phone. Only sha256 of it is stored, in the cast row; the
// code itself is shown once to the voter and stored nowhere. 100 bits cannot be guessed from the
// digest, so nobody holding the database can find a voter's row without the voter's code; and the
// check answers only "counted" (and where), never the choice (docs/ballots.md, "Receipts").

import { createHash, randomBytes } from 'node:crypto';
import { LvzError } from '../../errors.ts';
import type { CastRow } from './types.ts';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 20;

/** A new receipt code, e.g. "7K3QF-M2X9A-0PZRT-5HC8W". `random` is injectable so tests can fix it. */
export function receiptCode(random: (bytes: number) => Uint8Array = randomBytes): string {
  const bytes = random(13); // 104 bits; the first 100 are used
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  bits >>= 4n;
  let out = '';
  for (let i = 0; i < CODE_LENGTH; i++) {
    out = ALPHABET[Number(bits & 31n)]! + out;
    bits >>= 5n;
  }
  return out.match(/.{5}/g)!.join('-');
}

/**
 * The code as typed back to its canonical form: upper case, no spaces or dashes, I and L read as 1,
 * O as 0 (Crockford). null when it cannot be a code, so the page can say so without a lookup.
 */
export function normalizeReceiptCode(typed: string): string | null {
  const s = typed.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  return s.length === CODE_LENGTH && [...s].every((c) => ALPHABET.includes(c)) ? s : null;
}

/** What is stored with the cast: sha256 of the normalised code. Throws LVZ_BALLOT_BAD_RECEIPT on text that is not a code. */
export function receiptDigest(code: string): string {
  const normal = normalizeReceiptCode(code);
  if (normal === null) {
    throw new LvzError('LVZ_BALLOT_BAD_RECEIPT', '回执码应为 20 位字母和数字（如 7K3QF-M2X9A-0PZRT-5HC8W）：请核对投票时记下的回执码后重新输入');
  }
  return createHash('sha256').update(`lvzhi-receipt/1\n${normal}`, 'utf8').digest('hex');
}

/** The 1-based row whose receipt is this code's digest, or null: the voter's "was my cast counted?". */
export function findReceipt(rows: readonly Pick<CastRow, 'receipt'>[], code: string): number | null {
  const normal = normalizeReceiptCode(code);
  if (normal === null) return null;
  const digest = receiptDigest(normal);
  const i = rows.findIndex((r) => r.receipt === digest);
  return i < 0 ? null : i + 1;
}
