// history.ts: event rows -> the timeline a viewer may read: names (匿名 where the step hides the
// actor from the viewer's roles), 代理 shown as such, changes only for fields the viewer may see.

import type { CompiledWorkflow, TaskDef } from '../dsl/types.ts';
import type { CompiledForm, FieldDef } from '../forms/types.ts';
import type { EventRow } from '../store/process/index.ts';
import type { AnonymityNote, HistoryEntry } from './types.ts';

const SUMMARIES: Record<string, string> = {
  'instance.started': '发起',
  'task.completed': '提交',
  'task.returned': '退回',
  'task.reassigned': '转办',
  'task.delegated': '委派',
  'task.delegate_answered': '委派答复',
  'task.signer_added': '加签',
  'task.signed': '加签意见',
  'task.signer_removed': '减签',
  'task.copied': '抄送',
  'task.reminded': '催办',
  'instance.withdrawn': '撤回',
  'instance.cancelled': '撤销',
  'instance.terminated': '终止',
  'instance.migrated': '迁移到新版本',
  'instance.moved': '管理员调整办理步骤',
  'timer.remind': '催办',
  'timer.deadline': '办理期限已到',
  'timer.failed': '定时处理失败，已转系统管理员',
  'timer.retried': '定时处理重新执行',
  'deadline.recomputed': '节假日安排更新',
  'spawn.reported': '子流程结果回报',
  'spawn.ignored': '子流程结果未写回',
  'group.answered': '答复',
  'group.closed': '征求意见结束',
  'ballot.attendance': '表决签到',
  'ballot.opened': '开始表决',
  'ballot.cast': '记名投票',
  'ballot.closed': '表决结束',
  'ballot.screen': '投屏链接',
};

export interface HistoryViewer {
  roles: string[];
  /** Fields whose changes this viewer may read. */
  fields: ReadonlySet<string>;
  names: Map<string, string>;
  orgOf: Map<string, string>;
  /** Organisation id → name, so an org field's change reads 市城管局, not its id. */
  orgNames?: Map<string, string>;
}

/** How one stored value of a field reads: a person or an org by name, a choice by its label. */
function wordFor(f: FieldDef | undefined, viewer: HistoryViewer): (value: string) => string {
  if (f?.type === 'person') return (id) => viewer.names.get(id) ?? '（已不在通讯录中的人员）';
  if (f?.type === 'org') return (id) => viewer.orgNames?.get(id) ?? '（已不在通讯录中的单位）';
  if (f?.options) return (v) => f.options!.find((o) => o.value === v)?.label ?? v;
  return (v) => v;
}

function display(v: unknown, word: (value: string) => string): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map((x) => (x && typeof x === 'object' ? String((x as { name?: unknown }).name ?? '') : display(x, word))).join('、');
  if (typeof v === 'object') return JSON.stringify(v);
  return typeof v === 'string' ? word(v) : String(v);
}

const HANDED = new Set(['task.reassigned', 'task.delegated', 'task.signer_added', 'task.signer_removed']);

/**
 * Whom a 转办/委派/加签/减签 went to, or a 抄送's recipients, by name: the name stored with the event
 * (toName, toNames), else the ids of an event from before names were stored, read in the directory.
 */
function targetOf(e: EventRow, viewer: HistoryViewer): string | undefined {
  const p = e.payload;
  if (e.type === 'task.copied') {
    const names = Array.isArray(p.toNames) ? p.toNames.map(String)
      : Array.isArray(p.toUsers) ? p.toUsers.map((id) => viewer.names.get(String(id)) ?? '（已不在通讯录中的人员）') : [];
    return names.length > 0 ? names.join('、') : undefined;
  }
  if (!HANDED.has(e.type)) return undefined;
  if (typeof p.toName === 'string' && p.toName) return p.toName;
  if (typeof p.toOrg === 'string') return viewer.orgNames?.get(p.toOrg) ?? '（已不在通讯录中的单位）';
  if (typeof p.toUser === 'string') return viewer.names.get(p.toUser) ?? '（已不在通讯录中的人员）';
  return undefined;
}

const CLOSED_HOW: Record<string, string> = { rule: '已满足办结条件', early: '提前结束', deadline: '期限已到' };

/** A group step's one history line: how it closed and how many answered (已答复 4,210 / 6,007). */
function groupClosedWords(p: Record<string, unknown>): string[] {
  const tally = (p.tally ?? {}) as Record<string, number>;
  const how = CLOSED_HOW[String(p.how)];
  const n = (x: unknown): string => Number(x ?? 0).toLocaleString('en-US');
  return [...(how ? [how] : []), `已答复 ${n(tally.done)} / ${n(tally.total)}`];
}

/**
 * One natural line per event: the button's own word for a completion (`交办 → 承办答复`), the
 * action's word otherwise (`退回 → 起草建议`, `催办 第 2 次`), and what qualifies it in brackets:
 * the reason of a return, a note from the definition (`重新办理`); whom a 转办/委派/加签 went to
 * (`转办给 市教育局`), whom a 抄送 went to (`抄送 陈静、赵志刚`).
 */
