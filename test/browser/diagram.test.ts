// diagram.test.ts: the flow diagram in headless Chromium. A suggestion's and a bill's instance page at
// 1280px and 390px: the diagram runs top to bottom at its natural size (never stretched), scales down
// to a phone by no more than a fifth, never widens the page, and axe finds nothing serious; the studio
// editor's diagram image is shown whole. Each diagram is screenshotted on its own (test-artifacts/browser/diagram).

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buildStudio } from '../../cli/build-studio.ts';
import { ARTIFACTS, VIEWPORTS, checkPage, type PageCheck } from '../helpers/browser.ts';
import { useServerAndBrowser } from '../helpers/browser-world.ts';

const DIR = path.join(ARTIFACTS, 'browser', 'diagram');

const w = useServerAndBrowser();

beforeAll(async () => {
  await buildStudio(); // the editor's bundle, as `npm test` builds it in pretest
}, 120_000);

interface Fit {
  pageWidth: number;
  viewport: number;
  shown: number;
  natural: number;
  box: number;
}

/** How the diagram sits on the page: its drawn width, its own (viewBox) width, its box's inner width, the page's. */
async function fitOf(page: Page): Promise<Fit> {
  return page.evaluate(() => {
    const svg = document.querySelector('.diagram-svg svg')!;
    const box = document.querySelector('.diagram-svg')!;
    const style = getComputedStyle(box);
    return {
      pageWidth: document.documentElement.scrollWidth,
      viewport: window.innerWidth,
      shown: svg.getBoundingClientRect().width,
      natural: Number(svg.getAttribute('viewBox')!.split(' ')[2]),
      box: box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
    };
  });
}

describe('the flow diagram in a browser', () => {
  it('fits a phone and a desktop on the suggestion and bill pages, and shows whole in the studio', async () => {
    const deputy = await w.actor('deputy1');
    const suggestion = await w.server.engine.start(deputy, 'suggestion', {
      event: 'submit', version: 0, input: { title: '关于加装电梯的建议', category: '其他', content: '老旧小区加装电梯。' },
    });
    const cosigners = Array.from({ length: 10 }, (_, i) => `deputy${i + 2}`);
    const bill = await w.server.engine.start(deputy, 'bill', {
      event: 'submit', version: 0, input: { title: '关于制定养老服务条例的议案', content: '案据和方案……', cosigners },
    });
    const checks: PageCheck[] = [];
    for (const vp of VIEWPORTS) {
      const page = await w.logIn(vp, 'deputy1');
      for (const [name, id] of [['suggestion', suggestion.instanceId], ['bill', bill.instanceId]] as const) {
        await page.goto(`${w.base}/instances/${id}`);
        await page.locator('.lz-diagram-current').first().waitFor({ state: 'attached' });
        const fit = await fitOf(page);
        expect(fit.pageWidth, `${name} ${vp.name}`).toBeLessThanOrEqual(fit.viewport); // the page never scrolls sideways
        expect(fit.shown, `${name} ${vp.name}`).toBeLessThanOrEqual(fit.box + 0.5);
        expect(fit.shown / fit.natural, `${name} ${vp.name}`).toBeLessThanOrEqual(1.001); // never stretched
        expect(fit.shown / fit.natural, `${name} ${vp.name}`).toBeGreaterThanOrEqual(vp.isMobile ? 0.8 : 0.999); // 14px text stays ≥ 11px
        await page.locator('figure.diagram').screenshot({ path: path.join(DIR, `${name}-${vp.width}.png`) });
        checks.push(await checkPage(page, `${name}-${vp.name}`, DIR));
      }
      await page.context().close();
    }

    const admin = await w.logIn(VIEWPORTS[0]!, 'admin');
    await admin.goto(`${w.base}/admin/workflows/bill`);
    const img = admin.locator('#studio-diagram');
    await img.waitFor({ state: 'visible' });
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
    const [shown, natural] = await img.evaluate((el: HTMLImageElement) => [el.getBoundingClientRect().width, el.naturalWidth]);
    expect(shown / natural!).toBeGreaterThanOrEqual(0.8);
    await admin.locator('figure.studio-diagram').screenshot({ path: path.join(DIR, 'studio-bill-1280.png') });
    checks.push(await checkPage(admin, 'studio-editor', DIR));
    await admin.context().close();

    expect(checks.filter((c) => c.violations.length > 0)).toEqual([]);
  }, 120_000);
});
