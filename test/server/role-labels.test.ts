// role-labels.test.ts: a role is shown by the label directory/roles.yaml gives it, on every page (inbox holder,
// instance page, its diagram, the login page's demo list): change the label in a project folder and the pages follow.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, loginAs, startServer, type TestServer } from '../helpers/http.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const LABEL = '建议审查组（测试标签）';
let project = '';
let s: TestServer;
let deputy: Client;
let review: Client;

beforeAll(async () => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-roles-'));
  for (const d of ['calendars', 'forms', 'workflows', 'directory']) fs.cpSync(path.join(REPO, d), path.join(project, d), { recursive: true });
  const file = path.join(project, 'directory/roles.yaml');
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toContain('label: 审查交办（代表工委）');
  fs.writeFileSync(file, text.replace('label: 审查交办（代表工委）', `label: ${LABEL}`).replace('label: 人大代表', 'label: 代表（测试标签）'));
  s = await startServer({ projectDir: project });
  [deputy, review] = await Promise.all(['deputy1', 'review1'].map((u) => loginAs(s.base, u)));
});
afterAll(async () => {
  await s?.close();
  if (project) fs.rmSync(project, { recursive: true, force: true });
});

describe('role labels come from directory/roles.yaml', () => {
  it('shows the changed label as the holder in the inbox, on the instance page and in its diagram', async () => {
    await deputy.get('/start/suggestion');
    const res = await deputy.post('/start/suggestion', { _event: 'submit', title: '关于标签的建议', content: '建议内容', category: '城乡建设与管理' });
    expect(res.status, res.text.slice(0, 800)).toBe(303);
    const id = decodeURIComponent(res.location!.split('/').pop()!);
    const inbox = await review.get('/inbox?list=todo');
    expect(inbox.text).toContain(LABEL);
    expect(inbox.text).not.toContain('审查交办（代表工委）');
    const page = await deputy.get(`/instances/${id}`);
    expect(page.text).toContain(LABEL);
    expect(page.text).not.toContain('审查交办（代表工委）');
    expect(page.text).not.toContain('>review_office<');
  });

  it('shows it in the login page\'s list of demo accounts', async () => {
    const login = await new Client(s.base).get('/login');
    expect(login.text).toContain('代表（测试标签）');
  });
});
