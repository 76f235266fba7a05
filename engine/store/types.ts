// types.ts: the rows the store hands out, in camelCase; the runtime and auth never see column names.

import type { Role } from '../model/actor.ts';
import type { OrgNode } from '../model/org.ts';

export type OrgKind = OrgNode['kind'];

export interface OrgRow {
  id: string;
  name: string;
  kind: OrgKind;
  parentId: string | null;
  sort: number;
  /** 停用: kept for history (names in old cases), no new people or tasks in it. */
  disabled: boolean;
}

export interface UserRow {
  /** The username. */
  id: string;
  name: string;
  orgId: string;
  roles: Role[];
  passwordHash: string;
  isDemo: boolean;
  createdAt: string;
  phone: string | null;
  /** A deputy's level (代表层级); null for everyone else. */
  deputyLevel: DeputyLevel | null;
  /** A deputy's constituency or electoral unit (选区 / 选举单位). */
  constituency: string | null;
  /** 停用: cannot log in; never deleted, so history keeps the name. */
  disabled: boolean;
  /** Set by a password reset: the next login must choose a new password before anything else. */
  mustChangePassword: boolean;
}

/** The password hash of an account nobody can log in to yet (imported without a password): never a valid hash. */
export const NO_PASSWORD = '!';

/** 全国 / 省 / 市 / 县 / 乡 people's congress deputies. */
export const DEPUTY_LEVELS = ['national', 'provincial', 'city', 'county', 'township'] as const;
export type DeputyLevel = (typeof DEPUTY_LEVELS)[number];
export const DEPUTY_LEVEL_LABELS: Record<DeputyLevel, string> = {
  national: '全国', provincial: '省', city: '市', county: '县', township: '乡',
};

/** A role declared at run time (通讯录 → 角色, or an import's 角色 sheet), beside directory/roles.yaml. */
export interface DeclaredRoleRow {
  id: string;
  label: string;
  description: string;
  createdAt: string;
  createdBy: string | null;
}

/** A named member group (常委会组成人员, 立法专家库, 民情联络员 …). */
export interface MemberGroupRow {
  id: string;
  name: string;
  description: string;
  /** null: the city's group; a district id: that district's. */
  ownerOrg: string | null;
  disabled: boolean;
}

export interface GroupMemberRow {
  groupId: string;
  userId: string;
  /** The deputy this member works for (a 民情联络员's deputy), if any. */
  worksFor: string | null;
  sort: number;
}

export type DirectoryEntity = 'user' | 'org' | 'group' | 'role';
export type ChangeSource = 'admin' | 'import' | 'cli' | 'demo';

/** One line of the directory's audit history (修改记录). */
export interface DirectoryChangeRow {
  id: string;
  at: string;
  actorId: string | null;
  actorName: string;
  source: ChangeSource;
  batchId: string | null;
  entity: DirectoryEntity;
  entityId: string;
  action: string;
  /** zh-CN, e.g. 所属组织：市教育局 → 市财政局 */
  summary: string;
  before: unknown;
  after: unknown;
}

export interface SessionRow {
  id: string;
  userId: string;
  csrfSecret: string;
  createdAt: string;
  expiresAt: string;
  lastSeenAt: string;
}

export interface ApiTokenRow {
  id: string;
  userId: string;
  /** Hex sha256 of the token; the token itself is never stored. */
  tokenHash: string;
  createdAt: string;
  lastUsedAt: string | null;
  /** After this instant the token is refused (LVZ_AUTH_TOKEN_EXPIRED); null only for a row an older version wrote after migration 011 (auth/api-tokens.ts tokenExpiry). */
  expiresAt: string | null;
  /** `read`: GET only; `write`: every call. */
  scope: TokenScope;
}

export type TokenScope = 'read' | 'write';

export interface PhraseRow {
  id: string;
  userId: string;
  text: string;
  createdAt: string;
}

/** 代理: `delegateId` acts for `userId` from `fromDate` to `toDate` inclusive (local dates, YYYY-MM-DD). */
export interface OutOfOfficeRow {
  id: string;
  userId: string;
  delegateId: string;
  fromDate: string;
  toDate: string;
  createdAt: string;
}

export type NewOrg = Omit<OrgRow, 'sort' | 'disabled'> & { sort?: number; disabled?: boolean };

export type NewUser = Omit<UserRow, 'isDemo' | 'createdAt' | 'phone' | 'deputyLevel' | 'constituency' | 'disabled' | 'mustChangePassword'>
  & Partial<Pick<UserRow, 'isDemo' | 'createdAt' | 'phone' | 'deputyLevel' | 'constituency' | 'disabled' | 'mustChangePassword'>>;
