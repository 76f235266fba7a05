// view-types.ts: what the engine's read calls return for pages and the API: inbox rows, the
// instance and task views, history lines. Split from types.ts, which re-exports them.

import type { FieldModel, FormModel, PickerModel } from '../forms/types.ts';
import type { TaskAction } from '../dsl/types.ts';
import type { DiagramModel } from '../model/diagram.ts';

export type InboxList = 'todo' | 'done' | 'started' | 'cc';

export interface TaskSummary {
  taskId: string;
  instanceId: string;
  workflowTitle: string;
  instanceTitle: string;
  stepTitle: string;
  /** Who holds it: a person or an organisation name. */
  holder: string;
  createdAt: string;
  dueAt?: string;
  /**
   * dueAt is provisional: counted on weekdays into a year the holiday calendar lacks (暂按工作日估算);
   * recomputed when an admin adds that year. Absent otherwise.
   */
  provisional?: true;
  /** Working days left (negative when overdue), counted on the holiday calendar. */
  workingDaysLeft?: number;
  isOverdue: boolean;
  status: 'open' | 'done' | 'cancelled' | 'waiting';
  /** 抄送 rows only. */
  isRead?: boolean;
}

export interface InstanceSummary {
  instanceId: string;
  workflowId: string;
  workflowTitle: string;
  title: string;
  state: string;
  stateTitle: string;
  status: 'draft' | 'active' | 'completed' | 'cancelled' | 'terminated';
  initiatorName: string;
  createdAt: string;
  updatedAt: string;
  /** The workflow version the instance runs on (it stays there until an admin migrates it). */
  workflowVersion?: number;
  /** Human number in the workflow's `number:` format (`建议 第2026001号`); the id stays the stable key. */
  number?: string;
}

export interface HistoryEntry {
  seq: number;
  at: string;
  /** Display name; `匿名` when the viewer may not learn who acted (back-to-back evaluation). */
  actorName: string;
  actorOrg?: string;
  onBehalfOfName?: string;
  /** The principal's plain name when the actor stood in for them (代理), for `代理 <name>` on the page. */
  principalName?: string;
  /** Machine name, e.g. `task.completed`, `task.returned`, `timer.fired`, `instance.started`. */
  type: string;
  /** zh-CN summary line, e.g. `提交（受理）`. */
  summary: string;
  stepTitle?: string;
  fromState?: string;
  toState?: string;
  opinion?: string;
  reason?: string;
  /** The reason is already part of `summary` (`退回 → 起草建议（理由：…）`), so a page need not repeat it. */
  reasonInSummary?: boolean;
  /** Changed fields as label -> display value (only those the viewer may see). */
  changes?: { label: string; value: string }[];
}

export type { DiagramModel };

/** The answers of a `for_each` group (协办单位意见), one per task, with only the fields the viewer may read. */
export interface GroupAnswers {
  group: string;
  /** The group's title from the definition. */
  title: string;
  answers: {
    /** Who the task was for: the org (for_each over units) or the person; `匿名` where the step hides it. */
    name: string;
    /** Who submitted it, when not the same as `name`. */
    byName?: string;
    at?: string;
    /** Read-only field models of the fields the answer filled in (labels and display text from the form). */
    fields: FieldModel[];
  }[];
}

/**
 * A back-to-back step (`anonymous_to`) as the viewer meets it: its actor's name is shown as 匿名.
 * `isByInitiator`: its task goes to the case's initiator, whose name the page shows as 发起人, so the
 * name is hidden from the step's lines but who acted is not a secret. `isContentHidden`: none of what
 * the step fills in is readable by the viewer.
 */
export interface AnonymityNote {
  stepTitle: string;
  isByInitiator: boolean;
  isContentHidden: boolean;
}

export interface InstanceView {
  summary: InstanceSummary;
  version: number;
  /** The record as the viewer may see it, read-only. */
  form: FormModel;
  history: HistoryEntry[];
  /** The back-to-back steps whose actor is shown to this viewer as 匿名, and what that does and does not hide. */
  anonymity: AnonymityNote[];
  /** Answers of for_each groups the viewer may read, shown under the record. */
  groups: GroupAnswers[];
  diagram: DiagramModel;
  /** Open tasks the viewer can act on now. */
  myTasks: { taskId: string; stepTitle: string }[];
  openTasks: { stepTitle: string; holder: string; dueAt?: string; provisional?: true; isOverdue: boolean }[];
  /** Instance-level actions open to the viewer. */
  can: { cancel: boolean; terminate: boolean; remind: boolean; withdraw: boolean; move: boolean };
  /** The steps an administrator may move the instance to (调整办理步骤): every step but the final ones. */
  moveTargets: { name: string; title: string; isCurrent: boolean }[];
  linked: { instanceId: string; title: string; relation: string }[];
}

export interface TaskButton {
  /** Event name sent on submit (`accept`, `submit`, `agree` …). */
  event: string;
  label: string;
  reason: 'required' | 'optional' | 'none';
}

export interface TaskView {
  taskId: string;
  instanceId: string;
  instanceTitle: string;
  workflowTitle: string;
  stepTitle: string;
  /** Instance version the page was rendered at; sent back on submit for the optimistic check. */
  version: number;
  form: FormModel;
  buttons: TaskButton[];
  actions: TaskAction[];
  opinion: 'required' | 'optional' | 'none';
  phrases: string[];
  /** The opinion kept with the task's draft (保存草稿, or a submit that lost a race). */
  draftOpinion?: string;
  /** Earlier steps a return may go to. */
  returnTargets: { state: string; title: string }[];
  dueAt?: string;
  /** dueAt is provisional (see TaskSummary.provisional). */
  provisional?: true;
  workingDaysLeft?: number;
  isOverdue: boolean;
  isDelegated: boolean;
  /**
   * The step was reached before and the process came back to it with a note from the definition
   * (附议代表不足十人…): shown at the top of the page so the holder knows why it is here again.
   */
  cameBack?: { note: string; at: string };
  history: HistoryEntry[];
  /** The back-to-back steps whose actor is shown to this viewer as 匿名, and what that does and does not hide. */
  anonymity: AnonymityNote[];
  /** Answers of for_each groups this step may read (the lead unit sees the 协办 opinions). */
  groups: GroupAnswers[];
  /** Directory choices for reassign / delegate / add signer. */
  /** 减签: the signers this task added who have not acted yet (the holder may take them back). */
  signers: { taskId: string; name: string; position: 'before' | 'after' }[];
  people: { value: string; label: string }[];
  orgs: { value: string; label: string }[];
  /** The panels' pickers (转办/委派/加签 one person, 抄送 several, 转办 a unit): inline or searched, as for a field. */
  actionPickers: { user: PickerModel; users: PickerModel; org: PickerModel };
}
