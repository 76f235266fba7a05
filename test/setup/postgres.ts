// postgres.ts (vitest globalSetup): with LVZHI_TEST_PG=1, start a throwaway PostgreSQL server on
// 127.0.0.1 for the run and hand its URL to the workers as DATABASE_URL; without it, make sure
// no DATABASE_URL from the shell reaches the tests (they would create schemas on that server).
//
// The workers are forked after global setup with a copy of process.env, so setting
// process.env.DATABASE_URL here is what they see (test/helpers/db.ts reads it).
// LVZHI_TEST_DATABASE_URL points the PG pass at an existing server instead (nothing is started).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';

const DB_NAME = 'lvzhi_test';

/** The newest Debian PostgreSQL (/usr/lib/postgresql/<ver>/bin), else whatever is on PATH. */
export function pgBin(tool: string): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', tool))).sort((a, b) => Number(b) - Number(a))
    : [];
  return versions[0] ? path.join(root, versions[0], 'bin', tool) : tool;
}

/** initdb refuses to run as root: as root, run the server tools as the `postgres` system user. */
export function asServerUser(): { prefix: string[]; chown(dir: string): void } {
  if (process.getuid?.() !== 0) return { prefix: [], chown: () => undefined };
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { prefix: ['runuser', '-u', 'postgres', '--'], chown: (dir) => fs.chownSync(dir, uid, gid) };
}

function run(prefix: string[], tool: string, args: string[]): void {
  const argv = [...prefix, pgBin(tool), ...args];
  execFileSync(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.LVZHI_TEST_PG !== '1') {
    delete process.env.DATABASE_URL;
    return undefined;
  }
  if (process.env.LVZHI_TEST_DATABASE_URL) {
    process.env.DATABASE_URL = process.env.LVZHI_TEST_DATABASE_URL;
    return undefined;
  }
  try {
    execFileSync(pgBin('initdb'), ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('LVZHI_TEST_PG=1 needs PostgreSQL\'s server programs: apt-get install postgresql (Debian), or set LVZHI_TEST_DATABASE_URL to a server of your own');
  }
  const user = asServerUser();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-pg-'));
  user.chown(dir);
  const data = path.join(dir, 'data');
  const port = await freePort();
  // C collation: text sorts byte-wise, as on SQLite, so both passes see the same order.
  run(user.prefix, 'initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  // fsync off: a test server's data is thrown away, so durability only costs time.
  const opts = [
    '-c listen_addresses=127.0.0.1', `-c port=${port}`, `-c unix_socket_directories=${dir}`,
    '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=300',
  ].join(' ');
  run(user.prefix, 'pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-o', opts, '-w', '-t', '60', 'start']);
  const stop = async (): Promise<void> => {
    try {
      run(user.prefix, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    const admin = knexFactory({ client: 'pg', connection: `postgres://postgres@127.0.0.1:${port}/postgres` });
    await admin.raw(`create database ${DB_NAME}`).finally(() => admin.destroy());
  } catch (e) {
    await stop();
    throw e;
  }
  process.env.DATABASE_URL = `postgres://postgres@127.0.0.1:${port}/${DB_NAME}`;
  process.stdout.write(`postgres: test server on 127.0.0.1:${port} (${pgBin('postgres')})\n`);
  return stop;
}
