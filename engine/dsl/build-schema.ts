// build-schema.ts: the exact text of schema/workflow.schema.json (the district variant, roles.schema.json), rendered from schema.ts.
// Pure, like the rest of engine/dsl: cli/build-schema.ts writes it (`npm run build:schema`), and a
// test compares it with the file on disk to catch a stale schema.

import { workflowSchema } from './schema.ts';
import { districtSchema } from './schema-district.ts';
import { rolesSchema } from './roles.ts';

/** Where the generated file lives, relative to the project root. */
export const SCHEMA_PATH = 'schema/workflow.schema.json';

export function renderSchema(): string {
  const { $schema, $id, ...rest } = workflowSchema;
  const doc = { $schema, $id, $comment: 'generated from engine/dsl/schema.ts by `npm run build:schema` — do not edit', ...rest };
  return JSON.stringify(doc, null, 2) + '\n';
}

/** The schema of a district's file (`extends:`), for editors; see schema-district.ts. */
export const DISTRICT_SCHEMA_PATH = 'schema/workflow-district.schema.json';

export function renderDistrictSchema(): string {
  const { $schema, $id, ...rest } = districtSchema;
  const doc = { $schema, $id, $comment: 'generated from engine/dsl/schema-district.ts by `npm run build:schema` — do not edit', ...rest };
  return JSON.stringify(doc, null, 2) + '\n';
}

/** The schema of directory/roles.yaml, for editors (the loader validates with the same object, roles.ts). */
export const ROLES_SCHEMA_PATH = 'schema/roles.schema.json';

export function renderRolesSchema(): string {
  const { $schema, $id, ...rest } = rolesSchema;
  const doc = { $schema, $id, $comment: 'generated from engine/dsl/roles.ts by `npm run build:schema` — do not edit', ...rest };
  return JSON.stringify(doc, null, 2) + '\n';
}