function summaryOf(e: EventRow, wf: CompiledWorkflow, viewer: HistoryViewer): string {
  const base = SUMMARIES[e.type] ?? e.type;
  const label = typeof e.payload.label === 'string' && e.payload.label ? e.payload.label : undefined;
  const head = e.type === 'task.completed' && label ? label : base;
  const to = e.toState && e.toState !== e.fromState ? wf.def.states[e.toState]?.title : undefined;
  const extra: string[] = [];
  if (label && head !== label) extra.push(label);
  if ((e.type === 'task.returned' || e.type === 'instance.moved') && typeof e.payload.reason === 'string') extra.push(`理由：${e.payload.reason}`);
  if (typeof e.payload.note === 'string' && e.payload.note) extra.push(e.payload.note);
  if (e.type === 'group.closed') extra.push(...groupClosedWords(e.payload));
  const count = e.type === 'task.reminded' ? ` 第 ${String(e.payload.count ?? 1)} 次` : '';
  const target = targetOf(e, viewer);
  const whom = target ? `${e.type === 'task.reassigned' || e.type === 'task.delegated' ? '给' : ''} ${target}` : '';
  const line = to ? `${head} → ${to}` : head + count + whom;
  return extra.length > 0 ? `${line}（${extra.join('；')}）` : line;
}

/** Whether a step's group hides who acts in it from a viewer with these roles (`anonymous_to`). */
export function hidesActor(g: Pick<TaskDef, 'anonymous_to'>, roles: readonly string[]): boolean {
  return g.anonymous_to.some((r) => roles.includes(r));
}

function isAnonymous(e: EventRow, wf: CompiledWorkflow, viewer: HistoryViewer): boolean {
  const state = e.fromState ? wf.def.states[e.fromState] : undefined;
  const groups = state?.tasks.filter((g) => !e.payload.group || g.id === e.payload.group) ?? [];
  return groups.some((g) => hidesActor(g, viewer.roles));
}

/**
 * What the workflow's back-to-back steps hide from this viewer, for the page to say plainly: the
 * name on that step's lines (history, answers, 正在办理), nothing more. A step whose task goes to
 * the initiator (办理测评) is done by someone the viewer sees named as 发起人, so the page must not
 * suggest the evaluator is unknown; whether its content is shown follows the viewer's field rights.
 */
export function anonymityOf(wf: CompiledWorkflow, viewer: Pick<HistoryViewer, 'roles' | 'fields'>): AnonymityNote[] {
  return Object.values(wf.def.states).flatMap((s) => s.tasks.filter((g) => hidesActor(g, viewer.roles)).map((g) => ({
    stepTitle: g.title ?? s.title,
    isByInitiator: g.assignee === 'initiator',
    isContentHidden: !g.fields.edit.some((f) => viewer.fields.has(f)),
  })));
}

export function historyOf(events: EventRow[], wf: CompiledWorkflow, form: CompiledForm | undefined, viewer: HistoryViewer): HistoryEntry[] {
  return events.map((e) => {
    const hidden = isAnonymous(e, wf, viewer);
    const actorName = e.actorId === null ? '系统' : hidden ? '匿名' : viewer.names.get(e.actorId) ?? e.actorId;
    const data = (e.payload.data ?? {}) as Record<string, unknown>;
    const changes = Object.entries(data)
      .filter(([k, v]) => viewer.fields.has(k) && v !== undefined)
      .map(([k, v]) => ({ label: form?.byName.get(k)?.label ?? k, value: display(v, wordFor(form?.byName.get(k), viewer)) }));
    const step = e.fromState ? wf.def.states[e.fromState]?.title : undefined;
    const entry: HistoryEntry = {
      seq: e.seq, at: e.at, actorName, type: e.type, summary: summaryOf(e, wf, viewer),
      ...(!hidden && e.actorId && viewer.orgOf.get(e.actorId) && { actorOrg: viewer.orgOf.get(e.actorId) }),
      ...(!hidden && e.onBehalfOf && { onBehalfOfName: `${viewer.names.get(e.onBehalfOf) ?? e.onBehalfOf}（代理）` }),
      ...(!hidden && e.onBehalfOf && { principalName: viewer.names.get(e.onBehalfOf) ?? e.onBehalfOf }),
      ...(step && { stepTitle: step }),
      ...(e.fromState && { fromState: e.fromState }),
      ...(e.toState && { toState: e.toState }),
      ...(typeof e.payload.opinion === 'string' && { opinion: e.payload.opinion }),
      ...(typeof e.payload.reason === 'string' && { reason: e.payload.reason }),
      ...((e.type === 'task.returned' || e.type === 'instance.moved') && typeof e.payload.reason === 'string' && { reasonInSummary: true }),
      ...(changes.length > 0 && { changes }),
    };
    return entry;
  });
}
