// view-types.ts: what the engine's read calls return for pages and the API: inbox rows, the
// instance and task views, history lines. Split from types.ts, which re-exports them.

import type { FieldModel, FormModel, PickerModel } from '../forms/types.ts';
import type { TaskAction } from '../dsl/types.ts';
import type { DiagramModel } from '../model/diagram.ts';

export type InboxList = 'todo' | 'done' | 'started' | 'cc';

/** An open task made by 退回: who sent it back (匿名 where their step hides them), when, from which step and why. */
export interface ReturnedFact {
  byName: string;
  byOrg?: string;
  at: string;
  reason: string;
  /** The step it was sent back from (承办答复). */
  fromStep: string;
}

/** The task's step was entered by an administrator's 调整办理步骤: who, when and why. */
export interface MovedFact {
  byName: string;
  at: string;
  reason: string;
}

/** A task already handled: who did it, when, with which result (the button's history line) and opinion. */
export interface HandledFact {
  byName: string;
  /** The viewer did it themselves (您已于 … 办理). */
  isMine: boolean;
  at: string;
  /** The result as the history reads it: `交办 → 承办答复`, `退回 → 起草建议（理由：…）`. */
  result: string;
  opinion?: string;
}

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
  /** The instance's number (编号, `建议 第2026001号`). */
  instanceNumber?: string;
  /** 提出人: who started the instance. */
  initiatorName?: string;
  /** When this task was handled (已办): completed, or sent back. */
  completedAt?: string;
  /** Where the instance is now (抄送我的, 已办): its current step, whatever step the row itself is. */
  currentStep?: string;
  /** The instance's status, for `currentStep`: a finished or stopped instance reads as that. */
  instanceStatus?: InstanceSummary['status'];
  /** The task was made by a 退回 (sent back into its step): 待办 marks it 退回; the task page can say who and why. */
  isReturned?: true;
  /** An open task made by 退回: who sent it back, when and why (the task page's notice). */
  returned?: ReturnedFact;
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
  /** The children each visit of a step with `spawn: { each | wait | as }` started, in start order (docs/spawn.md). */
  spawned: SpawnedStep[];
  /** 办理进度 of the current step when it is a group step (docs/group-steps.md "Progress view"). */
  progress?: GroupProgress;
}

export interface SpawnedStep {
  stepTitle: string;
  /** What the step's `done` waited for: all, any (the first to complete) or none. */
  wait: 'all' | 'any' | 'none';
  /** The instance rests in this visit of the step, waiting. */
  isCurrent: boolean;
  children: { instanceId: string; number: string; title: string; stepTitle: string; status: InstanceSummary['status'] }[];
}

/** A group step's counts, by unit, and one unit's members (paged) when asked for. */
export interface GroupProgress {
  stepTitle: string;
  total: number;
  done: number;
  open: number;
  outcomes: { id: string; label: string; count: number }[];
  /** How it closed, when it has (rule / early / deadline / left). */
  closedHow?: string;
  units: { unit: string; name: string; total: number; done: number; open: number; isExpanded: boolean }[];
  /** The expanded unit's members: names are 匿名 when the step hides its actors from the viewer. */
  members?: { unit: string; name: string; page: number; pages: number; total: number; rows: { name: string; status: 'open' | 'done' | 'cancelled'; outcome?: string; completedAt?: string }[] };
  /** 提前结束 is offered: the viewer holds a close_by role and the step is open. */
  canClose: boolean;
}

/** Which unit's members the instance page shows (?unit=…&page=…). */
export interface ProgressQuery {
  unit?: string;
  page?: number;
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
  /** What the step calls its opinion box (`opinion: { label: 答复意见 }`); absent: 审批意见. */
  opinionLabel?: string;
  /**
   * The step waits for another task group (`wait_for:`): how many of its tasks are in, and until
   * when at the latest. No buttons are offered meanwhile (保存草稿 is, where the step edits fields).
   */
  waiting?: { title: string; done: number; total: number; until?: string };
  /** 保存草稿 is offered: the task is open and its step edits a field (step-input.ts isDraftable). */
  isDraftable: boolean;
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
  /** The task waits for helpers its holder added (委派, 加签 before): who, so the page can say so. */
  waitsFor?: { kind: 'delegated' | 'signer'; names: string[] };
  /**
   * The step was reached before and the process came back to it with a note from the definition
   * (附议代表不足十人…): shown at the top of the page so the holder knows why it is here again.
   */
  cameBack?: { note: string; at: string };
  /** The task was made by 退回: who sent it back, when and why, shown at the top of the page. */
  /** Its step was entered by an administrator's 调整办理步骤 (the page says who, when and why). */
  moved?: MovedFact;
  returned?: ReturnedFact;
  /** The viewer may act on it now; otherwise the page is read-only (done, waiting, cancelled, a 抄送 copy). */
  isOpen: boolean;
  /** Done: who handled it, when, the result and opinion (您已于 … 办理). */
  handled?: HandledFact;
  history: HistoryEntry[];
  /** The back-to-back steps whose actor is shown to this viewer as 匿名, and what that does and does not hide. */
  anonymity: AnonymityNote[];
  /** Answers of for_each groups this step may read (the lead unit sees the 协办 opinions). */
  groups: GroupAnswers[];
  /** 减签: the signers this task added who have not acted yet (the holder may take them back). */
  signers: { taskId: string; name: string; position: 'before' | 'after' }[];
  /** Whom 转办/委派/加签 may hand this task to (handoff.ts): the people, and the units for a unit's 转办. */
  people: { value: string; label: string }[];
  orgs: { value: string; label: string }[];
  /** 转办 moves a unit's task to another unit, any other task to one person. */
  reassignTo: 'org' | 'person';
  /** The panels' pickers (转办/委派/加签 one person, 抄送 several, 转办 a unit): inline or searched, as for a field. */
  actionPickers: { user: PickerModel; users: PickerModel; org: PickerModel };
}
