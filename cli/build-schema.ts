// build-schema.ts: `npm run build:schema` writes schema/workflow.schema.json, schema/workflow-district.schema.json and schema/roles.schema.json.
// It lives here, not in engine/dsl, because engine/dsl does no I/O.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DISTRICT_SCHEMA_PATH, ROLES_SCHEMA_PATH, SCHEMA_PATH, renderDistrictSchema, renderRolesSchema, renderSchema } from '../engine/dsl/build-schema.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
for (const [file, text] of [[SCHEMA_PATH, renderSchema()], [DISTRICT_SCHEMA_PATH, renderDistrictSchema()], [ROLES_SCHEMA_PATH, renderRolesSchema()]] as const) {
  writeFileSync(path.join(root, file), text);
  console.log(`wrote ${file}`);
}
