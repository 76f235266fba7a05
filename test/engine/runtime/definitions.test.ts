// definitions.test.ts: createEngine refuses to start on a broken definition, listing file:line:col,
// and records each definition text once per (kind, id, version).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../engine/index.ts';
import { testDatabase } from '../../helpers/db.ts';

function project(workflow: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-def-'));
  for (const d of ['calendars', 'forms']) fs.cpSync(path.resolve(d), path.join(dir, d), { recursive: true });
  fs.mkdirSync(path.join(dir, 'workflows'));
  fs.writeFileSync(path.join(dir, 'workflows', 'broken.yaml'), workflow);
  return dir;
}

describe('createEngine', () => {
  it('refuses to start with every definition error as file:line:col', async () => {
    const dir = project('id: broken\nversion: 1\ntitle: 坏\nroles: [deputy]\nrecord: suggestion\ninitial: nowhere\nstates:\n  a:\n    on: { go: b }\n');
    let message = '';
    try {
      await createEngine({ dataDir: path.join(dir, 'data'), projectDir: dir });
    } catch (e) { message = (e as Error).message; }
    expect(message).toMatch(/workflows\/broken\.yaml:\d+:\d+: LVZ_DSL_/);
    expect(fs.existsSync(path.join(dir, 'data'))).toBe(false); // nothing touched before the definitions compile
  });

  it('refuses to start when a workflow names a role directory/roles.yaml does not declare (removed), naming the file and line', async () => {
    const dir = project('id: broken\nversion: 1\ntitle: 坏\nroles: [deputy, liaison]\nstarters: [deputy]\nrecord: suggestion\ninitial: a\nstates:\n  a:\n    task: { role: liaison }\n    on: { submit: b }\n  b:\n    final: true\n');
    fs.mkdirSync(path.join(dir, 'directory'));
    const roles = fs.readFileSync(path.resolve('directory/roles.yaml'), 'utf8');
    fs.writeFileSync(path.join(dir, 'directory/roles.yaml'), roles);
    let message = '';
    try {
      await createEngine({ dataDir: path.join(dir, 'data'), projectDir: dir });
    } catch (e) { message = (e as Error).message; }
    expect(message).toMatch(/workflows\/broken\.yaml:4:17: LVZ_DSL_UNDECLARED_ROLE 未声明的角色“liaison”/);
    // Declared, it starts.
    fs.writeFileSync(path.join(dir, 'directory/roles.yaml'), `${roles}  - id: liaison\n    label: 民情联络员\n    description: 联系选民\n`);
    const place = await testDatabase(undefined, 'lvzhi-def-roles-');
    const engine = await createEngine({ dataDir: place.dataDir, ...(place.databaseUrl && { databaseUrl: place.databaseUrl }), projectDir: dir });
    await engine.close();
    await place.cleanup();
    expect(fs.existsSync(path.join(dir, 'data'))).toBe(false);
  });

  it('starts on the shipped definitions', async () => {
    const place = await testDatabase(undefined, 'lvzhi-def-ok-');
    const where = { dataDir: place.dataDir, ...(place.databaseUrl && { databaseUrl: place.databaseUrl }) };
    const engine = await createEngine({ ...where, now: () => new Date('2026-03-02T01:00:00Z') });
    await engine.close();
    const again = await createEngine({ ...where, now: () => new Date('2026-03-03T01:00:00Z') });
    await again.close();
    await place.cleanup();
  });
});
