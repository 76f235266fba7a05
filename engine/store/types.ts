// types.ts: the rows the store hands out, in camelCase; the runtime and auth never see column names.

import type { OrgNode, Role } from '../runtime/types.ts';

export type OrgKind = OrgNode['kind'];

export interface OrgRow {
  id: string;
  name: string;
  kind: OrgKind;
  parentId: string | null;
  sort: number;
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

export type NewOrg = Omit<OrgRow, 'sort'> & { sort?: number };

export type NewUser = Omit<UserRow, 'isDemo' | 'createdAt'> & { isDemo?: boolean; createdAt?: string };
