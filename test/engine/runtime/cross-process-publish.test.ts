// cross-process-publish.test.ts: a version published through one engine (server process) is
// usable at once through another engine on the same database that loaded before the publish.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, REPO_ROOT } from '../../../engine/index.ts';
import type { Engine } from '../../../engine/runtime/types.ts';
import { openHarness, taskOf, versionOf, type Harness } from './harness.ts';

const CITY = fs.readFileSync(path.join(REPO_ROOT, 'workflows', 'suggestion.yaml'), 'utf8');

let h: Harness;
let other: Engine;
beforeAll(async () => {
  h = await openHarness();
  other = await createEngine({ dataDir: h.dataDir, ...(h.databaseUrl && { databaseUrl: h.databaseUrl }), now: () => h.clock.now });
});
afterAll(async () => { await other.close(); await h.close(); });

describe('a version published by another process', () => {
  it('is found when an instance on it is opened, acted on or timed here', async () => {
    const admin = await h.as('admin');
    const text = CITY.replace('title: 审查交办', 'title: 审查并交办');
    expect((await h.engine.studio.publish(admin, 'workflow', 'suggestion', { text, message: '改名', baseVersion: 1 })).version).toBe(2);
    const started = await h.engine.start(await h.as('deputy1'), 'suggestion', {
      event: 'submit', version: 0, input: { title: '关于增设公交站点的建议', category: '城乡建设与管理', content: '建议增设站点。' },
    });
    // `other` loaded its definitions before the publish and has never started anything since.
    const review = await h.as('review1');
    const view = await other.instance(review, started.instanceId);
    expect(view.summary).toMatchObject({ workflowVersion: 2, stateTitle: '审查并交办' });
    const taskId = await taskOf(h, 'review1', started.instanceId);
    await other.complete(review, taskId, {
      event: 'accept', version: await versionOf(h, 'review1', started.instanceId), opinion: '同意',
      input: { lead_unit: 'city-fgw', is_complex: '否', is_key: '否' },
    });
    expect((await other.instance(review, started.instanceId)).summary.state).toBe('handle');
  });
});
