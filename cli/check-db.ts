// check-db.ts: `lvzhi check --db`: the directory of this install (DATA_DIR / DATABASE_URL, as
// `serve` uses), instead of the demo one: its active people and orgs, its member groups and the
// roles its administrators declared. Loaded only when asked for, so `check` alone needs no driver.

import path from 'node:path';
import { openDb } from '../engine/store/db.ts';
import { listOrgs, listUsers } from '../engine/store/directory.ts';
import { listDeclaredRoles, listMemberGroups } from '../engine/store/directory-data.ts';
import type { Directory } from '../engine/dsl/model-check.ts';
import type { RoleDef } from '../engine/dsl/roles.ts';

export interface InstalledDirectory {
  directory: Directory;
  declaredRoles: RoleDef[];
  /** Said before the findings: which directory was checked against. */
  description: string;
}

export async function installedDirectory(env: NodeJS.ProcessEnv): Promise<InstalledDirectory> {
  const dataDir = path.resolve(env.DATA_DIR || './data');
  const db = await openDb({ dataDir, ...(env.DATABASE_URL && { databaseUrl: env.DATABASE_URL }) });
  try {
    const users = (await listUsers(db)).filter((u) => !u.disabled);
    const orgs = (await listOrgs(db)).filter((o) => !o.disabled);
    const groups = await listMemberGroups(db);
    const declaredRoles = (await listDeclaredRoles(db)).map(({ id, label, description }) => ({ id, label, description }));
    return {
      directory: {
        users: users.map((u) => ({ id: u.id, roles: u.roles, orgId: u.orgId })),
        orgs: orgs.map((o) => ({ id: o.id, kind: o.kind })),
        groups: groups.map((g) => ({ id: g.id, disabled: g.disabled })),
      },
      declaredRoles,
      description: `通讯录：${env.DATABASE_URL ? 'DATABASE_URL 所指的 PostgreSQL' : dataDir}（在用 ${users.length} 人、${orgs.length} 个组织、${groups.length} 个分组、另声明角色 ${declaredRoles.length} 个）`,
    };
  } finally {
    await db.destroy();
  }
}
