// instance-number.ts: the human number of a new instance, in its workflow's `number:` format.
//
// The sequence is kept per workflow and year in the store (one upsert, serialised by its row lock);
// the year is the Asia/Shanghai one, so a case started at 00:30 on 1 January is the new year's first.

import type { Knex } from 'knex';
import { localDateOf } from '../calendar/index.ts';
import { DEFAULT_NUMBER_FORMAT, formatNumber } from '../dsl/number-format.ts';
import type { WorkflowDef } from '../dsl/types.ts';
import { nextSequence } from '../store/process/index.ts';

/** 建议 第2026001号: the next number of `def`'s workflow in the year of `now`. */
export async function nextInstanceNumber(tx: Knex, def: WorkflowDef, now: Date): Promise<string> {
  const year = Number(localDateOf(now).slice(0, 4));
  return formatNumber(def.number ?? DEFAULT_NUMBER_FORMAT, year, await nextSequence(tx, def.id, year));
}
