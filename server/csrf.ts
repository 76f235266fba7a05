// csrf.ts: synchronizer tokens derived from a secret by HMAC, so nothing extra is stored per form.
//
// Logged in: the secret is the session's csrfSecret (kept by the engine) and the token binds the
// session id. Before login: a random secret in the `lvzhi_pre` cookie protects the login form
// against login CSRF. The token reaches us as the `_csrf` form field or, from htmx, the
// `X-CSRF-Token` header that server/public/app.js copies from <meta name="csrf-token">.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const PRE_SESSION_COOKIE = 'lvzhi_pre';

export function csrfToken(secret: string, binding: string): string {
  return createHmac('sha256', secret).update(`lvzhi-csrf:${binding}`).digest('base64url');
}

export function isValidCsrf(secret: string, binding: string, token: unknown): boolean {
  if (!secret || typeof token !== 'string' || token.length === 0 || token.length > 200) return false;
  const want = Buffer.from(csrfToken(secret, binding));
  const got = Buffer.from(token);
  return got.length === want.length && timingSafeEqual(got, want);
}

export function newPreSessionSecret(): string {
  return randomBytes(32).toString('base64url');
}
