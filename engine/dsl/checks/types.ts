// checks/types.ts: what a semantic check is: a pure function from a definition to its problems.

import type { LvzError } from '../../errors.ts';
import type { CompiledForm } from '../../forms/types.ts';
import type { ParentLookup } from '../extends.ts';
import type { Source } from '../source.ts';
import type { WorkflowDef } from '../types.ts';

export interface CheckContext {
  /** Every form the workflow may name, by id. */
  forms: Map<string, CompiledForm>;
  /** Workflows a definition may `extends` (district customisation): by id (newest) and `id@version`. */
  parents?: ParentLookup;
}

export type Check = (wf: WorkflowDef, src: Source, ctx: CheckContext) => LvzError[];
