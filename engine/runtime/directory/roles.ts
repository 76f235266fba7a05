// roles.ts: the roles in effect: those directory/roles.yaml ships, with those an admin declared at
// run time (通讯录 → 角色, or an import's 角色 sheet) stored in the `roles` table. Like the holiday
// calendar, every process notices a change on its timer tick (a stamp compare) and swaps its
// RoleSet without a restart; the process that made the change swaps at once.

import type { Knex } from 'knex';
import { roleSet, type RoleDef } from '../../dsl/roles.ts';
import { listDeclaredRoles } from '../../store/directory-data.ts';
import type { Registry } from '../runtime-context.ts';

/** The shipped roles, then the declared ones (a declared id never shadows a shipped one: changes.ts refuses it). */
export function effectiveRoles(registry: Registry, declared: readonly RoleDef[]): ReturnType<typeof roleSet> {
  const shipped = registry.shippedRoles.list;
  const ids = new Set(shipped.map((r) => r.id));
  return roleSet([...shipped, ...declared.filter((r) => !ids.has(r.id))]);
}

/** Reload the declared roles when they changed since this process last looked (always the first time). */
export async function refreshRoles(db: Knex, registry: Registry): Promise<void> {
  const declared = await listDeclaredRoles(db);
  const stamp = declared.map((r) => `${r.id}\u0000${r.label}\u0000${r.description}`).join('\u0001');
  if (stamp === registry.rolesStamp) return;
  registry.roles = effectiveRoles(registry, declared);
  registry.rolesStamp = stamp;
}
