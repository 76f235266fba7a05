// ballot-world.ts: a listening server on the real engine whose workflows are the ballot fixtures
// (test/fixtures/runtime/ballots: vote-secret, vote-choose, vote-roster, vote-named, vote-score, …),
// with a member group `standing` of N members who can log in (m0001 … with the demo password).
// 赵志刚 (leader1) chairs, 郑晓东 (staff1) starts the cases.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hashPassword } from '../../engine/auth/password.ts';
import type { Actor, DirectoryChangeSet } from '../../engine/runtime/types.ts';
import { DEMO_PASSWORD, startServer, type TestServer } from './http.ts';

export interface BallotServer {
  s: TestServer;
  /** The group's members as actors (for casts made straight through the engine). */
  members: Actor[];
  usernames: string[];
  chair: Actor;
  staff: Actor;
  close(): Promise<void>;
}

const SURNAMES = '王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董';
const GIVEN = ['建华', '秀英', '志强', '海燕', '国平', '丽娟', '文斌', '晓东', '玉兰', '德明', '桂芳', '立新', '红梅', '永胜', '淑珍', '春生', '晓燕'];

export function memberName(i: number): string {
  return `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}`;
}

/** `orgs`: the members' units in turn (member i works in orgs[i % orgs.length]); all in `city` by default. */
export async function ballotServer(n: number, opts: { orgs?: string[] } = {}): Promise<BallotServer> {
  const orgs = opts.orgs ?? ['city'];
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-ballot-ui-'));
  for (const dir of ['calendars', 'forms', 'directory']) fs.cpSync(path.resolve(dir), path.join(project, dir), { recursive: true });
  fs.cpSync(path.resolve('test/fixtures/runtime/ballots'), path.join(project, 'workflows'), { recursive: true });
  // 2026-12-02 09:00 in Beijing: the fixtures' deadlines fall in a year the calendar covers.
  const s = await startServer({ projectDir: project, start: '2026-12-02T01:00:00Z' });
  const hash = await hashPassword(DEMO_PASSWORD);
  const ids = Array.from({ length: n }, (_, i) => `m${String(i + 1).padStart(4, '0')}`);
  const set: DirectoryChangeSet = {
    people: ids.map((id, i) => ({ id, name: memberName(i), orgId: orgs[i % orgs.length]!, roles: [], phone: null, deputyLevel: null, constituency: null, disabled: false, passwordHash: hash, mustChangePassword: false })),
    groups: [{ id: 'standing', name: '常委会组成人员', description: '', ownerOrg: null, disabled: false }],
    members: ids.map((userId, i) => ({ groupId: 'standing', userId, worksFor: null, sort: i + 1 })),
  };
  await s.engine.directoryApply(null, set, { source: 'cli' });
  const login = async (u: string) => (await s.engine.login(u, DEMO_PASSWORD)).actor;
  return {
    s,
    // As the engine's own ballot tests do: the members' actors as a session would give them.
    members: ids.map((id, i) => ({ userId: id, username: id, name: memberName(i), orgId: orgs[i % orgs.length]!, orgName: orgs[i % orgs.length] === 'city' ? '市人大常委会' : '', roles: [] })),
    usernames: ids,
    chair: await login('leader1'),
    staff: await login('staff1'),
    async close() {
      await s.close();
      fs.rmSync(project, { recursive: true, force: true });
    },
  };
}

/** Starts a case of `workflowId` and submits its draft: it rests at its ballot step. Returns the ballots, in roster order. */
export async function toBallot(w: BallotServer, workflowId: string, title = '关于本市食品安全工作情况的报告'): Promise<{ instanceId: string; ballotIds: string[] }> {
  const { instanceId } = await w.s.engine.start(w.staff, workflowId, { event: 'submit', version: 0, input: { title, content: '报告正文' } });
  const ballots = await w.s.engine.ballotsOf(w.chair, instanceId);
  return { instanceId, ballotIds: [...ballots].sort((a, b) => (a.itemIndex ?? 0) - (b.itemIndex ?? 0)).map((b) => b.ballotId) };
}

/** Signs in the first `present` members and opens the sitting, through the engine. */
export async function opened(w: BallotServer, ballotId: string, present = w.members.length): Promise<void> {
  await w.s.engine.signIn(w.chair, ballotId, w.members.slice(0, present).map((m) => m.userId));
  await w.s.engine.openBallot(w.chair, ballotId);
}
