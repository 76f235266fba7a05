// serve.test.ts: `lvzhi serve` when the database cannot be reached at start: one clear line on
// stderr (what failed, what to check, no password) and exit code 3, before anything listens.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-serve-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function serve(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  // PORT 0: should the database open after all, the test fails on the exit code, not on a busy port.
  const base: NodeJS.ProcessEnv = { ...process.env, PORT: '0', DATA_DIR: path.join(tmp, 'data') };
  delete base.DATABASE_URL;
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/lvzhi.mjs', 'serve'], { cwd: ROOT, env: { ...base, ...env }, timeout: 25_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** A port nothing listens on: bound for a moment by us, then closed again. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

describe('lvzhi serve with an unreachable database', () => {
  it('exits 3 with one line naming DATABASE_URL, the address and the reason, without the password', async () => {
    const port = await closedPort();
    const r = await serve({ DATABASE_URL: `postgres://lvzhi:s3cret-pw@127.0.0.1:${port}/lvzhi` });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^LVZ_STORE_UNAVAILABLE 无法连接数据库 postgres:\/\/lvzhi:\*\*\*@127\.0\.0\.1:\d+\/lvzhi（.*ECONNREFUSED.*）：请检查 DATABASE_URL/);
    expect(r.stderr).not.toContain('s3cret-pw');
  });

  it('exits 3 when DATABASE_URL is not a PostgreSQL URL', async () => {
    const r = await serve({ DATABASE_URL: 'mysql://root@localhost/lvzhi' });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^LVZ_STORE_UNAVAILABLE .*postgres:\/\/.*\n$/);
  });

  it('exits 3 when the SQLite data directory cannot be created', async () => {
    const file = path.join(tmp, 'a-file');
    fs.writeFileSync(file, '');
    const r = await serve({ DATA_DIR: path.join(file, 'data') });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^LVZ_STORE_UNAVAILABLE 无法打开数据库文件 .*请检查 DATA_DIR.*\n$/);
  });

  // The PG pass (LVZHI_TEST_PG=1) has a server to be wrong about.
  if (process.env.DATABASE_URL) it('exits 3 when the PostgreSQL server is up but the database does not exist', async () => {
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = '/no_such_database';
    const r = await serve({ DATABASE_URL: url.toString() });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^LVZ_STORE_UNAVAILABLE .*no_such_database.*\n$/);
  });
});
