// types.ts: what a workflow definition is once its YAML has been read and checked.
//
// Key names follow the YAML (`for_each`, `complete_when`), so a path in an error is a path
// in the file. docs/dsl.md is the reference an admin reads; this is the one the code reads.

import type { CompiledExpr } from '../expr/index.ts';
import type { LvzError } from '../errors.ts';
import type { Source } from '../yaml/source.ts';
import type { DurationSpec } from '../model/duration.ts';
import type { GroupStepFields } from '../constructs/group/index.ts';
import type { BallotStepDef } from '../constructs/ballot/step.ts';

/** Office task actions a step can switch on (DOMAIN.md, "Office conventions"). */
export const TASK_ACTIONS = [
  'return', //    退回: to the previous, the initiator's or a named earlier step, with a reason
  'reassign', //  转办: hand the task to another unit or person, with a reason
  'delegate', //  委派: ask someone to help; the answer comes back to the owner
  'add_signer', //加签: add a signer before or after oneself
  'withdraw', //  撤回: pull back one's submission until the next step has acted
  'remind', //    催办: a logged reminder to whoever holds the task
  'copy', //      抄送: copy for information, read-only, marked read when opened
] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

/** Who may take a task. Exactly one of role / assignee is set. */
export interface Assignment {
  /** A role from `roles:`; anyone with it (in `org`, when given) may take the task. */
  role?: string;
  /** `initiator`, or a CEL expression giving a user id (e.g. `data.supervisor`, `item`). */
  assignee?: string;
  /** CEL giving the organisation id the task is scoped to (e.g. `data.lead_unit`, `item`). */
  org?: string;
}

export interface FieldRights {
  edit: string[];
  read: string[];
  hidden: string[];
  /** Edited fields that must be filled at this step, whatever the form's `required` says. */
  require: string[];
}

/** A check on the record as this step would leave it; when `check` is not true, `message` shows on `field`. */
export interface StepRule {
  /** CEL over `data` (after this submit), `actor` and `initiator`: true when the record may go on. */
  check: string;
  /** The field (one this step edits) whose error it is, so the error summary links to it. */
  field: string;
  /** What the user reads, zh-CN, saying what to do. */
  message: string;
}

export interface TaskDef extends Assignment {
  title?: string;
  /** Form used for this step; defaults to the workflow's `record` form. */
  form?: string;
  fields: FieldRights;
  actions: TaskAction[];
  opinion: 'required' | 'optional' | 'none';
  /** What the opinion box is called (`opinion: { label: 答复意见 }`); absent: 审批意见. */
  opinion_label?: string;
  /** Roles from which the actor's identity is hidden (back-to-back evaluation). */
  anonymous_to: string[];
  /** Named earlier steps a `return` may go to; `previous` and `initiator` are always allowed when return is on. */
  return_to: string[];
  /** How long after the task was created a `return` is still allowed (a wrongly assigned unit: 7 working days). */
  return_within?: DurationSpec;
  /** Checks over the whole record, run with the form's own rules before any button takes effect. */
  rules: StepRule[];
  /** Who 转办/委派/加签 may hand this task to (absent: the task's role, in an org of the task's org's kind). */
  handoff?: HandoffDef;
}

