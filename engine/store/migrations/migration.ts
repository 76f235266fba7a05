// migration.ts: what one schema migration is; each numbered file exports one, index.ts lists them in order.

import type { Knex } from 'knex';

export interface Migration {
  up(db: Knex): Promise<void>;
  down(db: Knex): Promise<void>;
}
