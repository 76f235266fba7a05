// admin.ts: `lvzhi admin create <username>` (the first administrator of an install) and
// `lvzhi admin reset-password <username>` (the operator locked out), on the database `serve` uses
// (DATA_DIR / DATABASE_URL). The password is asked twice without echo on a terminal, else read
// from the first line of stdin. Exit codes (docs/deploy.md): 0 done, 1 refused, 2 usage,
// 3 database unreachable, 4 weak password, 5 user exists, 6 no such user.

import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isLvzError, type LvzError } from '../engine/errors.ts';
import { systemClock } from '../engine/runtime/clock.ts';
import { createAdmin, ensureNewUsername, ensurePassword, ensureUsername, resetPassword } from '../engine/runtime/first-admin.ts';
import { openDb, type Db } from '../engine/store/db.ts';
import { readPassword, type PasswordIo } from './password-input.ts';

export interface AdminIo extends PasswordIo {
  env: NodeJS.ProcessEnv;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
}

const USAGE = `usage:
  lvzhi admin create <用户名> [--name 姓名] [--org 组织] [--root-org 根组织名] [--rehearsal]
      创建管理员（数据库里还没有组织时，同时建立“市人大常委会 / 办公室”）；密码在终端输入两次，或从标准输入读第一行
  lvzhi admin reset-password <用户名>
      重设密码，并解除该用户名的登录锁定、结束其所有会话`;

const EXIT: Record<string, number> = { LVZ_AUTH_WEAK_PASSWORD: 4, LVZ_AUTH_USER_EXISTS: 5, LVZ_AUTH_NO_SUCH_USER: 6 };

function exitCode(e: LvzError): number {
  return EXIT[e.code] ?? (e.code.startsWith('LVZ_STORE_') ? 3 : 1);
}

/** One audit line on stdout: there is no user audit table yet, so the operator's log keeps it. */
function audit(io: AdminIo, what: string): void {
  let who = 'unknown';
  try { who = os.userInfo().username; } catch { /* no passwd entry (containers) */ }
  io.out.write(`审计：${systemClock().toISOString()} 服务器命令行（操作系统用户 ${who}）${what}\n`);
}

async function withDb<T>(io: AdminIo, run: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDb({ dataDir: path.resolve(io.env.DATA_DIR || './data'), ...(io.env.DATABASE_URL && { databaseUrl: io.env.DATABASE_URL }) });
  try {
    return await run(db);
  } finally {
    await db.destroy();
  }
}

async function create(username: string, flags: Record<string, string | boolean | undefined>, io: AdminIo): Promise<number> {
  ensureUsername(username);
  const r = await withDb(io, async (db) => {
    // Refused before the password is typed: nobody should type it twice for nothing.
    await ensureNewUsername(db, username);
    const password = await readPassword(io, (p) => ensurePassword(p, username));
    return createAdmin(db, {
      username, password, now: systemClock(), rehearsal: flags.rehearsal === true,
      ...(typeof flags.name === 'string' && { name: flags.name }),
      ...(typeof flags.org === 'string' && { org: flags.org }),
      ...(typeof flags['root-org'] === 'string' && { rootOrg: flags['root-org'] }),
    });
  });
  for (const o of r.createdOrgs) io.out.write(`已建立组织：${o}\n`);
  const scope = r.district ? `${r.district}的管理员` : '市级管理员：可管理全部流程和事项';
  io.out.write(`已创建管理员 ${r.username}（${r.name}，${r.orgPath}；${scope}）。这个数据库是${r.mode === 'rehearsal' ? '演练环境' : '正式环境'}。\n`);
  io.out.write('下一步：npx lvzhi serve，然后用这个账号登录\n');
  audit(io, `创建管理员 ${r.username}（${r.name}，${r.orgPath}）`);
  return 0;
}

async function reset(username: string, io: AdminIo): Promise<number> {
  const password = await readPassword(io, (p) => ensurePassword(p, username));
  const r = await withDb(io, (db) => resetPassword(db, { username, password, now: systemClock() }));
  io.out.write(`已重设 ${username}（${r.name}）的密码${r.wasLocked ? '，并解除了登录锁定' : ''}；该用户已登录的会话均已结束，下次登录时须改成自己的密码\n`);
  audit(io, `重设 ${username} 的密码${r.wasLocked ? '并解除登录锁定' : ''}`);
  return 0;
}

export async function adminCommand(args: string[], io: AdminIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args, allowPositionals: true, strict: true,
      options: { name: { type: 'string' }, org: { type: 'string' }, 'root-org': { type: 'string' }, rehearsal: { type: 'boolean' } },
    });
  } catch (e) {
    io.err.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const [sub, username, ...extra] = parsed.positionals;
  const createOnly = ['name', 'org', 'root-org', 'rehearsal'].some((k) => k in parsed.values);
  if (!username || extra.length > 0 || (sub !== 'create' && sub !== 'reset-password') || (sub !== 'create' && createOnly)) {
    io.err.write(USAGE + '\n');
    return 2;
  }
  try {
    return sub === 'create' ? await create(username, parsed.values, io) : await reset(username, io);
  } catch (e) {
    if (!isLvzError(e)) {
      io.err.write(`lvzhi admin 失败：${(e as Error).message}\n`);
      return 1;
    }
    io.err.write(e.format() + '\n');
    return exitCode(e);
  }
}
