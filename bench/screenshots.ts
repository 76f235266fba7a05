// screenshots.ts: regenerate the README's pictures (docs/img/) from a demo server with a few
// suggestions in flight. Run with `npm run docs:screenshots` (needs Debian's chromium).

import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser, newContext, VIEWPORTS } from '../test/helpers/browser.ts';
import { startServer } from '../test/helpers/http.ts';

const out = path.resolve(import.meta.dirname, '../docs/img');
const titles = [
  '关于加快老旧小区加装电梯的建议',
  '关于完善城区公交线网优化的建议',
  '关于加强中小学课后服务保障的建议',
  '关于推进农村生活污水治理的建议',
];

async function main(): Promise<void> {
  const server = await startServer();
  const token = async (username: string): Promise<string> => {
    const res = await fetch(`${server.base}/api/v1/tokens`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'lvzhi2026' }),
    });
    return ((await res.json()) as { token: string }).token;
  };
  const deputy = await token('deputy1');
  let instanceId = '';
  for (const title of titles) {
    const res = await fetch(`${server.base}/api/v1/workflows/suggestion/instances`, {
      method: 'POST',
      headers: { authorization: `Bearer ${deputy}`, 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'submit', data: { title, category: '城乡建设与管理', content: `${title}的具体内容。` } }),
    });
    instanceId = ((await res.json()) as { instanceId: string }).instanceId;
  }
  fs.mkdirSync(out, { recursive: true });
  const browser = await launchBrowser();
  const context = await newContext(browser, VIEWPORTS[0]!);
  const page = await context.newPage();
  await page.goto(`${server.base}/login`);
  await page.getByLabel('用户名').fill('review1');
  await page.getByLabel('密码').fill('lvzhi2026');
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/\/inbox/);
  await page.screenshot({ path: path.join(out, 'inbox.png') });
  await page.goto(`${server.base}/instances/${instanceId}`);
  await page.screenshot({ path: path.join(out, 'instance.png'), fullPage: false });
  await browser.close();
  await server.close();
  console.log(`screenshots written to ${path.relative(process.cwd(), out)}/`);
}

await main();
