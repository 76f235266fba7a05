// types.ts: the engine as the server sees it. Every call authorises the actor itself:
// scope checks live here, not in the pages (a unit sees only its own tasks and instances).
//
// The server (server/) calls only what this file declares, through `createEngine()` in
// engine/index.ts. Nothing here knows HTTP or HTML.

import type { FormModel } from '../forms/types.ts';
import type { Actor } from '../model/actor.ts';
import type { OrgNode } from '../model/org.ts';
import type { Page } from '../model/page.ts';
import type { Once } from './idempotency.ts';
import type { SessionInfo } from '../auth/sessions.ts';
import type { Studio } from './authoring/types.ts';
import type { DirectoryAdmin } from './directory/admin-types.ts';
import type { EngineMetrics, TimerOverview } from './monitoring.ts';
import type { BallotOps } from './ballot-types.ts';
export type * from './ballot-types.ts';

import type { InboxList, TaskSummary, InstanceSummary, HistoryEntry, DiagramModel, GroupAnswers, AnonymityNote, InstanceView, TaskButton, TaskView } from './view-types.ts';
export type { Studio } from './authoring/types.ts';
export type * from './directory/admin-types.ts';
import type { DirectoryImportOps } from './directory/import/types.ts';
export type { DirectoryImportOps } from './directory/import/types.ts';
export type { ImportOutcome as DirectoryImportOutcome, ImportView as DirectoryImportView } from './directory/import/types.ts';
export type { InboxList, TaskSummary, InstanceSummary, HistoryEntry, DiagramModel, GroupAnswers, AnonymityNote, InstanceView, TaskButton, TaskView, ReturnedFact, MovedFact, HandledFact } from './view-types.ts';
export type { EngineMetrics, FailedTimerView, TimerOverview } from './monitoring.ts';
export type { ChangeSet as DirectoryChangeSet, ChangeOptions as DirectoryChangeOptions, ChangeResult as DirectoryChangeResult } from './directory/changes.ts';
import type { ChangeSet as DirectoryChangeSet, ChangeOptions as DirectoryChangeOptions, ChangeResult as DirectoryChangeResult } from './directory/changes.ts';
// What every layer shares lives in engine/model/ (and Once, SessionInfo, FormInvalidParams with their owners);
// named here too, so the server finds the whole contract in one file.
export type { Actor, Role } from '../model/actor.ts';
export type { OrgNode } from '../model/org.ts';
export { COUNT_CAP, INBOX_COUNT_CAP, type Page } from '../model/page.ts';
export type { Once } from './idempotency.ts';
export type { SessionInfo } from '../auth/sessions.ts';
export type { FormInvalidParams } from '../forms/types.ts';

/** Raw form input as it arrives (strings, arrays of strings) plus already-stored upload ids. */
export type RawInput = Record<string, unknown>;

export interface CompleteInput {
  event: string;
  input: RawInput;
  opinion?: string;
  reason?: string;
  /** The version the user saw; a stale one gives LVZ_RUN_CONFLICT. */
  version: number;
  /** A submission key: a repeat with the same key and request replays the first answer (idempotency.ts). */
  once?: Once;
  /**
   * The input is JSON (the API): each value must already have its field's type (forms/json-types.ts),
   * else LVZ_RUN_BAD_REQUEST; a web form's strings are parsed by the field types instead.
   */
  typed?: boolean;
}

/** A picker's search (GET /pickers/<type>): the same type and filter as the field, and what was typed. */
export interface PickerQuery {
  type: 'person' | 'org';
  role?: string;
  kind?: string;
  /** A task's 转办/委派/加签 picker: only whom its holder may hand it to; not found unless the actor holds it. */
  task?: string;
  q: string;
}

/** At most PICKER_SEARCH_LIMIT matches, best first; `hasMore` when the user should type more. */
export interface PickerResult {
  items: { value: string; name: string; label: string; group: string }[];
  hasMore: boolean;
}

