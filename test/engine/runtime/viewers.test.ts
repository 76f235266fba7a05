// viewers.test.ts: a workflow's `viewers:` (docs/dsl.md, docs/runtime.md) is accepted by the schema and
// lets those roles see every instance, in the list and on the case page, without acting on it.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, openHarness, type Harness } from './harness.ts';

const NOTICE = `id: notice
version: 1
title: 情况反映
roles: [deputy, review_office, leader]
starters: [deputy]
viewers: [leader]
record: suggestion
initial: draft
states:
  draft:
    task: { assignee: initiator, fields: { edit: [title, content] } }
    on: { submit: review }
  review:
    task: { role: review_office }
    on: { done: closed }
  closed: { final: true }
`;

let h: Harness;
beforeAll(async () => {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-proj-'));
  for (const dir of ['calendars', 'forms']) fs.cpSync(path.resolve(dir), path.join(project, dir), { recursive: true });
  fs.mkdirSync(path.join(project, 'workflows'));
  fs.writeFileSync(path.join(project, 'workflows/notice.yaml'), NOTICE);
  h = await openHarness({ projectDir: project });
});
afterAll(async () => { await h.close(); });

describe('viewers:', () => {
  it('a viewer role sees every instance; a role that is neither viewer nor involved does not', async () => {
    const { instanceId } = await h.engine.start(await h.as('deputy1'), 'notice', { event: 'submit', version: 0, input: { title: '情况反映一', content: '内容' } });
    const leader = await h.as('leader1');
    expect((await h.engine.instance(leader, instanceId)).summary.title).toBe('情况反映一');
    expect((await h.engine.instances(leader, { page: 1, pageSize: 20 })).items.map((i) => i.instanceId)).toContain(instanceId);
    expect(await codeOf(h.engine.instance(await h.as('fgw1'), instanceId))).toBe('LVZ_RUN_NOT_FOUND');
  });
});
