// checks/index.ts: the semantic checks, run in this order after the schema passed; each returns every problem it finds.

import { assignment } from './assignment.ts';
import { candidateOrder } from './candidate-order.ts';
import { constructChecks } from './constructs.ts';
import { decisionConflict } from './decision-conflict.ts';
import { doneTransitions } from './done-transitions.ts';
import { expressions } from './expressions.ts';
import { finalState } from './final-state.ts';
import { noWayOut } from './no-way-out.ts';
import { stepFields } from './step-fields.ts';
import { numberFormat } from './number-format.ts';
import { taskConflict } from './task-conflict.ts';
import type { Check } from './types.ts';
import { unknownField } from './unknown-field.ts';
import { unknownForm } from './unknown-form.ts';
import { unknownRole } from './unknown-role.ts';
import { undeclaredRole } from './undeclared-role.ts';
import { unknownState } from './unknown-state.ts';
import { unreachableState } from './unreachable-state.ts';
import { waitFor } from './wait-for.ts';

export type { Check, CheckContext } from './types.ts';

export const CHECKS: readonly Check[] = [
  taskConflict,
  finalState,
  assignment,
  candidateOrder,
  unknownState,
  unknownForm,
  unknownField,
  stepFields,
  decisionConflict,
  unknownRole,
  undeclaredRole,
  unreachableState,
  noWayOut,
  doneTransitions,
  constructChecks, // each construct's checks (engine/constructs/<name>/), e.g. a deadline's escalate handler
  expressions,
  numberFormat,
  waitFor,
];
