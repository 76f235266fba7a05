// admin-types.ts: 通讯录管理 as the server sees it (engine.directory): people, orgs, roles, groups and
// the change history, each call authorised here (a district's admin only inside their district).

import type { Actor } from '../../model/actor.ts';
import type { Once } from '../idempotency.ts';
import type { Page } from '../../model/page.ts';

/** One value of a choice list (a select's option, a filter). */
export interface Choice {
  value: string;
  label: string;
}

/** A field's problem, for the form's error summary and the field itself. */
export interface DirectoryFieldError {
  name: string;
  message: string;
}

export interface PeopleQuery {
  /** Part of a name, user name, phone or org name. */
  q?: string;
  /** An org id: its people and those of every org under it. */
  org?: string;
  role?: string;
  group?: string;
  /** Default `active`. */
  status?: 'active' | 'disabled' | 'all';
  page: number;
  pageSize: number;
}

export interface PersonSummary {
  id: string;
  name: string;
  orgId: string;
  orgName: string;
  roles: Choice[];
  phone: string | null;
  disabled: boolean;
  mustChangePassword: boolean;
}

/** The filters the people list offers the actor (a district admin: their district's orgs only). */
export interface PeopleFilters {
  orgs: Choice[];
  roles: Choice[];
  groups: Choice[];
}

export interface ChangeView {
  id: string;
  at: string;
  actorName: string;
  source: 'admin' | 'import' | 'cli' | 'demo';
  entity: 'user' | 'org' | 'group' | 'role';
  entityId: string;
  /** The row's name today (a person's, an org's …), or its id when it is gone. */
  entityName: string;
  action: string;
  summary: string;
}

export interface PersonGroup {
  id: string;
  name: string;
  worksFor: string | null;
  worksForName: string | null;
}

export interface PersonView extends PersonSummary {
  /** national … township, and its label (市人大代表). */
  deputyLevelId: string | null;
  deputyLevel: string | null;
  constituency: string | null;
  orgPath: string;
  groups: PersonGroup[];
  history: ChangeView[];
  /** The actor may edit, disable and reset (their reach covers the person's org). */
  canEdit: boolean;
  /** The person is the only active administrator: 停用 and removing 系统管理员 are refused. */
  isLastAdmin: boolean;
}

/** What the add/edit form posts; strings as typed, checked by the engine. */
export interface PersonInput {
  /** The user name (new people only: it is the stable key). */
  id?: string;
  name: string;
  orgId: string;
  phone?: string;
  deputyLevel?: string;
  constituency?: string;
  roles: string[];
  /** Group memberships; `worksFor` a deputy's user name (民情联络员). */
  groups: { groupId: string; worksFor?: string }[];
}

/** Choices for the add/edit form, within the actor's reach. */
export interface PersonFormOptions {
  orgs: Choice[];
  roles: Choice[];
  groups: Choice[];
  deputyLevels: Choice[];
}

export interface OrgTreeNode {
  id: string;
  name: string;
  kind: string;
  kindLabel: string;
  parentId: string | null;
  disabled: boolean;
  depth: number;
  people: number;
  canEdit: boolean;
}

export interface OrgInput {
  id?: string;
  name: string;
  kind: string;
  parentId: string;
}

export interface RoleView {
  id: string;
  label: string;
  description: string;
  /** roles.yaml (shipped, changed in the file) or declared here. */
  source: 'file' | 'declared';
  holders: number;
  /** Published workflows that name it (removal refused while any do). */
  workflows: string[];
  canRemove: boolean;
}

export interface GroupView {
  id: string;
  name: string;
  description: string;
  ownerOrg: string | null;
  ownerName: string;
  disabled: boolean;
  /** Active members the actor reaches. */
  memberCount: number;
  canEdit: boolean;
}

export interface GroupMemberView {
  userId: string;
  name: string;
  orgName: string;
  worksFor: string | null;
  worksForName: string | null;
  disabled: boolean;
}

export interface GroupInput {
  id?: string;
  name: string;
  description?: string;
  /** A district id for a district's group; empty for the city's. */
  ownerOrg?: string;
}

export interface HistoryQuery {
  entity?: string;
  source?: string;
  q?: string;
  page: number;
  pageSize: number;
}

export interface DirectoryAdmin {
  people(actor: Actor, query: PeopleQuery): Promise<Page<PersonSummary> & { filters: PeopleFilters; district?: string }>;
  person(actor: Actor, id: string): Promise<PersonView>;
  formOptions(actor: Actor): Promise<PersonFormOptions>;
  /** A new person with a temporary password (shown once), to be changed at first login. */
  createPerson(actor: Actor, input: PersonInput, once?: Once): Promise<{ id: string; temporaryPassword: string; replayed?: boolean }>;
  updatePerson(actor: Actor, id: string, input: PersonInput): Promise<{ changed: boolean }>;
  /** 停用 / 启用: never deleted; a disabled person cannot log in and their sessions end. */
  setPersonDisabled(actor: Actor, id: string, disabled: boolean): Promise<{ changed: boolean }>;
  /** The password given (checked by the password rule) or a generated one; must be changed at next login. */
  resetPassword(actor: Actor, id: string, password?: string): Promise<{ temporaryPassword: string }>;

  orgs(actor: Actor): Promise<{ nodes: OrgTreeNode[]; kinds: Choice[]; parents: Choice[] }>;
  org(actor: Actor, id: string): Promise<OrgTreeNode & { history: ChangeView[] }>;
  createOrg(actor: Actor, input: OrgInput): Promise<{ id: string }>;
  updateOrg(actor: Actor, id: string, input: OrgInput): Promise<{ changed: boolean }>;
  setOrgDisabled(actor: Actor, id: string, disabled: boolean): Promise<{ changed: boolean }>;

  roles(actor: Actor): Promise<RoleView[]>;
  declareRole(actor: Actor, input: { id: string; label: string; description: string }): Promise<void>;
  removeRole(actor: Actor, id: string): Promise<void>;

  groups(actor: Actor): Promise<GroupView[]>;
  group(actor: Actor, id: string): Promise<GroupView & { members: GroupMemberView[]; history: ChangeView[] }>;
  saveGroup(actor: Actor, input: GroupInput, isNew: boolean): Promise<{ id: string }>;
  /** Adds or updates one member (with the deputy they work for), or removes them. */
  setGroupMember(actor: Actor, groupId: string, member: { userId: string; worksFor?: string; remove?: boolean }): Promise<void>;

  history(actor: Actor, query: HistoryQuery): Promise<Page<ChangeView>>;
}
