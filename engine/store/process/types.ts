// types.ts: the process rows the store hands out, camelCase; the runtime never sees column names.

import type { DurationSpec } from '../../model/duration.ts';

export type InstanceStatus = 'draft' | 'active' | 'completed' | 'cancelled' | 'terminated';
export type TaskStatus = 'open' | 'done' | 'cancelled' | 'waiting';
export type TaskKind = 'task' | 'cc' | 'delegated' | 'signer';
/** `report`: a spawned child ended; its parent takes the report-back (runtime/spawn.ts). */
/** `ballot_close`: a ballot's closes.after (constructs/ballot/run/close.ts). */
export type TimerKind = 'deadline' | 'remind' | 'escalate' | 'report' | 'ballot_close';

/** What is persisted of the xstate snapshot besides the business data (kept in its own column). */
export interface StoredSnapshot {
  value: string;
  tally: Record<string, Record<string, number>>;
  visits: Record<string, number>;
}

export interface InstanceRow {
  id: string;
  number: string;
  workflowId: string;
  workflowVersion: number;
  title: string;
  state: string;
  status: InstanceStatus;
  initiatorId: string;
  initiatorOrg: string;
  data: Record<string, unknown>;
  snapshot: StoredSnapshot;
  version: number;
  parentId: string | null;
  /** The parent's step that started this child (spawn:), its visit, and the child's index in `each:` (migration 022). */
  spawnedBy?: SpawnedBy;
  createdAt: string;
  updatedAt: string;
  endedAt: string | null;
}

export interface SpawnedBy {
  state: string;
  visit: number;
  /** Index of the child's item in the parent's `each:` list; null for the one-child form. */
  item: number | null;
}

export interface TaskRow {
  id: string;
  instanceId: string;
  state: string;
  visit: number;
  grp: string;
  item: unknown;
  seq: number;
  title: string;
  role: string | null;
  orgId: string | null;
  assigneeId: string | null;
  kind: TaskKind;
  ownerTaskId: string | null;
  status: TaskStatus;
  outcome: string | null;
  createdAt: string;
  dueAt: string | null;
  /** dueAt is provisional: a working-day count into a year the holiday calendar lacks. */
  dueProvisional?: boolean;
  completedAt: string | null;
  completedBy: string | null;
  onBehalfOf: string | null;
  draft: Record<string, unknown> | null;
  readAt: string | null;
  overdue: boolean;
  /** Made by a 退回 (send-back) into its step (migration 019); 待办 marks it 退回. */
  returned?: boolean;
  /** A group member's validated fields and opinion, written when their task is done (migration 020). */
  answer?: Record<string, unknown> | null;
  /** The unit a group member counts under, fixed at entry: the person's org, or the org itself (migration 020). */
  unit?: string | null;
}

export interface EventRow {
  id?: number;
  instanceId: string;
  seq: number;
  at: string;
  actorId: string | null;
  onBehalfOf: string | null;
  type: string;
  taskId: string | null;
  fromState: string | null;
  toState: string | null;
  payload: Record<string, unknown>;
}

export interface TimerRow {
  id: string;
  instanceId: string;
  taskId: string | null;
  state: string;
  visit: number;
  kind: TimerKind;
  fireAt: string;
  /**
   * unscheduled: a working-day reminder whose date the holiday calendar cannot yet give (a year it
   * lacks). failed: it failed to fire TIMER_ATTEMPTS times; it waits for an administrator.
   */
  status: 'pending' | 'fired' | 'cancelled' | 'unscheduled' | 'failed';
  payload: Record<string, unknown>;
  /** Who holds it and until when: a lease (PostgreSQL), or the wait before the next try after a failure. */
  leaseOwner: string | null;
  leaseUntil: string | null;
  firedAt: string | null;
  /** Failures since it was last scheduled, and what the latest said. */
  attempts: number;
  lastError: string | null;
  /**
   * What a deadline (and a reminder before it) was worked out from, to work it out again when a
   * calendar year is added (runtime/recompute.ts): the moment its step was entered and the
   * deadline's duration. Null on rows written before migration 014 and on escalations.
   */
  startedAt?: string | null;
  duration?: DurationSpec | null;
  /** Counted on weekdays in a year the holiday calendar lacks: an estimate until that year is added. */
  provisional?: boolean;
}

export interface FileRow {
  id: string;
  instanceId: string | null;
  field: string;
  name: string;
  mime: string;
  size: number;
  path: string;
  uploadedBy: string;
  createdAt: string;
}

export interface DefinitionRow {
  kind: 'workflow' | 'form' | 'calendar';
  id: string;
  version: number;
  text: string;
  hash: string;
  createdAt: string;
  /** Studio (003_studio): who published it and why; null for shipped files. */
  authorId?: string | null;
  message?: string | null;
  /** Org whose admins may edit it; null: the city. */
  owner?: string | null;
  /** A district's own text (with `extends:`), when `text` is its effective definition. */
  sourceText?: string | null;
  parentId?: string | null;
  parentVersion?: number | null;
}

/** Who is asking, as the SQL scope filters need it: the user and everyone they stand in for (代理). */
export interface Holder {
  userId: string;
  orgId: string;
  roles: string[];
}
