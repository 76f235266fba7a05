// apply.ts: writes a plan (plan.ts) inside the caller's transaction: roles, then orgs (parents
// first), people, groups and members, each created or updated row with its audit row
// (directory_changes) under the import's batch id. New people get no usable password.

import type { Knex } from 'knex';
import {
  insertMemberGroup, insertOrgRows, insertRole, insertUserRows, recordChanges, revokeAccess, updateMemberGroup, updateOrg, updateRole,
  updateUser, writeGroupMembers, type NewChange,
} from '../../../store/directory-data.ts';
import type { ChangeSource } from '../../../store/types.ts';
import { planSize, type ImportPlan } from './plan.ts';
import * as say from './summary.ts';
import type { ImportProgress, StoredDirectory, StoredUser } from './types.ts';

/** Stored as the hash of a person created without a password: no password verifies against it. */
export const NO_PASSWORD = '!';

export interface ApplyOptions {
  now: Date;
  actor: { id: string; name: string } | null;
  source: ChangeSource;
  batchId: string;
  /** The demo seed: every new person gets this hash (the published demo password) and is a demo account. */
  demo?: { passwordHash: string };
  onProgress?: ImportProgress;
}

/** Rows per statement and per progress report. */
const CHUNK = 500;

function namer(plan: ImportPlan, stored: StoredDirectory): say.Namer {
  const orgs = new Map([...stored.orgs].map(([id, o]) => [id, o.name]));
  for (const o of [...plan.orgs.create, ...plan.orgs.update.map((u) => u.after)]) orgs.set(o.id, o.name);
  const roles = new Map([...stored.roles].map(([id, r]) => [id, r.label]));
  for (const r of plan.roles.create) roles.set(r.id, r.label);
  const users = new Map([...stored.users].map(([id, u]) => [id, u.name]));
  for (const u of plan.users.create) users.set(u.id, u.name);
  return { org: (id) => (id ? orgs.get(id) ?? id : '无'), role: (id) => roles.get(id) ?? id, user: (id) => (id ? users.get(id) ?? id : '') };
}

const action = (b: { disabled: boolean }, a: { disabled: boolean }, summary: string): string =>
  b.disabled !== a.disabled && !summary.includes('；') ? (a.disabled ? 'disable' : 'enable') : 'update';

export async function applyPlan(trx: Knex, plan: ImportPlan, stored: StoredDirectory, o: ApplyOptions): Promise<void> {
  const n = namer(plan, stored);
  const total = planSize(plan);
  let done = 0;
  const changes: NewChange[] = [];
  const change = (c: Omit<NewChange, 'actorId' | 'actorName' | 'source' | 'batchId'>): void => {
    changes.push({ actorId: o.actor?.id ?? null, actorName: o.actor?.name ?? '', source: o.source, batchId: o.batchId, ...c });
  };
  const step = (k: number): void => {
    done += k;
    o.onProgress?.('write', Math.min(done, total), total);
  };

  for (const r of plan.roles.create) {
    await insertRole(trx, { id: r.id, label: r.label, description: r.description, createdBy: o.actor?.id ?? null }, o.now);
    change({ entity: 'role', entityId: r.id, action: 'create', summary: `声明角色 ${r.label}（${r.id}）`, after: { label: r.label, description: r.description } });
  }
  for (const { before, after } of plan.roles.update) {
    await updateRole(trx, after.id, { label: after.label, description: after.description });
    change({ entity: 'role', entityId: after.id, action: 'update', summary: `名称：${before.label} → ${after.label}`, before: { label: before.label, description: before.description }, after: { label: after.label, description: after.description } });
  }
  step(plan.roles.create.length + plan.roles.update.length);

  await insertOrgRows(trx, plan.orgs.create, o.now);
  for (const org of plan.orgs.create) change({ entity: 'org', entityId: org.id, action: 'create', summary: say.orgCreated(org, n), after: org });
  for (const { before, after } of plan.orgs.update) {
    await updateOrg(trx, after.id, after, o.now);
    const summary = say.orgUpdated(before, after, n);
    change({ entity: 'org', entityId: after.id, action: action(before, after, summary), summary, before, after });
  }
  step(plan.orgs.create.length + plan.orgs.update.length);

  for (let i = 0; i < plan.users.create.length; i += CHUNK) {
    const chunk = plan.users.create.slice(i, i + CHUNK);
    await insertUserRows(trx, chunk.map((u) => ({
      ...u, passwordHash: o.demo?.passwordHash ?? NO_PASSWORD, mustChangePassword: false, ...(o.demo && { isDemo: true }),
    })), o.now);
    for (const u of chunk) change({ entity: 'user', entityId: u.id, action: 'create', summary: say.userCreated(u, n), after: u });
    step(chunk.length);
  }
  for (let i = 0; i < plan.users.update.length; i += CHUNK) {
    const chunk = plan.users.update.slice(i, i + CHUNK);
    for (const { before, after } of chunk) await updatePerson(trx, before, after, o.now, n, change);
    step(chunk.length);
  }

  for (const g of plan.groups.create) {
    await insertMemberGroup(trx, g, o.now);
    change({ entity: 'group', entityId: g.id, action: 'create', summary: say.groupCreated(g), after: g });
  }
  for (const { before, after } of plan.groups.update) {
    await updateMemberGroup(trx, after, o.now);
    change({ entity: 'group', entityId: after.id, action: 'update', summary: say.groupUpdated(before, after), before, after });
  }
  step(plan.groups.create.length + plan.groups.update.length);

  await writeGroupMembers(trx, [...plan.members.create, ...plan.members.update.map((u) => u.after)]);
  for (const m of plan.members.create) change({ entity: 'group', entityId: m.groupId, action: 'update', summary: say.memberAdded(m, n), after: m });
  for (const { before, after } of plan.members.update) change({ entity: 'group', entityId: after.groupId, action: 'update', summary: say.memberUpdated(before, after, n), before, after });
  step(plan.members.create.length + plan.members.update.length);

  await recordChanges(trx, changes, o.now);
  o.onProgress?.('write', total, total);
}

async function updatePerson(
  trx: Knex, before: StoredUser, after: StoredUser, now: Date, n: say.Namer, change: (c: Omit<NewChange, 'actorId' | 'actorName' | 'source' | 'batchId'>) => void,
): Promise<void> {
  await updateUser(trx, after.id, after, now);
  // 停用 closes every way in at once: the sessions and API tokens the person already has.
  if (after.disabled && !before.disabled) await revokeAccess(trx, after.id);
  const summary = say.userUpdated(before, after, n);
  change({ entity: 'user', entityId: after.id, action: action(before, after, summary), summary, before, after });
}