export type TaskActionInput =
  | { action: 'return'; to: string; reason: string; version: number }
  | { action: 'reassign'; toUser?: string; toOrg?: string; reason: string; version: number }
  | { action: 'delegate'; toUser: string; reason?: string; version: number }
  | { action: 'add_signer'; toUser: string; position: 'before' | 'after'; reason?: string; version: number }
  /** 减签: take back a signer this task added who has not acted yet (where the step offers 加签). */
  | { action: 'remove_signer'; signerTaskId: string; reason?: string; version: number }
  | { action: 'remind'; message?: string }
  | { action: 'copy'; toUsers: string[] };

export interface UploadInput {
  field: string;
  filename: string;
  mime: string;
  /** Bytes already streamed to a temporary file under DATA_DIR by the caller. */
  tempPath: string;
  size: number;
}

export interface StoredFile {
  fileId: string;
  name: string;
  mime: string;
  size: number;
  /** Absolute path under DATA_DIR/files; never in the web root. */
  path: string;
}

/** One out-of-office range (代理) as the settings page lists it. */
export interface OutOfOfficeView {
  id: string;
  delegateId: string;
  delegateName: string;
  /** Local dates, YYYY-MM-DD, inclusive. */
  from: string;
  to: string;
  /** Today falls inside the range. */
  isCurrent: boolean;
}

/** The settings page (设置): 代理, 常用语 and API tokens of the actor themself. */
export interface SettingsView {
  /** Today's local date (Asia/Shanghai), the earliest a new range may end. */
  today: string;
  /** Current and future ranges; past ones are left out. */
  outOfOffice: OutOfOfficeView[];
  /** Who may stand in: everyone in the directory but the actor. */
  delegates: { value: string; label: string }[];
  phrases: { id: string; text: string }[];
  apiTokens: { id: string; createdAt: string; lastUsedAt?: string; expiresAt: string; isExpired: boolean; scope: 'read' | 'write' }[];
}

/** The ballot (表决) operations are in ballot-types.ts (BallotOps): ballotsOf, ballotView, signIn, openBallot, castBallot, closeBallot, … */
export interface Engine extends BallotOps {
  // Authentication and directory
  /**
   * Opens a session for the right password. `from.address` (the client's IP) is rate-limited, as
   * is the whole process: LVZ_AUTH_RATE_LIMITED, LVZ_AUTH_LOCKED, LVZ_AUTH_BAD_LOGIN.
   */
  login(username: string, password: string, from?: { address?: string }): Promise<SessionInfo>;
  /** Password hashes running and waiting in this process (the readiness probe reads it), and passwords checked since start. */
  authLoad(): { running: number; queued: number; queueMax: number; checks: number };
  session(sessionId: string): Promise<SessionInfo | undefined>;
  logout(sessionId: string): Promise<void>;
  /** Whom a bearer token speaks for and its scope; undefined when unknown, LVZ_AUTH_TOKEN_EXPIRED past its expiry. */
  apiTokenAuth(token: string): Promise<{ actor: Actor; scope: 'read' | 'write' } | undefined>;
  /** A new token, shown once: expiry in days (1–365, default 90) and scope (default `write`); LVZ_RUN_BAD_REQUEST otherwise. */
  createApiToken(actor: Actor, opts?: { expiresInDays?: number; scope?: string }): Promise<{ token: string; id: string; expiresAt: string; scope: 'read' | 'write' }>;
  demoAccounts(): Promise<{ username: string; password: string; name: string; role: string; org: string; /** The main account of its role, listed first on the login page. */ isMain?: boolean }[]>;
  orgTree(): Promise<OrgNode[]>;
  /** A directory picker's search: matches among exactly the choices a field of that type and filter offers. */
  pickerSearch(actor: Actor, query: PickerQuery): Promise<PickerResult>;
  /** Bad input gives LVZ_FORM_INVALID with params.errors for the fields `delegate`, `from`, `to`. */
  setOutOfOffice(actor: Actor, input: { delegateUserId: string; from: string; to: string }): Promise<void>;
  /** Ends (removes) one of the actor's own ranges; someone else's id changes nothing. */
  clearOutOfOffice(actor: Actor, id: string): Promise<void>;
  savePhrase(actor: Actor, text: string): Promise<void>;
  deletePhrase(actor: Actor, id: string): Promise<void>;
  deleteApiToken(actor: Actor, id: string): Promise<void>;
  settings(actor: Actor): Promise<SettingsView>;
  /**
   * 修改密码: the actor's own new password (current checked, the password rule, typed twice);
   * clears a temporary password's forced change and ends the actor's other sessions.
   * LVZ_FORM_INVALID with params.errors for the fields current, next, confirm.
   */
  changePassword(actor: Actor, sessionId: string | undefined, input: { current: string; next: string; confirm: string }): Promise<void>;

