// auth.test.ts: login and logout, redirects to the login page, CSRF on every state-changing
// request, and the security headers every page carries.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, loginAs, startServer, type TestServer } from '../helpers/http.ts';

let s: TestServer;
beforeAll(async () => { s = await startServer(); });
afterAll(async () => s?.close());

async function startedCount(c: Client): Promise<number> {
  const page = await c.get('/inbox?list=started');
  return Number(/href="\/inbox\?list=started"[^>]*>[^<]*<span class="count">(\d+)<\/span>/.exec(page.text)?.[1] ?? NaN);
}

describe('login', () => {
  it('shows the demo accounts in demo mode and logs in with the right password', async () => {
    const c = new Client(s.base);
    const page = await c.get('/login');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="zh-CN">');
    expect(page.text).toContain('deputy1');
    const res = await c.post('/login', { username: 'deputy1', password: 'lvzhi2026', next: '/start' });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/start');
    expect(res.headers.getSetCookie().join()).toMatch(/lvzhi_sid=[^;]+;.*HttpOnly.*SameSite=Lax/i);
    const start = await c.get('/start');
    expect(start.text).toContain('王建国');
  });

  it('lists the demo accounts one role to a line, the rest of a role folded, the password said once', async () => {
    const c = new Client(s.base);
    const html = (await c.get('/login?next=/start')).text;
    // As the browser reads the attributes (handlebars writes = as &#x3D;).
    const demo = html.slice(html.indexOf('<section class="demo"')).replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');
    expect(demo).toContain('<h3 class="demo-role-title">人大代表</h3>');
    // The main account shows; the role's 13 others are behind its own <details>, still in the page (no script needed).
    expect(demo).toMatch(/<h3 class="demo-role-title">人大代表<\/h3>\s*<ul class="demo-accounts">\s*<li><a href="\/login\?username=deputy1&next=%2Fstart#password"><code>deputy1<\/code><\/a> 王建国/);
    expect(demo).toContain('<summary>另外 13 个“人大代表”账号</summary>');
    expect(demo).toContain('>deputy14</code>');
    expect(demo.split('lvzhi2026').length - 1).toBe(1);
    // Every demo account is listed once.
    const listed = [...demo.matchAll(/<code>([a-z0-9-]+)<\/code><\/a>/g)].map((m) => m[1]);
    expect(listed.length).toBe((await s.engine.demoAccounts()).length);
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('a demo account\'s link fills in the user name; what the query carries is escaped and capped', async () => {
    const c = new Client(s.base);
    const page = await c.get('/login?username=review1');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/id="username" name="username"[^>]* value="review1"/);
    const odd = await c.get(`/login?username=${encodeURIComponent('"><script>alert(1)</script>')}`);
    expect(odd.status).toBe(200);
    expect(odd.text).not.toContain('<script>alert(1)');
    expect(odd.text).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    const long = await c.get(`/login?username=${'x'.repeat(500)}`);
    expect(long.text).toContain(`value="${'x'.repeat(64)}"`);
    expect(long.text).not.toContain('x'.repeat(65));
    // And the name filled in logs in as usual.
    const res = await c.post('/login', { username: 'review1', password: 'lvzhi2026' });
    expect(res.status).toBe(303);
  });

  it('a wrong password re-renders the form with a 401 and an error linked to the field', async () => {
    const c = new Client(s.base);
    await c.get('/login');
    const res = await c.post('/login', { username: 'deputy1', password: 'wrong' });
    expect(res.status).toBe(401);
    expect(res.text).toContain('用户名或密码不正确');
    expect(res.text).toContain('href="#username"');
    expect(res.text).toContain('value="deputy1"');
    expect(res.headers.getSetCookie().join()).not.toContain('lvzhi_sid=');
  });

  it('five wrong passwords lock the name: 429 with Retry-After on the page and the API, no session', async () => {
    const c = new Client(s.base);
    await c.get('/login');
    let res = await c.post('/login', { username: 'deputy9', password: 'wrong' });
    for (let i = 0; i < 3; i++) res = await c.post('/login', { username: 'deputy9', password: 'wrong' });
    expect(res.status).toBe(401);
    expect(res.text).toContain('再输错 1 次，账号将锁定 15 分钟');
    res = await c.post('/login', { username: 'deputy9', password: 'wrong' });
    expect(res.status).toBe(429);
    expect(res.text).toContain('密码连续输错 5 次，该账号已暂时锁定');
    expect(res.headers.get('retry-after')).toBe(String(15 * 60)); // the test server's clock stands still
    res = await c.post('/login', { username: 'deputy9', password: 'lvzhi2026' });
    expect(res.status).toBe(429);
    expect(res.headers.getSetCookie().join()).not.toContain('lvzhi_sid=');
    const api = await fetch(`${s.base}/api/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'deputy9', password: 'lvzhi2026' }) });
    expect(api.status).toBe(429);
    expect(api.headers.get('retry-after')).toBe(String(15 * 60));
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('LVZ_AUTH_LOCKED');
  });

  it('the login form itself needs its CSRF token', async () => {
    const c = new Client(s.base);
    await c.get('/login');
    const res = await c.post('/login', { username: 'deputy1', password: 'lvzhi2026' }, { csrf: false });
    expect(res.status).toBe(403);
    expect(res.text).toContain('表单已过期');
  });

  it('an off-site next is ignored', async () => {
    const c = new Client(s.base);
    await c.get('/login');
    const res = await c.post('/login', { username: 'deputy1', password: 'lvzhi2026', next: '//evil.example/' });
    expect(res.location).toBe('/inbox');
  });

  it('pages ask for a login first and come back afterwards; logout ends the session', async () => {
    const c = new Client(s.base);
    const res = await c.get('/instances?q=x');
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/login?next=${encodeURIComponent('/instances?q=x')}`);
    const htmx = await c.get('/inbox', { 'HX-Request': 'true' });
    expect(htmx.status).toBe(401);
    expect(htmx.headers.get('hx-redirect')).toMatch(/^\/login\?next=/);
    const d = await loginAs(s.base, 'deputy1');
    expect((await d.get('/inbox')).status).toBe(200);
    const out = await d.post('/logout', {});
    expect(out.status).toBe(303);
    expect((await d.get('/inbox')).status).toBe(303);
  });
});

describe('CSRF', () => {
  it('a POST without the token is refused with 403 and changes nothing', async () => {
    const d = await loginAs(s.base, 'deputy1');
    const before = await startedCount(d);
    const res = await d.post('/start/suggestion', { _event: 'submit', title: '无令牌', content: '内容' }, { csrf: false });
    expect(res.status).toBe(403);
    expect(res.text).toContain('表单已过期');
    const forged = await d.post('/start/suggestion', { _csrf: 'forged', _event: 'submit', title: '伪造', content: '内容' });
    expect(forged.status).toBe(403);
    expect(await startedCount(d)).toBe(before);
  });

  it('another session\'s token does not work, the X-CSRF-Token header (htmx) does', async () => {
    const a = await loginAs(s.base, 'deputy1');
    const b = await loginAs(s.base, 'deputy2');
    const stolen = await a.post('/start/suggestion', { _csrf: b.csrf, _event: '_draft', title: '草稿' });
    expect(stolen.status).toBe(403);
    const viaHeader = await a.post('/start/suggestion', { _event: '_draft', title: '草稿' }, {
      csrf: false, headers: { 'X-CSRF-Token': a.csrf, 'HX-Request': 'true' },
    });
    expect(viaHeader.status).toBe(200);
    expect(viaHeader.headers.get('hx-redirect')).toMatch(/^\/(tasks|instances)\//);
  });
});

describe('headers', () => {
  it('pages carry CSP without inline script, frame and sniffing protection; htmx is served locally', async () => {
    const c = new Client(s.base);
    const page = await c.get('/login');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page.text).toContain('<script src="/static/htmx.min.js"');
    const htmx = await c.get('/static/htmx.min.js');
    expect(htmx.status).toBe(200);
    expect(htmx.text).toContain('4.0.1');
  });

  it('an unknown page is a 404 page in zh-CN', async () => {
    const res = await new Client(s.base).get('/no/such/page');
    expect(res.status).toBe(404);
    expect(res.text).toContain('找不到');
  });
});
