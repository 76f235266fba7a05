// demo-files.ts: the demo directory is a file like any other: directory/demo/orgs.csv, people.csv,
// groups.csv and group-members.csv, committed. Read here without a database, for the demo seed
// (demo.ts), `lvzhi check` (whose model check needs a directory) and the tests. Its roles are ids, not labels, so a project
// that relabels a role in its roles.yaml still gets the demo accounts.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileRoles, type RoleSet } from '../../../dsl/roles.ts';
import type { OrgRow } from '../../../store/types.ts';
import { readCsv, type ImportFile } from './read-file.ts';
import { readRecords } from './records.ts';
import type { ImportRecords } from './types.ts';

/**
 * directory/demo under the repository root, found by walking up from this module: from the sources
 * (engine/runtime/directory/import/) and from the server bundle (dist/server.mjs) alike.
 */
function demoDir(): string {
  let at = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++, at = path.dirname(at)) {
    if (fs.existsSync(path.join(at, 'directory', 'demo'))) return path.join(at, 'directory', 'demo');
  }
  throw new Error(`directory/demo not found above ${fileURLToPath(import.meta.url)}`);
}

export const DEMO_DIR = demoDir();
export const DEMO_FILES = ['orgs.csv', 'people.csv', 'groups.csv', 'group-members.csv'];
/** The sheet of a demo file whose header alone does not say it (分组 and 角色 share theirs). */
const DEMO_SHEETS: Record<string, string> = { 'groups.csv': '分组', 'group-members.csv': '分组成员' };

let files: ImportFile[] | undefined;

/** The committed demo files, read once per process (every test that starts a demo engine uses them). */
export function demoFiles(): ImportFile[] {
  files ??= DEMO_FILES.map((f) => ({ name: f, bytes: fs.readFileSync(path.join(DEMO_DIR, f)), ...(DEMO_SHEETS[f] && { sheet: DEMO_SHEETS[f] }) }));
  return files;
}

/** The demo files as records. */
export function demoRecords(): ImportRecords {
  return readRecords(demoFiles().map(readCsv));
}

/** directory/roles.yaml as shipped. */
export function shippedRoles(): RoleSet {
  const r = compileRoles(fs.readFileSync(path.join(DEMO_DIR, '..', 'roles.yaml'), 'utf8'));
  if (!r.ok) throw r.errors[0]!;
  return r.roles;
}

/** The demo directory for `lvzhi check`: people with role ids (a label, should the file use one, becomes its id), orgs with kinds, member groups. */
export function demoDirectory(roles: RoleSet = shippedRoles()): {
  users: { id: string; roles: string[]; orgId: string | null }[];
  orgs: { id: string; kind: OrgRow['kind'] }[];
  groups: { id: string; disabled: boolean }[];
} {
  const byLabel = new Map(roles.list.map((r) => [r.label, r.id]));
  const r = demoRecords();
  return {
    users: r.people.map((p) => ({ id: p.id, roles: p.roles.map((w) => byLabel.get(w) ?? w), orgId: p.orgId })),
    orgs: r.orgs.map((o) => ({ id: o.id, kind: o.kind })),
    groups: r.groups.map((g) => ({ id: g.id, disabled: false })),
  };
}