  // Starting
  startable(actor: Actor): Promise<{ workflowId: string; title: string; description?: string }[]>;
  /** The start form (the first step's task) before anything is stored; with `typed`, showing those values. */
  startForm(actor: Actor, workflowId: string, typed?: RawInput): Promise<{ title: string; form: FormModel; buttons: TaskButton[] }>;
  /** Starts an instance; with `draft` it stays at the first step, saved. Returns the new instance id and its first task (if the starter holds it). */
  start(actor: Actor, workflowId: string, input: CompleteInput & { draft?: boolean }): Promise<{ instanceId: string; taskId?: string; replayed?: boolean }>;

  // Lists
  /** One page of a list; `total`: the list's count already known from inboxCounts (no search), not counted again. */
  inbox(actor: Actor, list: InboxList, query: { page: number; pageSize: number; q?: string; total?: number }): Promise<Page<TaskSummary>>;
  inboxCounts(actor: Actor): Promise<Record<InboxList, number>>;
  instances(actor: Actor, query: { page: number; pageSize: number; q?: string; workflowId?: string; status?: string; state?: string }): Promise<Page<InstanceSummary>>;

  // Instances and tasks
  instance(actor: Actor, instanceId: string): Promise<InstanceView>;
  task(actor: Actor, taskId: string): Promise<TaskView>;
  /** Validates, transitions and persists in one transaction; returns where the instance went. */
  complete(actor: Actor, taskId: string, input: CompleteInput): Promise<{ instanceId: string; state: string; stateTitle: string; replayed?: boolean }>;
  /** Keeps what parses of the fields (and the opinion, if given) as the task's draft; LVZ_RUN_TASK_CLOSED once the task is not open. */
  saveDraft(actor: Actor, taskId: string, input: RawInput, opinion?: string): Promise<void>;
  /** Inline check of one field (htmx): the step's form rebuilt from `input` (visible_when follows it), with that field's error only. */
  checkField(actor: Actor, taskId: string, field: string, input: RawInput): Promise<FormModel>;
  taskAction(actor: Actor, taskId: string, input: TaskActionInput, once?: Once): Promise<{ replayed?: boolean }>;
  withdraw(actor: Actor, instanceId: string, input: { version: number }): Promise<void>;
  cancel(actor: Actor, instanceId: string, input: { reason: string; version: number }): Promise<void>;
  terminate(actor: Actor, instanceId: string, input: { reason: string; version: number }): Promise<void>;
  /** 调整办理步骤 (admins): leave the current step, enter `to` afresh; the reason goes into the history. */
  move(actor: Actor, instanceId: string, input: { to: string; reason: string; version: number }): Promise<void>;
  remindInstance(actor: Actor, instanceId: string, message?: string): Promise<void>;
  /** 提前结束 a group step (its close_by roles only; a reason required): open tasks cancelled, `done` sent. */
  closeGroup(actor: Actor, instanceId: string, input: { reason: string; version: number }): Promise<void>;

  // Files
  upload(actor: Actor, taskIdOrStart: { taskId?: string; workflowId?: string }, file: UploadInput): Promise<StoredFile>;
  /** The files of one request, all or none (each file's rules, then the quota for their sum). */
  uploadAll(actor: Actor, taskIdOrStart: { taskId?: string; workflowId?: string }, files: UploadInput[]): Promise<StoredFile[]>;
  /** LVZ_RUN_NOT_FOUND unless the actor may see the instance the file belongs to. */
  file(actor: Actor, fileId: string): Promise<StoredFile>;

