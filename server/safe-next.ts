// safe-next.ts: where a login may send the browser next: only a path on this site.
//
// Browsers drop tabs and newlines inside a URL and read "\" as "/", so `/\t/evil.example` and
// `/\evil.example` both lead off-site even though they start with one "/". So: refuse any control
// or whitespace character and any backslash outright, parse what is left as the browser would
// against this site, and keep it only if it is still this site. What comes back is the parser's
// own serialisation (ASCII, percent-encoded), safe to put in a Location header.

const FALLBACK = '/inbox';
const MAX_LENGTH = 2048;
// C0 and C1 controls, DEL, every Unicode space (U+3000 included), the BOM; and the backslash.
const REFUSED = /[\u0000-\u001f\u007f-\u009f\s\ufeff\\]/u;
const SITE = 'http://lvzhi.invalid';

/** `next` as a same-site path (`/tasks/1?x=y#z`), or /inbox for anything else. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > MAX_LENGTH || REFUSED.test(next)) return FALLBACK;
  // A single leading "/" followed by something other than "/": a path, not a scheme or `//host`.
  if (!/^\/(?![/\\])/.test(next)) return FALLBACK;
  let url: URL;
  try {
    url = new URL(next, SITE);
  } catch {
    return FALLBACK;
  }
  if (url.origin !== SITE) return FALLBACK;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // The normalised form must still be a single-slash path ("/./\/x" style tricks collapse here).
  return /^\/(?![/\\])/.test(path) ? path : FALLBACK;
}
