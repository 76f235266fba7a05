// ballot-sittings.ts: the ballots the page tests use, on the demo directory: the 14 demo deputies as
// the electorate and 郑晓东 (staff1) in the chair, hung on a real suggestion instance so the instance
// page and 待办 link to them. Ballots are added to the in-memory double (ballot-double.ts).

import type { Actor, Engine } from '../../engine/runtime/types.ts';
import type { Ballot } from '../../engine/constructs/ballot/index.ts';
import type { DoubleMember, DoubleSitting, ballotDouble } from './ballot-double.ts';
import { DEMO_PASSWORD } from './http.ts';

export const DEPUTIES = Array.from({ length: 14 }, (_, i) => `deputy${i + 1}`);

export async function actorOf(engine: Engine, username: string): Promise<Actor> {
  return (await engine.login(username, DEMO_PASSWORD)).actor;
}

export async function membersOf(engine: Engine, usernames: string[]): Promise<DoubleMember[]> {
  return Promise.all(usernames.map(async (u) => {
    const a = await actorOf(engine, u);
    return { userId: a.userId, name: a.name, org: a.orgName };
  }));
}

/** A suggestion case the ballots hang on (the instance page lists them). */
export async function caseFor(engine: Engine, title: string): Promise<string> {
  const { instanceId } = await engine.start(await actorOf(engine, 'deputy1'), 'suggestion', {
    event: 'submit', version: 0, input: { title, category: '社会保障', content: '建议听取和审议专项工作报告后进行满意度测评。' },
  });
  return instanceId;
}

const base = { members: 0, quorum: 'majority_of_members', pass: 'majority_of_present' } as const;

export function forAgainst(id: string, secret = true): Ballot {
  return { ...base, id, kind: 'for_against', secret };
}

export function rating(id: string): Ballot {
  return { ...base, id, kind: 'rating', secret: true, scale: ['满意', '基本满意', '不满意'], pass_options: ['满意', '基本满意'] };
}

export function choose(id: string, options: string[], upTo: number): Ballot {
  return { ...base, pass: 'none', id, kind: 'choose', secret: true, options, choose: { up_to: upTo } };
}

export function score(id: string): Ballot {
  return { ...base, pass: 'none', id, kind: 'score', secret: false, min: 0, max: 100, step: 1 };
}

/** Adds a sitting and returns its first ballot's id. */
export async function addSitting(
  engine: Engine, ballots: ReturnType<typeof ballotDouble>,
  s: Omit<DoubleSitting, 'chairs' | 'members'> & { chairs?: string[]; members?: DoubleMember[] },
): Promise<string> {
  const chairs = await Promise.all((s.chairs ?? ['staff1']).map(async (u) => (await actorOf(engine, u)).userId));
  ballots.add({ ...s, chairs, members: s.members ?? await membersOf(engine, DEPUTIES) });
  return s.ballots[0]!.id;
}