  // Timers
  /** Fires every due timer (deadline, reminder, escalation); returns how many fired. */
  fireDueTimers(now?: Date): Promise<number>;
  /** Removes uploads no start or completion attached within the orphan timeout (rows and bytes); returns how many. */
  sweepUploads(now?: Date): Promise<number>;
  /** zh-CN notices for operators and admins (a holiday-calendar year missing, reminders waiting for it). */
  warnings(): Promise<string[]>;
  /** True while no account holds the admin role: the login page says how to create the first one. */
  needsFirstAdmin(): Promise<boolean>;
  /**
   * The one write path of the directory (runtime/directory/changes.ts): merges a change set by stable
   * keys, checks it whole, writes what differs with an audit row each, in one transaction. `who` null:
   * the command line or the demo seed (no scope). The import and the 通讯录 pages build on it.
   */
  directoryApply(who: Actor | null, set: DirectoryChangeSet, opts: DirectoryChangeOptions): Promise<DirectoryChangeResult>;
  /** The rehearsal clock's time and speed on a rehearsal install (every page's banner), else undefined. */
  rehearsal(): { now: Date; speed: number } | undefined;
  /**
   * For administrators (LVZ_AUTH_FORBIDDEN otherwise), each within their reach (admin-scope.ts): the
   * timers' backlog and the timers that failed to fire; retry puts a failed one back (LVZ_RUN_CONFLICT
   * when it is no longer failed, LVZ_RUN_NOT_FOUND for no such timer or another district's).
   */
  timers: {
    overview(actor: Actor): Promise<TimerOverview>;
    retry(actor: Actor, timerId: string): Promise<void>;
  };

  /**
   * 节假日安排 (/admin/calendar): every admin may read; only the city's admins save a year
   * (LVZ_AUTH_FORBIDDEN otherwise). A saved year applies at once and recomputes provisional deadlines.
   */
  calendar: CalendarAdmin;

  /** The admin studio (issue 4): edit, check, publish, diff, migrate, district customisation. */
  studio: Studio;
  /** 通讯录导入 (issue 13): an .xlsx/.csv checked whole, then written through directoryApply (runtime/directory/import). */
  directoryImport: DirectoryImportOps;

  /** 通讯录管理 (issue 13): people, orgs, roles, groups and their change history, each within the admin's reach. */
  directory: DirectoryAdmin;

  /** Counts for monitoring (no actor: nothing of any instance; the server guards /metrics). */
  metrics(): Promise<EngineMetrics>;
  /** The readiness probe's check: one trivial query; LVZ_STORE_UNAVAILABLE, with a short zh-CN reason, when the database fails or takes over 2 s. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** One year of the holiday calendar as the 节假日安排 list shows it. */
export interface CalendarYearSummary {
  year: number;
  /** studio: entered in /admin (overrides the file); file: calendars/cn.yaml; missing: deadlines into it are provisional. */
  source: 'studio' | 'file' | 'missing';
  holidays: number;
  workdays: number;
  version?: number;
  updatedAt?: string;
  authorName?: string;
}

export interface CalendarYearView extends CalendarYearSummary {
  /** The newest text: the studio's, else the year as the file has it, else a starting template. */
  text: string;
  /** What errors name as their file (节假日安排/2027.yaml). */
  file: string;
  canEdit: boolean;
  versions: { version: number; createdAt: string; authorName: string | null; message: string | null }[];
}

export type CalendarSaveResult =
  | { ok: true; version: number }
  | { ok: false; errors: { message: string; where?: string }[] };

export interface CalendarAdmin {
  years(actor: Actor): Promise<CalendarYearSummary[]>;
  year(actor: Actor, year: number): Promise<CalendarYearView>;
  save(actor: Actor, year: number, text: string, message?: string): Promise<CalendarSaveResult>;
}
