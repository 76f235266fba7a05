// checks/types.ts: what a semantic check is: a pure function from a definition to its problems.

import type { LvzError } from '../../errors.ts';
import type { CompiledForm } from '../../forms/types.ts';
import type { ParentLookup } from '../extends.ts';
import type { RoleSet } from '../roles.ts';
import type { Source } from '../../yaml/source.ts';
import type { WorkflowDef } from '../types.ts';

export interface CheckContext {
  /** Every form the workflow may name, by id. */
  forms: Map<string, CompiledForm>;
  /** Workflows a definition may `extends` (district customisation): by id (newest) and `id@version`. */
  parents?: ParentLookup;
  /**
   * The roles of directory/roles.yaml. Given whenever a text is checked for use (files at start-up, validate, check,
   * the studio); left out only when a version already stored is reloaded, so that removing a role never strands it.
   */
  roles?: RoleSet;
}

export type Check = (wf: WorkflowDef, src: Source, ctx: CheckContext) => LvzError[];
