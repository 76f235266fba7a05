// admin-directory.test.ts: 通讯录管理 over HTTP on the demo directory: search and filters, add
// (temporary password shown once, changed at first login), edit and move, 停用/启用 (no login, no
// session, no token), 重置密码, orgs (add, move, cycle refused, 停用 refused with people), roles
// (declare, remove refused while held or named), groups with 服务代表, the history, a district's
// admin kept to their district (403, nothing changed) and the last administrator kept.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, inputValue, loginAs, startServer, type TestServer } from '../helpers/http.ts';

let s: TestServer;
let admin: Client;
let district: Client;

beforeAll(async () => {
  s = await startServer();
  [admin, district] = await Promise.all(['admin', 'zhangdian-admin'].map((u) => loginAs(s.base, u)));
}, 60_000);
afterAll(async () => s?.close());

/** The temporary password shown once on a page. */
const tempPassword = (html: string): string => /<code class="token">([^<]+)<\/code>/.exec(html)?.[1] ?? '';

async function addPerson(c: Client, values: Record<string, string | string[]>) {
  const form = await c.get('/admin/directory/people/new');
  expect(form.status).toBe(200);
  return c.post('/admin/directory/people', { _once: inputValue(form.text, '_once'), ...values });
}

async function history(c: Client, q: string): Promise<string> {
  return (await c.get(`/admin/directory/history?q=${encodeURIComponent(q)}`)).text;
}

describe('通讯录: the people list', () => {
  it('is an admin page linked from the header, lists people 50 a page, searches by name, username and org', async () => {
    const page = await admin.get('/admin/directory');
    expect(page.status).toBe(200);
    expect(page.text).toContain('href="/admin/directory"');
    expect(page.text).toContain('href="/admin/directory/import"');
    expect(page.text).toContain('系统管理员');
    const byName = await admin.get(`/admin/directory?q=${encodeURIComponent('张敏')}`);
    expect(byName.text).toContain('id="person-review1"');
    expect(byName.text).not.toContain('id="person-staff1"');
    const byUser = await admin.get('/admin/directory?q=REVIEW1');
    expect(byUser.text).toContain('id="person-review1"');
    const byRole = await admin.get('/admin/directory?role=handling_unit');
    expect(byRole.text).toContain('id="person-fgw1"');
    expect(byRole.text).not.toContain('id="person-review1"');
    const byOrg = await admin.get('/admin/directory?org=zhangdian');
    expect(byOrg.text).toContain('id="person-zhangdian-admin"');
    expect(byOrg.text).not.toContain('id="person-admin"');
    const wildcard = await admin.get('/admin/directory?q=%25');
    expect(wildcard.text).toContain('id="no-people"');
  });

  it('is refused to someone who is not an administrator', async () => {
    const staff = await loginAs(s.base, 'staff1');
    const page = await staff.get('/admin/directory');
    expect(page.status).toBe(403);
    expect(page.text).toContain('只有系统管理员可以管理通讯录');
  });

  it('shows a district admin their district only, and refuses another district’s person with 403', async () => {
    const page = await district.get('/admin/directory');
    expect(page.status).toBe(200);
    expect(page.text).toContain('张店区');
    expect(page.text).not.toContain('id="person-review1"');
    const other = await district.get('/admin/directory/people/review1');
    expect(other.status).toBe(403);
    expect(other.text).toContain('只能管理');
  });
});

