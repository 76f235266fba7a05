// directory.test.ts: migrations, the demo seed and the directory repository on a real database.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb } from '../../../engine/store/db.ts';
import { listGroupMembers } from '../../../engine/store/directory-data.ts';
import {
  activeDelegateFor, addPhrase, clearOutOfOffice, countUsers, getOrg, getUser, listOrgs, listOutOfOffice,
  listPhrases, listUsers, principalsOf, setOutOfOffice, usersWithRole,
} from '../../../engine/store/directory.ts';
import { DEMO_PASSWORD, MAIN_ACCOUNTS, demoAccounts } from '../../../engine/store/seed/demo.ts';
import { seedDemoDatabase as seedDemo } from '../../../engine/runtime/directory/import/demo.ts';
import type { Role } from '../../../engine/runtime/types.ts';
import { TEST_DB_KINDS, openTestDb, type TestDb } from '../../helpers/db.ts';

const NOW = new Date('2026-03-02T01:00:00.000Z');

describe.each(TEST_DB_KINDS)('directory store on %s', (kind) => {
  let t: TestDb;
  beforeEach(async () => { t = await openTestDb(kind); });
  afterEach(async () => { await t.cleanup(); });

  it('runs the migrations again on an existing database without error', async () => {
    await t.db('orgs').insert({ id: 'x', name: '测试', kind: 'office', parent_id: null, sort: 0 });
    const again = await openDb({ dataDir: t.dataDir, databaseUrl: t.databaseUrl });
    try {
      const names = (await again('knex_migrations').select('name')).map((r: { name: string }) => r.name);
      expect(names).toContain('001_directory');
      expect(new Set(names).size).toBe(names.length);
      expect(await again('orgs').where({ id: 'x' }).first()).toMatchObject({ name: '测试' });
      for (const table of ['orgs', 'users', 'sessions', 'api_tokens', 'phrases', 'out_of_office']) {
        expect(await again.schema.hasTable(table)).toBe(true);
      }
    } finally {
      await again.destroy();
    }
  });

  it('seeds the demo directory once', async () => {
    expect(await seedDemo(t.db, NOW)).toBe(true);
    const users = await countUsers(t.db);
    const orgs = (await listOrgs(t.db)).length;
    expect(await seedDemo(t.db, NOW)).toBe(false);
    expect(await countUsers(t.db)).toBe(users);
    expect((await listOrgs(t.db)).length).toBe(orgs);
  });

  it('builds an organisation tree whose parents all exist', async () => {
    await seedDemo(t.db, NOW);
    const orgs = await listOrgs(t.db);
    const ids = new Set(orgs.map((o) => o.id));
    for (const o of orgs) if (o.parentId) expect(ids.has(o.parentId), o.id).toBe(true);
    expect(await getOrg(t.db, 'city-xlw')).toMatchObject({ kind: 'office', parentId: 'city' });
    expect(await getOrg(t.db, 'city-fgw')).toMatchObject({ name: '市发展和改革委员会', kind: 'unit', parentId: 'city-gov' });
    const kinds = new Set(orgs.map((o) => o.kind));
    for (const k of ['standing_committee', 'office', 'committee', 'district', 'town', 'unit', 'delegation']) expect(kinds.has(k as never), k).toBe(true);
    expect(orgs.filter((o) => o.kind === 'unit').length).toBeGreaterThanOrEqual(10);
    expect(orgs.filter((o) => o.kind === 'town').length).toBe(4);
  });

  it('has a user for every role, every unit and enough deputies to co-sign a bill', async () => {
    await seedDemo(t.db, NOW);
    const roles: Role[] = ['admin', 'deputy', 'review_office', 'handling_unit', 'committee', 'presidium', 'leader', 'staff', 'standing_member', 'chair', 'organ_liaison'];
    for (const role of roles) expect((await usersWithRole(t.db, role)).length, role).toBeGreaterThan(0);
    expect((await usersWithRole(t.db, 'deputy')).length).toBeGreaterThanOrEqual(14);
    for (const unit of (await listOrgs(t.db)).filter((o) => o.kind === 'unit')) {
      expect((await usersWithRole(t.db, 'handling_unit', unit.id)).length, unit.id).toBe(1);
    }
    expect(await getUser(t.db, 'deputy1')).toMatchObject({ name: '王建国', roles: ['deputy'], isDemo: true });
    expect(await getUser(t.db, 'review1')).toMatchObject({ name: '张敏', orgId: 'city-xlw' });
    expect((await usersWithRole(t.db, 'handling_unit', 'city-fgw')).map((u) => u.id)).toEqual(['fgw1']);
    expect((await listUsers(t.db, { orgId: 'city-office' })).map((u) => u.id).sort()).toEqual(['admin', 'staff1']);
    expect(await getUser(t.db, 'nobody')).toBeUndefined();
  });

  it('has the standing committee of the e-vote and duty-report processes: 35 members in a group, five who may chair, the liaisons of 市委 and 一府一委两院', async () => {
    await seedDemo(t.db, NOW);
    const members = await listGroupMembers(t.db, 'standing_members');
    expect(members.map((m) => m.userId)).toEqual(Array.from({ length: 35 }, (_, i) => `member${i + 1}`));
    expect((await usersWithRole(t.db, 'standing_member')).length).toBe(35);
    expect((await usersWithRole(t.db, 'chair')).map((u) => u.id).sort()).toEqual(['member1', 'member2', 'member3', 'member4', 'member5']);
    const liaisons = await usersWithRole(t.db, 'organ_liaison');
    expect(liaisons.map((u) => u.orgId).sort()).toEqual(['city-court', 'city-gov', 'city-jw', 'city-party', 'city-party-org', 'city-procuratorate']);
  });

  it('lists the demo accounts with the main one per role first', async () => {
    await seedDemo(t.db, NOW);
    const accounts = await demoAccounts(t.db);
    expect(accounts.slice(0, MAIN_ACCOUNTS.length).map((a) => a.username)).toEqual(MAIN_ACCOUNTS);
    expect(accounts[0]).toEqual({ username: 'deputy1', password: DEMO_PASSWORD, name: '王建国', roles: ['deputy'], org: '张店区代表团', isMain: true });
    expect(accounts.find((a) => a.username === 'zjj1')).toMatchObject({ roles: ['handling_unit'], org: '市住房和城乡建设局', isMain: false });
    expect(accounts.length).toBe(await countUsers(t.db));
  });

  it('keeps a user\'s saved phrases without duplicates', async () => {
    await seedDemo(t.db, NOW);
    await addPhrase(t.db, { userId: 'review1', text: '同意交办。', now: NOW });
    await addPhrase(t.db, { userId: 'review1', text: ' 同意交办。 ', now: new Date(NOW.getTime() + 1000) });
    await addPhrase(t.db, { userId: 'review1', text: '请补充材料后重新提交。', now: new Date(NOW.getTime() + 2000) });
    expect((await listPhrases(t.db, 'review1')).map((p) => p.text)).toEqual(['同意交办。', '请补充材料后重新提交。']);
    expect(await listPhrases(t.db, 'fgw1')).toEqual([]);
    await expect(addPhrase(t.db, { userId: 'review1', text: '   ', now: NOW })).rejects.toMatchObject({ code: 'LVZ_RUN_BAD_REQUEST' });
  });

  it('finds the out-of-office delegate and principals by local date', async () => {
    await seedDemo(t.db, NOW);
    await setOutOfOffice(t.db, { userId: 'fgw1', delegateId: 'jyj1', fromDate: '2026-02-10', toDate: '2026-02-20', now: NOW });
    expect(await activeDelegateFor(t.db, 'fgw1', '2026-02-09')).toBeUndefined();
    expect((await activeDelegateFor(t.db, 'fgw1', '2026-02-10'))?.id).toBe('jyj1');
    expect((await activeDelegateFor(t.db, 'fgw1', '2026-02-20'))?.id).toBe('jyj1');
    expect(await activeDelegateFor(t.db, 'fgw1', '2026-02-21')).toBeUndefined();
    expect((await principalsOf(t.db, 'jyj1', '2026-02-15')).map((u) => u.id)).toEqual(['fgw1']);
    expect(await principalsOf(t.db, 'jyj1', '2026-02-21')).toEqual([]);
    expect(await principalsOf(t.db, 'fgw1', '2026-02-15')).toEqual([]);
  });

  it('replaces an overlapping out-of-office range so one date has one delegate', async () => {
    await seedDemo(t.db, NOW);
    await setOutOfOffice(t.db, { userId: 'fgw1', delegateId: 'jyj1', fromDate: '2026-02-10', toDate: '2026-02-20', now: NOW });
    await setOutOfOffice(t.db, { userId: 'fgw1', delegateId: 'gaj1', fromDate: '2026-02-18', toDate: '2026-02-25', now: NOW });
    await setOutOfOffice(t.db, { userId: 'fgw1', delegateId: 'mzj1', fromDate: '2026-03-01', toDate: '2026-03-01', now: NOW });
    expect((await activeDelegateFor(t.db, 'fgw1', '2026-02-12'))).toBeUndefined();
    expect((await activeDelegateFor(t.db, 'fgw1', '2026-02-19'))?.id).toBe('gaj1');
    expect(await principalsOf(t.db, 'jyj1', '2026-02-19')).toEqual([]);
    expect((await listOutOfOffice(t.db, 'fgw1')).map((r) => r.delegateId)).toEqual(['gaj1', 'mzj1']);
    await clearOutOfOffice(t.db, 'fgw1');
    expect(await activeDelegateFor(t.db, 'fgw1', '2026-03-01')).toBeUndefined();
  });

  it('refuses an out-of-office range that cannot be right', async () => {
    await seedDemo(t.db, NOW);
    const bad = [
      { userId: 'fgw1', delegateId: 'jyj1', fromDate: '2026-02-20', toDate: '2026-02-10' },
      { userId: 'fgw1', delegateId: 'jyj1', fromDate: '2026/02/10', toDate: '2026-02-20' },
      { userId: 'fgw1', delegateId: 'fgw1', fromDate: '2026-02-10', toDate: '2026-02-20' },
    ];
    for (const input of bad) await expect(setOutOfOffice(t.db, { ...input, now: NOW })).rejects.toMatchObject({ code: 'LVZ_RUN_BAD_REQUEST' });
  });
});

