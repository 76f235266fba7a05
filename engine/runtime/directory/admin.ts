// admin.ts: engine.directory, 通讯录管理: people, orgs, roles, groups and the change history, wired
// from the admin-*.ts modules. Every write goes through changes.ts (one transaction, the directory's
// rules, the actor's district, an audit row each); every read is limited to the actor's reach.

import type { RuntimeContext } from '../runtime-context.ts';
import type { Actor } from '../../model/actor.ts';
import { directoryReach } from './admin-scope.ts';
import { groupChoices, listPeople, personFormOptions, personView } from './admin-people.ts';
import { createPerson, resetPassword, setPersonDisabled, updatePerson } from './admin-people-write.ts';
import { createOrg, orgTreeView, orgView, setOrgDisabled, updateOrg } from './admin-orgs.ts';
import { declareRole, listRoles, removeRole } from './admin-roles.ts';
import { groupView, listGroups, saveGroup, setGroupMember } from './admin-groups.ts';
import { listHistory } from './admin-history.ts';
import type { DirectoryAdmin } from './admin-types.ts';

/** The groups the actor's form offers: only those can be added or taken away there. */
async function offeredGroups(rc: RuntimeContext, actor: Actor): Promise<Set<string>> {
  const reach = await directoryReach(rc.reads, actor);
  return new Set(groupChoices(await rc.snapshot(), reach).map((g) => g.value));
}

export function buildDirectoryAdmin(rc: RuntimeContext): DirectoryAdmin {
  return {
    people: (actor, query) => listPeople(rc, actor, query),
    person: (actor, id) => personView(rc, actor, id),
    formOptions: (actor) => personFormOptions(rc, actor),
    createPerson: async (actor, input, once) => createPerson(rc, actor, input, await offeredGroups(rc, actor), once),
    updatePerson: async (actor, id, input) => updatePerson(rc, actor, id, input, await offeredGroups(rc, actor)),
    setPersonDisabled: (actor, id, disabled) => setPersonDisabled(rc, actor, id, disabled),
    resetPassword: (actor, id, password) => resetPassword(rc, actor, id, password),
    orgs: (actor) => orgTreeView(rc, actor),
    org: (actor, id) => orgView(rc, actor, id),
    createOrg: (actor, input) => createOrg(rc, actor, input),
    updateOrg: (actor, id, input) => updateOrg(rc, actor, id, input),
    setOrgDisabled: (actor, id, disabled) => setOrgDisabled(rc, actor, id, disabled),
    roles: (actor) => listRoles(rc, actor),
    declareRole: (actor, input) => declareRole(rc, actor, input),
    removeRole: (actor, id) => removeRole(rc, actor, id),
    groups: (actor) => listGroups(rc, actor),
    group: (actor, id) => groupView(rc, actor, id),
    saveGroup: (actor, input, isNew) => saveGroup(rc, actor, input, isNew),
    setGroupMember: (actor, groupId, member) => setGroupMember(rc, actor, groupId, member),
    history: (actor, query) => listHistory(rc, actor, query),
  };
}
