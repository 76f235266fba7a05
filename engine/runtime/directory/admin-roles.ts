// admin-roles.ts: 角色 in 通讯录管理: every role in effect (directory/roles.yaml's and those declared
// here) with how many people hold it and which published workflows name it; declare a new one (id,
// zh-CN label, description); remove a declared one, refused by changes.ts while anyone holds it, a
// workflow names it or a task waits on it. Roles are city-wide: a district's admin only reads.

import { roleHolderCounts } from '../../store/directory-data.ts';
import type { RuntimeContext } from '../runtime-context.ts';
import type { Actor } from '../../model/actor.ts';
import { applyDirectoryChanges } from './changes.ts';
import { directoryReach, ensureCityAdmin, changeActor } from './admin-scope.ts';
import { formInvalid } from './admin-people-write.ts';
import type { RoleView } from './admin-types.ts';

const ROLE_ID = /^[a-z][a-z0-9_]{0,63}$/;


export async function listRoles(rc: RuntimeContext, actor: Actor): Promise<RoleView[]> {
  const reach = await directoryReach(rc.reads, actor);
  const holders = await roleHolderCounts(rc.reads);
  const shipped = new Set(rc.registry.shippedRoles.list.map((r) => r.id));
  const workflows = [...rc.registry.latest.values()];
  return rc.registry.roles.list.map((r) => {
    const names = workflows.filter((wf) => wf.def.roles.includes(r.id)).map((wf) => wf.def.title);
    const n = holders.get(r.id) ?? 0;
    const source = shipped.has(r.id) ? 'file' as const : 'declared' as const;
    return { ...r, source, holders: n, workflows: names, canRemove: source === 'declared' && !reach.district && n === 0 && names.length === 0 };
  });
}

export async function declareRole(rc: RuntimeContext, actor: Actor, input: { id: string; label: string; description: string }): Promise<void> {
  ensureCityAdmin(await directoryReach(rc.reads, actor), '角色');
  const id = input.id.trim();
  const label = input.label.trim();
  const description = input.description.trim();
  const errors = [];
  if (!id) errors.push({ id: 'f-id', name: 'id', message: '请填写角色编码（流程定义中使用，例如 liaison）' });
  else if (!ROLE_ID.test(id)) errors.push({ id: 'f-id', name: 'id', message: `角色编码“${id}”不可用：请用小写英文字母开头，只含小写字母、数字和下划线（例如 liaison）` });
  else if (rc.registry.roles.has(id)) errors.push({ id: 'f-id', name: 'id', message: `角色“${id}”已经存在（${rc.registry.roles.labelOf(id)}）：请换一个编码` });
  if (!label) errors.push({ id: 'f-label', name: 'label', message: '请填写角色名称（页面上显示，例如 民情联络员）' });
  else if ([...label].length > 40) errors.push({ id: 'f-label', name: 'label', message: '角色名称不能超过 40 个字' });
  if (!description) errors.push({ id: 'f-description', name: 'description', message: '请写明这个角色做什么，方便以后的管理员判断' });
  else if ([...description].length > 500) errors.push({ id: 'f-description', name: 'description', message: '说明不能超过 500 个字' });
  if (errors.length) throw formInvalid('角色', errors);
  await applyDirectoryChanges(rc, changeActor(actor), { roles: [{ id, label, description }] }, { source: 'admin' });
}

export async function removeRole(rc: RuntimeContext, actor: Actor, id: string): Promise<void> {
  ensureCityAdmin(await directoryReach(rc.reads, actor), '角色');
  await applyDirectoryChanges(rc, changeActor(actor), { removeRoles: [id] }, { source: 'admin' });
}
