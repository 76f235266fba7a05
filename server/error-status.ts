// error-status.ts: the one table from engine error codes to HTTP statuses.
//
// Typed Record<LvzCode, number>, so adding a code to engine/errors.ts fails the type check until it
// gets a status here. Definition errors (DSL/FORM YAML, CAL) reach HTTP only through a broken install
// or the admin studio; they are the server's fault from a user's point of view, hence 500, except
// where a request carried the bad text.

import type { LvzCode } from '../engine/errors.ts';

export const ERROR_STATUS: Record<LvzCode, number> = {
  LVZ_DSL_YAML_SYNTAX: 400,
  LVZ_DSL_YAML_LIMIT: 400,
  LVZ_DSL_YAML_TAG: 400,
  LVZ_DSL_SCHEMA: 400,
  LVZ_DSL_UNKNOWN_STATE: 400,
  LVZ_DSL_UNKNOWN_FORM: 400,
  LVZ_DSL_UNKNOWN_FIELD: 400,
  LVZ_DSL_UNKNOWN_ROLE: 400,
  LVZ_DSL_UNREACHABLE_STATE: 400,
  LVZ_DSL_NO_WAY_OUT: 400,
  LVZ_DSL_DEADLINE_NO_HANDLER: 400,
  LVZ_DSL_BAD_DURATION: 400,
  LVZ_DSL_TASK_CONFLICT: 400,
  LVZ_DSL_DUPLICATE_ID: 409,
  LVZ_DSL_UNKNOWN_WORKFLOW: 400,
  LVZ_DSL_DONE_WITHOUT_TASKS: 400,
  LVZ_DSL_UNKNOWN_PARENT: 400,
  LVZ_DSL_OVERRIDE_CONFLICT: 400,
  LVZ_DSL_NO_PATH_TO_END: 400,
  LVZ_DSL_NOBODY_CAN_DO: 400,
  LVZ_DSL_CHECK_LIMIT: 400,
  LVZ_DSL_INVALID: 422,
  LVZ_FORM_YAML_SYNTAX: 400,
  LVZ_FORM_SCHEMA: 400,
  LVZ_FORM_DUPLICATE_FIELD: 400,
  LVZ_FORM_UNKNOWN_FIELD: 400,
  LVZ_FORM_INVALID: 422,
  LVZ_FORM_UPLOAD_TOO_LARGE: 413,
  LVZ_FORM_UPLOAD_TYPE: 415,
  LVZ_EXPR_SYNTAX: 400,
  LVZ_EXPR_EVAL: 500,
  LVZ_EXPR_TOO_COSTLY: 400,
  LVZ_EXPR_LIMIT: 503, // a published rule the admin must simplify, not the user's input
  LVZ_CAL_YEAR_MISSING: 503, // a configuration gap the admin closes (calendars/cn.yaml), not the user's input
  LVZ_CAL_INVALID: 500,
  LVZ_RUN_NOT_FOUND: 404,
  LVZ_RUN_CONFLICT: 409,
  LVZ_RUN_TASK_NOT_YOURS: 403,
  LVZ_RUN_TASK_CLOSED: 409,
  LVZ_RUN_EVENT_NOT_ALLOWED: 409,
  LVZ_RUN_REASON_REQUIRED: 422,
  LVZ_RUN_OPINION_REQUIRED: 422,
  LVZ_RUN_BAD_RETURN_TARGET: 409,
  LVZ_RUN_WITHDRAW_TOO_LATE: 409,
  LVZ_RUN_INSTANCE_CLOSED: 409,
  LVZ_RUN_NOT_STARTABLE: 403,
  LVZ_RUN_BAD_REQUEST: 400,
  LVZ_RUN_BODY_TOO_LARGE: 413,
  LVZ_RUN_MIGRATION_REFUSED: 409,
  LVZ_STORE_UNAVAILABLE: 503,
  LVZ_STORE_FULL: 507,
  LVZ_STORE_MIGRATION: 503,
  LVZ_STORE_BACKUP: 409,
  LVZ_AUTH_REQUIRED: 401,
  LVZ_AUTH_BAD_LOGIN: 401,
  LVZ_AUTH_LOCKED: 429,
  LVZ_AUTH_FORBIDDEN: 403,
  LVZ_AUTH_CSRF: 403,
};

export function statusOf(code: LvzCode): number {
  return ERROR_STATUS[code] ?? 500;
}