/** The organisation kinds of the directory (通讯录 组织类型), as `org_kinds:` names them. */
export const ORG_KINDS = ['standing_committee', 'district', 'town', 'office', 'committee', 'unit', 'delegation'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

/**
 * `handoff:` the set a task may be handed to: people holding one of `roles`, in an organisation of
 * one of `org_kinds` (and, for 转办 of a unit's task, those organisations). A key left out takes its
 * default: the task's own role; the kind of the task's organisation (or of its holder's).
 */
export interface HandoffDef {
  roles?: string[];
  org_kinds?: OrgKind[];
}

export type CompleteWhen =
  | { kind: 'all' } //               会签
  | { kind: 'any' } //               或签
  | { kind: 'ratio'; ratio: number } // 票签: share of items whose outcome is the first outcome
  | { kind: 'count'; count: number } // 票签: N of M
  | { kind: 'sequential' }; //       依次

export interface TaskGroupDef extends TaskDef {
  /** Group name, unique in its state; the submitted data of each item lands in `data.<id>`. */
  id: string;
  /** CEL giving the list to fan out over; each task sees `item`. Absent: one task. */
  for_each?: string;
  complete_when: CompleteWhen;
  /** Outcome buttons of each task in the group (default: [submit]); tallied in `tally.<id>.<outcome>`. */
  outcomes: { id: string; label: string }[];
  /**
   * Another group of the same state this one waits for (the lead unit for its co-handlers): its
   * buttons are refused while a task of that group is still open and not past its deadline.
   */
  wait_for?: string;
  /** A deadline for this group alone (co-handlers answer within a month, say). */
  deadline?: DeadlineDef;
  /** Source position (JSON pointer) of this group: `/states/<s>/task` or `/states/<s>/tasks/<i>`. */
  path?: string;
  /** A `group:` step (engine/constructs/group): who is asked, close_by and the rule as CEL over tally. */
  to?: GroupStepFields['to'];
  close_by?: string[];
  complete_expr?: string;
}

export interface TransitionDef {
  to: string;
  /** CEL guard over `data`, `tally`, `actor`, `event`; the first candidate whose guard holds wins. */
  when?: string;
  /** Button label for a human event. */
  label?: string;
  /** Shown in the history, e.g. 重新办理. */
  note?: string;
  /** A reason the actor must give (e.g. a rejection). */
  reason?: 'required' | 'optional';
  /** Data to set when the transition is taken: field -> CEL. */
  set?: Record<string, string>;
  /** Source position (JSON pointer) of this transition, for errors. */
  path: string;
}

export type { DurationSpec };

export interface DeadlineDef {
  /** The first case whose `when` holds gives the duration; the last case has no `when`. */
  after: { when?: string; duration: DurationSpec }[];
  /** Reminders before the deadline (e.g. `2 working days`). */
  remind: DurationSpec[];
  /** Event sent to the machine when the deadline passes (an `on:` key), or none: just marked overdue. */
  escalate?: string;
  /** A group step's deadline closes its group (docs/group-steps.md): open tasks cancelled, `done` sent. */
  close?: boolean;
}

export interface StateDef {
  name: string;
  title: string;
  final: boolean;
  /** One task (`task:`) or groups of parallel tasks (`tasks:`), or none (an automatic step). */
  tasks: TaskGroupDef[];
  deadline?: DeadlineDef;
  /** Data set on entry: field -> CEL. */
  set?: Record<string, string>;
  /** Human and system events: name -> candidates, first match wins. `done` fires when the task groups complete. */
  on: Record<string, TransitionDef[]>;
  /** Automatic transitions (xstate `always`), taken as soon as a guard holds. */
  always: TransitionDef[];
  /** Start another workflow on entry (a rejected bill becomes a suggestion). */
  spawn?: { workflow: string; data: Record<string, string> };
  /** Copy for information (抄送) on entry: to everyone with one of `roles`, and/or the users a CEL list gives. */
  copy?: { roles: string[]; users?: string };
  /** 表决 on entry (docs/ballots.md); the step waits for it and takes `on.closed`. */
  ballot?: BallotStepDef;
}

export interface WorkflowDef {
  id: string;
  version: number;
  title: string;
  description?: string;
  /** For district customisation (issue 4): the id of the workflow this one overrides, as written (`suggestion`, `suggestion@1`). */
  extends?: string;
  /** The parent version the effective definition was merged from (set when `extends` resolved). */
  parent?: { id: string; version: number };
  /** Organisation whose admins own this definition (city by default). */
  owner?: string;
  roles: string[];
  /** Roles allowed to start the workflow by hand. */
  starters: string[];
  /** Roles that see every instance (besides those holding an unscoped role task in it): docs/runtime.md. */
  viewers: string[];
  /** The form holding the business record that every step works on. */
  record: string;
  /** CEL giving the instance title shown in lists, e.g. `data.title`. */
  title_from?: string;
  /** How each instance is numbered, `建议 第{year}{seq:3}号` (number-format.ts); absent: `{year}-{seq:4}`. */
  number?: string;
  initial: string;
  states: Record<string, StateDef>;
}

/** Everything needed at run time, compiled once per (id, version) and cached. */
export interface CompiledWorkflow {
  def: WorkflowDef;
  source: Source;
  /** Every CEL expression of the definition, parsed, keyed by its source text. */
  exprs: Map<string, CompiledExpr>;
}

export type CompileResult =
  | { ok: true; workflow: CompiledWorkflow; warnings: LvzError[] }
  | { ok: false; errors: LvzError[] };
