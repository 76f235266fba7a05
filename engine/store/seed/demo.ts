// demo.ts: the demo accounts' password and the login page's list of them. The demo organisation
// and people themselves are a file, directory/demo/*.csv, loaded through the directory import on
// the first demo start (runtime/directory/import/demo.ts).

import type { Db } from '../db.ts';
import type { Role } from '../../model/actor.ts';

/** The password of every demo account; it is printed on the login page in demo mode. */
export const DEMO_PASSWORD = 'lvzhi2026';

/** The one account per role the login page shows first. */
export const MAIN_ACCOUNTS = ['deputy1', 'review1', 'fgw1', 'jyj1', 'cjw1', 'presidium1', 'leader1', 'staff1', 'member1', 'member2', 'mzj1', 'admin'];

export interface DemoAccount {
  username: string;
  password: string;
  name: string;
  /** Role ids; the runtime shows their labels (directory/roles.yaml). */
  roles: string[];
  /** Organisation name. */
  org: string;
  /** The main account of its role, listed first. */
  isMain: boolean;
}

/**
 * The demo accounts the login page lists: the main one per role first, then the rest in the order
 * `listed` gives (the demo file's), then any others by user name.
 */
export async function demoAccounts(db: Db, listed: string[] = []): Promise<DemoAccount[]> {
  const rows = await db('users as u').leftJoin('orgs as o', 'o.id', 'u.org_id')
    .where('u.is_demo', true).select('u.id', 'u.name', 'u.roles', 'o.name as org_name');
  const rank = (id: string): number => {
    const main = MAIN_ACCOUNTS.indexOf(id);
    if (main >= 0) return main;
    const at = listed.indexOf(id);
    return MAIN_ACCOUNTS.length + (at >= 0 ? at : listed.length);
  };
  return rows
    .map((r: Record<string, unknown>): DemoAccount => {
      const roles = JSON.parse(String(r.roles)) as Role[];
      const id = String(r.id);
      return {
        username: id, password: DEMO_PASSWORD, name: String(r.name),
        roles, // labelled by the runtime, from directory/roles.yaml
        org: r.org_name == null ? '' : String(r.org_name), isMain: MAIN_ACCOUNTS.includes(id),
      };
    })
    .sort((a, b) => rank(a.username) - rank(b.username) || a.username.localeCompare(b.username));
}
