// password.test.ts: scrypt hashes verify, are salted, and give nothing of the password away.

import { describe, expect, it } from 'vitest';
import { DEFAULT_PARAMS, hashPassword, needsRehash, verifyPassword } from '../../../engine/auth/password.ts';

// Small parameters keep these tests fast; the format and checks are the same at any cost.
const FAST = { N: 1 << 10, r: 8, p: 1 };

describe('password hashes', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('lvzhi2026', FAST);
    expect(await verifyPassword('lvzhi2026', stored)).toBe(true);
    expect(await verifyPassword('lvzhi2027', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('uses the default parameters and records them in the string', async () => {
    const stored = await hashPassword('密码：人大2026');
    expect(stored.split('$').slice(0, 4)).toEqual(['scrypt', String(DEFAULT_PARAMS.N), '8', '1']);
    expect(await verifyPassword('密码：人大2026', stored)).toBe(true);
    expect(needsRehash(stored)).toBe(false);
    expect(needsRehash(await hashPassword('x', FAST))).toBe(true);
  });

  it('salts every hash and never contains the password in any readable form', async () => {
    const password = 'lvzhi2026';
    const [a, b] = await Promise.all([hashPassword(password, FAST), hashPassword(password, FAST)]);
    expect(a).not.toBe(b);
    for (const encoded of [password, Buffer.from(password).toString('base64'), Buffer.from(password).toString('base64url'), Buffer.from(password).toString('hex')]) {
      expect(a).not.toContain(encoded.replace(/=+$/, ''));
    }
  });

  it('answers false, without throwing, for a malformed or hostile stored string', async () => {
    for (const stored of ['', 'lvzhi2026', 'scrypt$1$1$1$$', 'bcrypt$2$8$1$AAAA$AAAA', 'scrypt$1073741824$8$1$AAAA$AAAA', 'scrypt$abc$8$1$AAAA$AAAA']) {
      expect(await verifyPassword('lvzhi2026', stored), stored).toBe(false);
    }
  });
});
