// build-schema.ts: `npm run build:schema` writes schema/workflow.schema.json from engine/dsl/schema.ts.
// It lives here, not in engine/dsl, because engine/dsl does no I/O.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCHEMA_PATH, renderSchema } from '../engine/dsl/build-schema.ts';

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', SCHEMA_PATH);
writeFileSync(file, renderSchema());
console.log(`wrote ${SCHEMA_PATH}`);
