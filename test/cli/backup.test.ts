// backup.test.ts: `lvzhi backup` / `lvzhi restore` as an operator runs them, from another process
// than the one serving: exit codes, messages, the refusals, and the PostgreSQL hint.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import knexFactory from 'knex';
import { createEngine, type Engine } from '../../engine/index.ts';
import { postgresCommands } from '../../engine/store/backup.ts';
import { DEMO_PASSWORD } from '../../engine/store/seed/demo.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
let tmp: string;
let dataDir: string;
let engine: Engine | undefined;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-cli-backup-'));
  dataDir = path.join(tmp, 'data');
  engine = await createEngine({ dataDir, demo: true, now: () => new Date('2026-03-02T01:00:00Z') });
});
afterAll(async () => {
  await engine?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function lvzhi(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const base: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
  delete base.DATABASE_URL;
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/lvzhi.mjs', ...args], { cwd: ROOT, env: { ...base, ...env } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('lvzhi backup and restore', () => {
  it('backs up while the server holds the database, refuses to overwrite, refuses to restore under it', async () => {
    const file = path.join(tmp, 'lvzhi-2026-03-02.sqlite');
    const r = await lvzhi(['backup', file]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^已备份：.*lvzhi-2026-03-02\.sqlite（0 件，0 条办理记录，[\d.]+ MB）/);
    expect(fs.existsSync(file)).toBe(true);

    const again = await lvzhi(['backup', file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^LVZ_STORE_BACKUP 备份文件 .* 已存在，不会覆盖/);

    const held = await lvzhi(['restore', file]);
    expect(held.code).toBe(1);
    expect(held.stdout).toMatch(/恢复前必须停止所有 lvzhi 服务进程/);
    expect(held.stderr).toMatch(/^LVZ_STORE_BACKUP .*正被运行中的 lvzhi 服务使用：请先停止服务/);

    await engine!.close();
    engine = undefined;
    const done = await lvzhi(['restore', file]);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/已恢复：0 件，0 条办理记录；原数据库已保存为 .*lvzhi\.sqlite\.before-restore-\d{8}T\d{6}Z。现在可以启动服务/);
    expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('lvzhi.sqlite.before-restore-'))).toHaveLength(1);
  });

  it('prints the pg_dump and pg_restore commands when DATABASE_URL names PostgreSQL, and does nothing', async () => {
    const url = 'postgres://lvzhi:pw@db.example:5432/lvzhi';
    const b = await lvzhi(['backup', 'lvzhi.dump'], { DATABASE_URL: url });
    expect(b.code).toBe(2);
    expect(b.stdout).toContain('pg_dump --format=custom --file=lvzhi.dump "$DATABASE_URL"');
    const r = await lvzhi(['restore', 'my dump.dump'], { DATABASE_URL: url });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`pg_restore --clean --if-exists --no-owner --single-transaction --dbname="$DATABASE_URL" 'my dump.dump'`);
    expect(b.stdout + r.stdout).not.toContain(':pw@');
  });

  // The PG pass: the printed commands, run as printed, bring every instance and its history back.
  if (process.env.DATABASE_URL) it('pg_dump and pg_restore as printed restore a PostgreSQL database', async () => {
    const server = new URL(process.env.DATABASE_URL!);
    const names = ['lvzhi_dump_src', 'lvzhi_dump_dst'].map((n) => `${n}_${process.pid}`);
    const admin = knexFactory({ client: 'pg', connection: server.toString(), pool: { min: 0, max: 1 } });
    const urlOf = (db: string): string => Object.assign(new URL(server), { pathname: `/${db}` }).toString();
    const shell = (cmd: string, url: string): Promise<unknown> => run('sh', ['-c', cmd], { cwd: tmp, env: { ...process.env, DATABASE_URL: url } });
    try {
      for (const n of names) await admin.raw('create database ??', [n]);
      const at = { now: () => new Date('2026-03-02T01:00:00Z') };
      const src = await createEngine({ dataDir: tmp, databaseUrl: urlOf(names[0]!), demo: true, ...at });
      const deputy = (await src.login('deputy1', DEMO_PASSWORD)).actor;
      const { instanceId } = await src.start(deputy, 'suggestion', { event: 'submit', version: 0, input: { title: 'pg_dump 测试', content: '内容' } });
      const before = (await src.instance(deputy, instanceId)).history.map((e) => [e.seq, e.type, e.at]);
      await shell(postgresCommands('lvzhi.dump').backup, urlOf(names[0]!)); // while src is still open
      await src.close();
      await shell(postgresCommands('lvzhi.dump').restore, urlOf(names[1]!));
      const dst = await createEngine({ dataDir: tmp, databaseUrl: urlOf(names[1]!), ...at });
      try {
        expect((await dst.instance(deputy, instanceId)).history.map((e) => [e.seq, e.type, e.at])).toEqual(before);
      } finally {
        await dst.close();
      }
    } finally {
      for (const n of names) await admin.raw('drop database if exists ?? with (force)', [n]);
      await admin.destroy();
    }
  });

  it('exits 2 with the usage line without exactly one file', async () => {
    const r = await lvzhi(['backup']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^usage: lvzhi backup <file>/);
  });
});
