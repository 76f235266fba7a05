// directory-view.ts: the directory as the checks see it (who could take a task, which groups exist):
// the CLI passes the demo directory or the install's (check --db), the studio the live one.

export interface DirectoryUser {
  id: string;
  roles: readonly string[];
  orgId: string | null;
}

export interface DirectoryOrg {
  id: string;
  kind: string;
}

export interface DirectoryGroup {
  id: string;
  disabled: boolean;
}

/** The people who could take tasks; the CLI passes the demo directory, the studio the live one. */
export interface Directory {
  users: readonly DirectoryUser[];
  orgs: readonly DirectoryOrg[];
  /** Member groups (members('…')); without them the group ids are not checked. */
  groups?: readonly DirectoryGroup[];
}