describe('通讯录: adding and editing people', () => {
  it('answers bad input with 422, every problem at its field, nothing stored', async () => {
    const res = await addPerson(admin, { id: '张三', name: '', orgId: '', phone: 'abc' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('lz-error-summary');
    expect(res.text).toContain('<a href="#f-id">用户名“张三”不可用');
    expect(res.text).toContain('<a href="#f-name">请填写姓名</a>');
    expect(res.text).toContain('<a href="#f-orgId">请选择所属组织</a>');
    expect(res.text).toContain('<a href="#f-phone">手机号格式不对');
    const taken = await addPerson(admin, { id: 'review1', name: '重名', orgId: 'city-office' });
    expect(taken.status).toBe(422);
    expect(taken.text).toContain('已有人使用');
  });

  it('adds a person with roles and a group membership, shows the temporary password once, and records it', async () => {
    const res = await addPerson(admin, { id: 'liyan', name: '李燕', orgId: 'city-office', phone: '13800000001', roles: ['staff'] });
    expect(res.status, res.text.slice(0, 2000)).toBe(201);
    expect(res.headers.get('cache-control')).toContain('no-store');
    const password = tempPassword(res.text);
    expect(password).toMatch(/^[a-z0-9]{4}(-[a-z0-9]{4}){3}$/);
    const page = await admin.get('/admin/directory/people/liyan');
    expect(page.text).toContain('李燕');
    expect(page.text).not.toContain(password);
    expect(page.text).toContain('新增：李燕');
    expect(page.text).toContain('下次登录须修改密码');

    // First login: every page leads to 修改密码 until a new one is chosen; API tokens are refused meanwhile.
    const li = new Client(s.base);
    const first = await li.login('liyan', password);
    expect(first.text).toContain('修改密码');
    expect((await li.get('/inbox')).location).toBe('/password');
    const swap = await li.get('/inbox', { 'hx-request': 'true' });
    expect(swap.headers.get('hx-redirect')).toBe('/password');
    expect((await li.post('/settings/phrases/x/delete', {})).location).toBe('/password');
    const token = (await s.engine.createApiToken({ userId: 'liyan', username: 'liyan', name: '李燕', orgId: 'city-office', orgName: '', roles: ['staff'] })).token;
    const api = await fetch(`${s.base}/api/v1/inbox`, { headers: { authorization: `Bearer ${token}` } });
    expect(api.status).toBe(403);
    expect(JSON.stringify(await api.json())).toContain('LVZ_AUTH_PASSWORD_CHANGE_REQUIRED');
    const bad = await li.post('/password', { current: 'wrong', next: 'short', confirm: 'other' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('<a href="#f-current">现在的密码不对');
    expect(bad.text).toContain('<a href="#f-next">密码太短');
    expect(bad.text).toContain('<a href="#f-confirm">两次输入的新密码不一致');
    const done = await li.post('/password', { current: password, next: '春眠不觉晓处处闻啼鸟夜来风雨声', confirm: '春眠不觉晓处处闻啼鸟夜来风雨声' });
    expect(done.status).toBe(303);
    expect((await li.get('/inbox')).status).toBe(200);
    const again = new Client(s.base);
    expect((await again.login('liyan', '春眠不觉晓处处闻啼鸟夜来风雨声')).status).toBe(200);
    expect((await fetch(`${s.base}/api/v1/inbox`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  }, 30_000);

  it('a double submit of the add form adds the person once', async () => {
    const form = await admin.get('/admin/directory/people/new');
    const once = inputValue(form.text, '_once');
    const values = { _once: once, id: 'wangfang', name: '王芳', orgId: 'city-office' };
    expect((await admin.post('/admin/directory/people', values)).status).toBe(201);
    const repeat = await admin.post('/admin/directory/people', values);
    expect(repeat.status).toBe(303);
    expect(repeat.location).toBe('/admin/directory/people/wangfang');
  });

  it('edits a person: moves them to another org, changes roles, and the history says what changed', async () => {
    const edit = await admin.get('/admin/directory/people/liyan/edit');
    expect(edit.status).toBe(200);
    expect(inputValue(edit.text, 'name')).toBe('李燕');
    const res = await admin.post('/admin/directory/people/liyan', { name: '李燕', orgId: 'city-xlw', phone: '13800000001', roles: ['staff', 'review_office'] });
    expect(res.status, res.text.slice(0, 1500)).toBe(303);
    const page = await admin.get('/admin/directory/people/liyan');
    expect(page.text).toContain('所属组织：办公室 → ');
    expect(page.text).toContain('+审查交办');
    const h = await history(admin, '李燕');
    expect(h).toContain('管理员');
    expect(h).toContain('系统管理员');
  });

  it('refuses an undeclared role at its field, nothing changed', async () => {
    const res = await admin.post('/admin/directory/people/liyan', { name: '李燕改', orgId: 'city-xlw', roles: ['nosuchrole'] });
    expect(res.status).toBe(422);
    expect(res.text).toContain('<a href="#f-roles">');
    expect((await admin.get('/admin/directory/people/liyan')).text).not.toContain('李燕改');
  });
});

describe('通讯录: 停用/启用 and 重置密码', () => {
  it('asks first, then disables: the person cannot log in, their session ends, their API token stops', async () => {
    const staff = await loginAs(s.base, 'staff1');
    const token = (await s.engine.createApiToken({ userId: 'staff1', username: 'staff1', name: '', orgId: 'city-office', orgName: '', roles: ['staff'] })).token;
    const ask = await admin.get('/admin/directory/people/staff1/disable');
    expect(ask.status).toBe(200);
    expect(ask.text).toContain('停用后');
    const res = await admin.post('/admin/directory/people/staff1/disable', {});
    expect(res.status).toBe(303);
    expect((await staff.get('/inbox')).status).toBe(303);
    const again = new Client(s.base);
    const login = await again.login('staff1');
    expect(login.status).toBe(401);
    expect(login.text).toContain('已停用');
    const api = await fetch(`${s.base}/api/v1/inbox`, { headers: { authorization: `Bearer ${token}` } });
    expect(api.status).toBe(401);
    const list = await admin.get('/admin/directory?status=disabled');
    expect(list.text).toContain('id="person-staff1"');
    expect((await admin.get('/admin/directory')).text).not.toContain('id="person-staff1"');
    expect((await admin.post('/admin/directory/people/staff1/enable', {})).status).toBe(303);
    expect((await new Client(s.base).login('staff1')).status).toBe(200);
    expect(await history(admin, '郑晓东')).toContain('停用');
  });

  it('refuses to disable the last city administrator (409), naming why, nothing changed', async () => {
    const ask = await admin.get('/admin/directory/people/admin/disable');
    expect(ask.text).toContain('唯一可用的市级系统管理员');
    const res = await admin.post('/admin/directory/people/admin/disable', {});
    expect(res.status).toBe(409);
    expect(res.text).toContain('没有可用的市级系统管理员');
    const unAdmin = await admin.post('/admin/directory/people/admin', { name: '系统管理员', orgId: 'city-office', roles: ['staff'] });
    expect(unAdmin.status).toBe(409);
    expect((await admin.get('/admin/directory/people/admin')).text).toContain('<span class="tag">系统管理员</span>');
  });

  it('resets a password: shown once, sessions end, the next login must change it', async () => {
    const review = await loginAs(s.base, 'review1');
    const weak = await admin.post('/admin/directory/people/review1/reset-password', { password: 'short' });
    expect(weak.status).toBe(422);
    expect(weak.text).toContain('密码太短');
    const res = await admin.post('/admin/directory/people/review1/reset-password', {});
    expect(res.status).toBe(200);
    const password = tempPassword(res.text);
    expect(password).not.toBe('');
    expect((await review.get('/inbox')).status).toBe(303);
    const c = new Client(s.base);
    const page = await c.login('review1', password);
    expect(page.text).toContain('管理员为您设置了临时密码');
    expect(await history(admin, '张敏')).toContain('重置密码');
  });
});

describe('通讯录: a district admin', () => {
  it('adds a person in their district; another district’s org or person is refused with 403 and nothing changes', async () => {
    const form = await district.get('/admin/directory/people/new');
    expect(form.text).toContain('value="zhangdian"');
    expect(form.text).not.toContain('value="city-office"');
    const ok = await addPerson(district, { id: 'zd-liaison', name: '周红', orgId: 'zhangdian' });
    expect(ok.status, ok.text.slice(0, 1500)).toBe(201);
    const outside = await addPerson(district, { id: 'zd-x', name: '外区', orgId: 'linzi' });
    expect(outside.status).toBe(403);
    expect(outside.text).toContain('张店区');
    const edit = await district.post('/admin/directory/people/linzi-admin', { name: '改名', orgId: 'zhangdian' });
    expect(edit.status).toBe(403);
    expect((await admin.get('/admin/directory/people/linzi-admin')).text).not.toContain('改名');
    const moveOut = await district.post('/admin/directory/people/zd-liaison', { name: '周红', orgId: 'city-office' });
    expect(moveOut.status).toBe(403);
    const disable = await district.post('/admin/directory/people/review1/disable', {});
    expect(disable.status).toBe(403);
    const role = await district.post('/admin/directory/roles', { id: 'district_role', label: '区角色', description: '试' });
    expect(role.status).toBe(403);
    expect(role.text).toContain('市人大常委会的管理员');
  });
});

describe('通讯录: orgs', () => {
  it('adds an org, moves it under another parent, refuses a cycle and a 停用 while people are in it', async () => {
    const bad = await admin.post('/admin/directory/orgs', { id: '', name: '', kind: '' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('<a href="#f-id">');
    const add = await admin.post('/admin/directory/orgs', { id: 'city-test', name: '测试委员会', kind: 'committee', parentId: 'city' });
    expect(add.status, add.text.slice(0, 1500)).toBe(303);
    const child = await admin.post('/admin/directory/orgs', { id: 'city-test-sub', name: '测试小组', kind: 'office', parentId: 'city-test' });
    expect(child.status).toBe(303);
    const tree = await admin.get('/admin/directory/orgs');
    expect(tree.text).toContain('id="org-city-test"');
    const cycle = await admin.post('/admin/directory/orgs/city-test', { name: '测试委员会', kind: 'committee', parentId: 'city-test-sub' });
    expect(cycle.status).toBe(422);
    expect(cycle.text).toContain('循环');
    const move = await admin.post('/admin/directory/orgs/city-test-sub', { name: '测试小组', kind: 'office', parentId: 'city-office' });
    expect(move.status).toBe(303);
    expect((await admin.get('/admin/directory/orgs/city-test-sub')).text).toContain('上级：测试委员会 → 办公室');
    const busy = await admin.post('/admin/directory/orgs/city-xlw/disable', {});
    expect(busy.status).toBe(409);
    expect(busy.text).toContain('在用人员');
    expect((await admin.post('/admin/directory/orgs/city-test/disable', {})).status).toBe(303);
    expect((await admin.get('/admin/directory/orgs')).text).toMatch(/id="org-city-test"[^>]*>|is-disabled" id="org-city-test"/);
  });

  it('keeps a district admin inside their district', async () => {
    const tree = await district.get('/admin/directory/orgs');
    expect(tree.text).toContain('id="org-zhangdian"');
    expect(tree.text).not.toContain('id="org-city-office"');
    const other = await district.post('/admin/directory/orgs/linzi', { name: '改名', kind: 'district', parentId: '' });
    expect(other.status).toBe(403);
  });
});

describe('通讯录: roles and groups', () => {
  it('declares a role, assigns it, refuses its removal while held, removes it once unused', async () => {
    const bad = await admin.post('/admin/directory/roles', { id: 'Bad Id', label: '', description: '' });
    expect(bad.status).toBe(422);
    const res = await admin.post('/admin/directory/roles', { id: 'liaison', label: '民情联络员', description: '联系代表与选民' });
    expect(res.status, res.text.slice(0, 1500)).toBe(303);
    const roles = await admin.get('/admin/directory/roles');
    expect(roles.text).toContain('id="role-liaison"');
    expect((await admin.post('/admin/directory/people/wangfang', { name: '王芳', orgId: 'city-office', roles: ['liaison'] })).status).toBe(303);
    // Held by someone: the page offers no 删除, and a forged POST is refused by the engine.
    expect((await admin.get('/admin/directory/roles')).text).not.toContain('/admin/directory/roles/liaison/remove');
    const refused = await admin.post('/admin/directory/roles/liaison/remove', {});
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('王芳');
    const shipped = await admin.post('/admin/directory/roles/deputy/remove', {});
    expect(shipped.status).toBe(422);
    expect((await admin.post('/admin/directory/people/wangfang', { name: '王芳', orgId: 'city-office' })).status).toBe(303);
    expect((await admin.get('/admin/directory/roles')).text).toContain('/admin/directory/roles/liaison/remove');
    expect((await admin.post('/admin/directory/roles/liaison/remove', {})).status).toBe(303);
    expect((await admin.get('/admin/directory/roles')).text).not.toContain('id="role-liaison"');
    expect(await history(admin, 'liaison')).toContain('删除角色');
  });

  it('creates a group, adds a member working for a deputy (服务代表), refuses a non-deputy', async () => {
    const res = await admin.post('/admin/directory/groups', { id: 'liaisons', name: '民情联络员', description: '' });
    expect(res.status, res.text.slice(0, 1500)).toBe(303);
    const add = await admin.post('/admin/directory/groups/liaisons/members', { userId: 'wangfang', worksFor: 'deputy1' });
    expect(add.status, add.text.slice(0, 1500)).toBe(303);
    const page = await admin.get('/admin/directory/groups/liaisons');
    expect(page.text).toContain('id="member-wangfang"');
    expect(page.text).toMatch(/王芳[\s\S]*<td data-label="服务代表">[^<]+<\/td>/);
    const notDeputy = await admin.post('/admin/directory/groups/liaisons/members', { userId: 'wangfang', worksFor: 'review1' });
    expect(notDeputy.status).toBe(422);
    expect(notDeputy.text).toContain('不是人大代表');
    const person = await admin.get('/admin/directory/people/wangfang');
    expect(person.text).toContain('民情联络员');
    expect(person.text).toContain('服务代表：');
    expect(person.text).toContain('民情联络员：加入 王芳（服务代表：王建国）');
    const cityGroup = await district.post('/admin/directory/groups/liaisons/members', { userId: 'zd-liaison' });
    expect(cityGroup.status).toBe(403);
    expect(cityGroup.text).toContain('只能管理本区的分组');
    // A district's own group: its admin creates it and adds their people; the city's admin sees it as 张店区's.
    expect((await district.post('/admin/directory/groups', { id: 'zd_liaisons', name: '张店区联络员' })).status).toBe(303);
    expect((await district.post('/admin/directory/groups/zd_liaisons/members', { userId: 'zd-liaison', worksFor: 'deputy1' })).status).toBe(303);
    expect((await district.post('/admin/directory/groups/zd_liaisons/members', { userId: 'wangfang' })).status).toBe(403);
    const groups = await admin.get('/admin/directory/groups');
    expect(groups.text).toMatch(/张店区联络员[\s\S]*张店区人大常委会/);
  });
});

describe('通讯录: paging', () => {
  it('shows 50 people a page with links to the next, keeping the filters', async () => {
    const boss = { userId: 'admin', username: 'admin', name: '系统管理员', orgId: 'city-office', orgName: '', roles: ['admin'] };
    await Promise.all(Array.from({ length: 52 }, (_, i) => s.engine.directory.createPerson(boss, { id: `page-${i}`, name: `分页${i}`, orgId: 'city-office', roles: [], groups: [] })));
    const first = await admin.get(`/admin/directory?q=${encodeURIComponent('分页')}`);
    expect(first.text.match(/id="person-page-/g)).toHaveLength(50);
    expect(first.text).toContain('第 1 / 2 页，共 52 条');
    const next = /href="([^"]*)" rel="next"/.exec(first.text)?.[1]?.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
    expect(next).toContain('page=2');
    expect(next).toContain('q=');
    const second = await admin.get(next!);
    expect(second.text.match(/id="person-page-/g)).toHaveLength(2);
  }, 30_000);
});

describe('通讯录: the history', () => {
  it('lists every change with who, when, what and where it came from, filterable', async () => {
    const all = await admin.get('/admin/directory/history');
    expect(all.status).toBe(200);
    // Newest first: the 51 people the paging test added last come before 李燕's lines.
    expect(all.text.indexOf('分页51')).toBeGreaterThan(0);
    expect(all.text).not.toContain('李燕');
    expect((await admin.get(`/admin/directory/history?q=${encodeURIComponent('李燕')}`)).text).toContain('新增：李燕');
    const orgs = await admin.get('/admin/directory/history?entity=org');
    expect(orgs.text).toContain('测试委员会');
    expect(orgs.text).not.toContain('新增：李燕');
    const mine = await district.get('/admin/directory/history');
    expect(mine.text).toContain('周红');
    expect(mine.text).not.toContain('李燕');
  });
});
