// errors.ts: the one error class of the engine and the table of every code it can raise.
//
// A published code keeps its meaning. Add a code here, a row in docs/errors.md and a status
// in server/error-status.ts (the compiler asks for it); test/engine/errors.test.ts checks the
// doc against this table in both directions.

export const CODES = {
  // Definitions (workflow YAML)
  LVZ_DSL_YAML_SYNTAX: 'the YAML text does not parse',
  LVZ_DSL_YAML_LIMIT: 'the YAML is too large, too deep or uses too many aliases',
  LVZ_DSL_YAML_TAG: 'the YAML uses a tag (!!js/function, !foo) that the YAML core schema does not define',
  LVZ_DSL_SCHEMA: 'a key or value does not match the workflow schema',
  LVZ_DSL_UNKNOWN_STATE: 'a transition, return or initial state names a state that is not declared',
  LVZ_DSL_UNKNOWN_FORM: 'a workflow refers to a form that does not exist',
  LVZ_DSL_UNKNOWN_FIELD: 'a step refers to a field that its form does not have',
  LVZ_DSL_UNKNOWN_ROLE: 'a task, a ballot or a group step names a role that the workflow does not declare',
  LVZ_DSL_UNDECLARED_ROLE: 'a workflow names a role that directory/roles.yaml does not declare',
  LVZ_DSL_FIELD_NOT_EDITED: 'a step requires a field, or puts a rule\'s error on one, that it does not let the user edit',
  LVZ_DSL_DECISION_CONFLICT: 'a button sets a field that the same step lets the user edit, so the two can disagree',
  LVZ_DSL_BAD_WAIT_FOR: 'a task group waits for (wait_for) a group its step does not have, for itself, or for a group that waits for it',
  LVZ_DSL_BAD_GROUP: 'a group step names no one or two kinds of member in to:, has more than 8 outcomes, offers 退回 or 加签, or is sequential',
  LVZ_DIR_ROLE_DUPLICATE: 'directory/roles.yaml declares the same role id twice',
  LVZ_DIR_ROLE_BUILTIN_MISSING: 'directory/roles.yaml lacks a role the engine itself needs (admin, handling_unit)',
  LVZ_DIR_INVALID: 'a directory change (an import, a 通讯录 edit) has rows that cannot be stored; params.problems names each by sheet and line',
  LVZ_DIR_CONFLICT: 'a directory change would break something in use: the last administrator, a role still held or named, an org with people',
  LVZ_DSL_UNREACHABLE_STATE: 'a state cannot be reached from the initial state',
  LVZ_DSL_NO_WAY_OUT: 'a non-final state has no transition out',
  LVZ_DSL_DEADLINE_NO_HANDLER: 'a deadline escalates to nothing',
  LVZ_DSL_BAD_DURATION: 'a duration cannot be read',
  LVZ_DSL_TASK_CONFLICT: 'a state has both task and tasks, or a final state has a task',
  LVZ_DSL_DUPLICATE_ID: 'two definitions share one id and version',
  LVZ_DSL_BAD_NUMBER: "a workflow's number format lacks {year} or {seq}, or has an unknown placeholder",
  LVZ_DSL_NUMBER_CLASH: 'two workflows declare the same number format, so their numbers could be the same',
  LVZ_DSL_UNKNOWN_WORKFLOW: 'a step starts a workflow that does not exist',
  LVZ_DSL_DONE_WITHOUT_TASKS: 'a state waits for its tasks to be done but has no tasks',
  LVZ_DSL_SPAWN_NO_DONE: 'a step waits for the children it spawned (spawn: wait) but has no on: done to go on by',
  LVZ_DSL_BALLOT_ID_TAKEN: "a ballot's id (its result's data.<id>) is already a record field, another ballot's id, a spawn's list or a for_each group's answers",
  LVZ_DSL_SPAWN_FIELD_TAKEN: "the field a spawn lists its children in (spawn: as, default the state name) is already a record field or a task group",
  LVZ_DSL_UNKNOWN_PARENT: 'extends names a workflow that does not exist',
  LVZ_DSL_OVERRIDE_CONFLICT: "a district's override refers to a step or task group the parent no longer has",
  LVZ_DSL_NO_PATH_TO_END: 'no final state can be reached from a state',
  LVZ_DSL_NOBODY_CAN_DO: 'no user in the directory could take a task',
  LVZ_DSL_GROUP_NOT_IN_DATA: "an expression reads data.<step> of a group step, whose answers stay on its tasks and are counted in tally.<step>",
  LVZ_DSL_NOT_IN_DIRECTORY: "an id written into user('…'), org('…') or members('…'), or a name in a group step's or ballot's selector, is not in the directory (or names a disabled group)",
  LVZ_DSL_CHECK_LIMIT: 'a check (path enumeration, the studio check) went over its work or time limit and stopped',
  LVZ_DSL_INVALID: 'a definition sent to the studio has errors (listed in params.errors); nothing was published',
  LVZ_BALLOT_BAD_DEFINITION: 'a ballot cannot be voted on or counted as defined (a scale of one, a score range its step does not divide, choose more than there are options)',
  // Forms
  LVZ_FORM_YAML_SYNTAX: 'the form YAML text does not parse',
  LVZ_FORM_SCHEMA: 'a key or value does not match the form schema',
  LVZ_FORM_DUPLICATE_FIELD: 'two fields of one form share a name',
  LVZ_FORM_UNKNOWN_FIELD: 'a visible_when condition refers to a field that does not exist',
  LVZ_FORM_INVALID: 'submitted form data breaks the form rules',
  LVZ_FORM_UPLOAD_TOO_LARGE: 'an uploaded file is larger than the field allows',
  LVZ_FORM_UPLOAD_TYPE: 'an uploaded file has a type the field does not accept',
  LVZ_FORM_UPLOAD_NAME: 'an uploaded file name is empty, too long, or holds control or bidi characters',
  LVZ_FORM_UPLOAD_QUOTA: 'the uploader already holds as many unattached uploads as allowed',
  LVZ_FORM_UPLOAD_DAILY: 'the uploader has uploaded as much as allowed today',
  // Expressions
  LVZ_EXPR_SYNTAX: 'an expression does not parse',
  LVZ_EXPR_EVAL: 'an expression failed while it ran',
  LVZ_EXPR_TOO_COSTLY: 'the estimated cost of an expression (nested comprehensions times list sizes) is over the limit',
  LVZ_EXPR_UNSAFE_REGEX: 'a regular expression (a form field pattern, CEL matches) could backtrack for minutes, or is not a literal, or is too long',
  LVZ_EXPR_LIMIT: 'an expression went over its evaluation budget while it ran, and the operation was refused',
  // Working-day calendar and durations
  LVZ_CAL_INVALID: 'the holiday calendar data is malformed',
  // Directory import (通讯录导入)
  LVZ_DIR_IMPORT_FILE: 'a directory import file is not a spreadsheet that can be read (empty, not .xlsx/.csv, not UTF-8, a zip bomb)',
  LVZ_DIR_IMPORT_TOO_LARGE: 'a directory import file is over 10 MB or 50,000 rows',
  // Runtime
  LVZ_RUN_NOT_FOUND: 'the instance, task or file does not exist or is not visible to you',
  LVZ_RUN_CONFLICT: 'someone else changed the instance first',
  LVZ_RUN_TASK_NOT_YOURS: 'the task belongs to someone else',
  LVZ_RUN_TASK_CLOSED: 'the task is already completed or cancelled',
  LVZ_RUN_EVENT_NOT_ALLOWED: 'the event or action is not offered at this step',
  LVZ_RUN_REASON_REQUIRED: 'the action needs a reason',
  LVZ_RUN_OPINION_REQUIRED: 'the step needs an opinion',
  LVZ_RUN_BAD_RETURN_TARGET: 'a return names a step that was never reached or is not allowed',
  LVZ_RUN_HANDOFF_NOT_ALLOWED: 'a 转办/委派/加签 names someone outside the step\'s handoff set, or a person for a unit\'s task',
  LVZ_RUN_HANDOFF_INITIATOR: 'a 转办/委派/加签 names the initiator of the case',
  LVZ_RUN_HANDOFF_ACTING: 'a 转办/委派/加签 names someone (or a unit) already acting in the case',
  LVZ_RUN_HANDOFF_AMBIGUOUS: 'a 转办/委派/加签 names more than one target (a unit and a person, or two names)',
  LVZ_RUN_WITHDRAW_TOO_LATE: 'the next step has already acted',
  LVZ_RUN_WAITING: 'the step waits for another task group of its state (wait_for: the lead unit for its co-handlers) to submit or pass its deadline',
  LVZ_RUN_REMIND_OWN: 'a 催办 (reminder) was asked for on a task the asker holds; one reminds others, not oneself',
  LVZ_RUN_INSTANCE_CLOSED: 'the instance has ended',
  LVZ_RUN_NOT_STARTABLE: 'you may not start this workflow',
  LVZ_RUN_BAD_REQUEST: 'the request is malformed',
  LVZ_RUN_UNASSIGNED: 'the next step takes its handler or unit from a field that is empty',
  LVZ_RUN_SPAWN_TOO_MANY: 'a step would start more child workflows (spawn: each) than one step may',
  LVZ_RUN_BODY_TOO_LARGE: 'the request body is larger than the server accepts',
  LVZ_RUN_IDEMPOTENCY_MISMATCH: 'a submission key (Idempotency-Key) was already used for a different request; nothing was done',
  LVZ_RUN_IDEMPOTENCY_IN_FLIGHT: 'the first request with this submission key is still being processed',
  LVZ_RUN_MIGRATION_REFUSED: 'a migration would strand an instance (unmapped state or missing target); nothing moved',
  LVZ_RUN_ID_INVALID: 'the id chosen for a new workflow or form is not lowercase latin letters, digits, - and _ starting with a letter',
  LVZ_RUN_ID_TAKEN: 'the id chosen for a new workflow or form is already used by a workflow or form',
  LVZ_RUN_WORKFLOW_DISABLED: 'the workflow is disabled (停用): it may not be started; running instances go on',
  LVZ_RUN_PRODUCTION_DB: 'the rehearsal clock was asked for on a production database',
  // Ballots (表决)
  LVZ_BALLOT_BAD_CHOICE: 'a cast is not one the ballot allows (not an option, a score out of range or between steps, too many or too few chosen)',
  LVZ_BALLOT_BAD_ATTENDANCE: 'the attendance cannot be counted: more present than members, or more casts than present',
  LVZ_BALLOT_BAD_RECEIPT: 'a receipt code typed for checking is not one (20 letters and digits)',
  LVZ_BALLOT_NOT_OPEN: 'the ballot is not open for this: not yet opened (a cast, a close), already opened (签到, opening) or closed (a cast)',
  LVZ_BALLOT_NOT_ELIGIBLE: 'the voter (or someone signed in) is not in the ballot\'s electorate',
  LVZ_BALLOT_NOT_PRESENT: 'the voter was not signed in (签到) as present when the ballot opened',
  LVZ_BALLOT_ALREADY_VOTED: 'the voter has already voted in this ballot (a second vote or a replayed request); nothing was changed',
  LVZ_BALLOT_NOT_CHAIR: 'only the chair (the roles under chair:) may record attendance for others, open or close the ballot',
  LVZ_BALLOT_NO_QUORUM: 'the attendance does not meet the ballot\'s quorum, so it cannot be opened',
  LVZ_BALLOT_TAMPERED: 'a stored secret cast fails to decrypt or the casts differ from the has-voted marks; the ballot was not closed',
  LVZ_BALLOT_IN_PROGRESS: 'an instance has an open ballot: publishing its workflow, migrating or moving it is refused until the ballot closes',
  LVZ_BALLOT_SECRET: 'LVZHI_BALLOT_SECRET is set but is not 64 hex digits (32 bytes)',
  // Store
  LVZ_STORE_UNAVAILABLE: 'the database cannot be reached',
  LVZ_STORE_FULL: 'the disk is full',
  LVZ_STORE_MIGRATION: 'the database schema cannot be brought up to date',
  LVZ_STORE_BACKUP: 'a backup or restore was refused',
  // Authentication and authorisation
  LVZ_AUTH_REQUIRED: 'you need to log in',
  LVZ_AUTH_BAD_LOGIN: 'user name or password is wrong',
  LVZ_AUTH_LOCKED: 'too many wrong passwords in a row: the user name is locked for a while',
  LVZ_AUTH_RATE_LIMITED: 'too many login attempts from one address or at once: wait and try again',
  LVZ_AUTH_TOKEN_EXPIRED: 'the API token has passed its expiry date',
  LVZ_AUTH_TOKEN_SCOPE: 'a read-only API token was used for a call that changes something',
  LVZ_AUTH_FORBIDDEN: 'your role may not do this',
  LVZ_AUTH_PASSWORD_CHANGE_REQUIRED: 'an administrator set a temporary password: the user must log in on the web and choose a new one first',
  LVZ_AUTH_CSRF: 'the form is stale or forged',
  LVZ_AUTH_BAD_USERNAME: 'a user name or org given to lvzhi admin cannot be used',
  LVZ_AUTH_WEAK_PASSWORD: 'a new password breaks the password rule (length, user name, common passwords)',
  LVZ_AUTH_USER_EXISTS: 'lvzhi admin create was given a user name that already exists',
  LVZ_AUTH_NO_SUCH_USER: 'lvzhi admin reset-password was given a user name nobody has',
} as const;

export type LvzCode = keyof typeof CODES;

export interface Where {
  file: string;
  line: number;
  col: number;
}

export interface LvzErrorOptions {
  where?: Where;
  path?: string;
  params?: Record<string, unknown>;
  cause?: unknown;
}

export class LvzError extends Error {
  readonly code: LvzCode;
  readonly where?: Where;
  readonly path?: string;
  readonly params: Record<string, unknown>;

  constructor(code: LvzCode, message: string, options: LvzErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LvzError';
    this.code = code;
    this.where = options.where;
    this.path = options.path;
    this.params = options.params ?? {};
  }

  /** `file:line:col: CODE message`, the form every definition error is printed in. */
  format(): string {
    const at = this.where ? `${this.where.file}:${this.where.line}:${this.where.col}: ` : '';
    return `${at}${this.code} ${this.message}`;
  }
}

export function isLvzError(e: unknown): e is LvzError {
  return e instanceof LvzError;
}
