// setup.ts: a real engine (SQLite, or PostgreSQL in the PG pass) whose workflows are the ballot
// fixtures (test/fixtures/runtime/ballots), with a member group `standing` of N members.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hashPassword } from '../../../../../engine/auth/password.ts';
import { DEMO_PASSWORD } from '../../../../../engine/store/seed/demo.ts';
import type { Actor, DirectoryChangeSet } from '../../../../../engine/runtime/types.ts';
import { openHarness, type Harness } from '../../../runtime/harness.ts';

export interface BallotWorld {
  h: Harness;
  members: Actor[];
  chair: Actor;
  staff: Actor;
  outsider: Actor;
  close(): Promise<void>;
}

const actor = (id: string, name: string, roles: string[]): Actor => ({ userId: id, username: id, name, orgId: 'city', orgName: '市人大常委会', roles });

export async function ballotWorld(n: number): Promise<BallotWorld> {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-ballot-'));
  for (const dir of ['calendars', 'forms', 'directory']) fs.cpSync(path.resolve(dir), path.join(project, dir), { recursive: true });
  fs.cpSync(path.resolve('test/fixtures/runtime/ballots'), path.join(project, 'workflows'), { recursive: true });
  const h = await openHarness({ projectDir: project, start: '2026-12-02T01:00:00Z' });
  const hash = await hashPassword(DEMO_PASSWORD);
  const ids = Array.from({ length: n }, (_, i) => `m${String(i + 1).padStart(4, '0')}`);
  const set: DirectoryChangeSet = {
    people: [
      ...ids.map((id, i) => ({ id, name: `委员${i + 1}`, orgId: 'city', roles: [], phone: null, deputyLevel: null, constituency: null, disabled: false, passwordHash: hash, mustChangePassword: false })),
      { id: 'outsider', name: '列席人员', orgId: 'city', roles: [], phone: null, deputyLevel: null, constituency: null, disabled: false, passwordHash: hash, mustChangePassword: false },
    ],
    groups: [{ id: 'standing', name: '常委会组成人员', description: '', ownerOrg: null, disabled: false }],
    members: ids.map((userId, i) => ({ groupId: 'standing', userId, worksFor: null, sort: i + 1 })),
  };
  await h.engine.directoryApply(null, set, { source: 'cli' });
  return {
    h,
    members: ids.map((id, i) => actor(id, `委员${i + 1}`, [])),
    chair: await h.as('leader1'),
    staff: await h.as('staff1'),
    outsider: actor('outsider', '列席人员', []),
    async close() {
      await h.close();
      fs.rmSync(project, { recursive: true, force: true });
    },
  };
}

/** Starts an instance of `workflowId` and submits its draft: the instance rests at its ballot step. */
export async function toBallot(w: BallotWorld, workflowId: string): Promise<{ instanceId: string; ballotIds: string[] }> {
  const { instanceId } = await w.h.engine.start(w.staff, workflowId, { event: 'submit', version: 0, input: { title: '关于本市专项工作情况的报告', content: '报告正文' } });
  const ballots = await w.h.engine.ballotsOf(w.chair, instanceId);
  return { instanceId, ballotIds: ballots.map((b) => b.ballotId) };
}

/** Signs in the first `present` members and opens the sitting. */
export async function opened(w: BallotWorld, ballotId: string, present = w.members.length): Promise<void> {
  await w.h.engine.signIn(w.chair, ballotId, w.members.slice(0, present).map((m) => m.userId));
  await w.h.engine.openBallot(w.chair, ballotId);
}
