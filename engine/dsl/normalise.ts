// normalise.ts: schema-valid YAML value -> WorkflowDef, expanding every shorthand.
//
// Runs only after the schema passed, so shapes are trusted here; what is left to go wrong is
// a duration's text, collected as LVZ_DSL_BAD_DURATION so the admin sees all of them at once.

import { parseDuration } from '../calendar/index.ts';
import { LvzError, isLvzError } from '../errors.ts';
import type { Source } from '../yaml/source.ts';
import { groupStepFields, groupTaskRaw } from '../constructs/group/index.ts';
import { toPointer } from '../yaml/source.ts';
import { normaliseBallot } from '../constructs/ballot/step.ts';
import type {
  CompleteWhen,
  DeadlineDef,
  DurationSpec,
  StateDef,
  TaskAction,
  TaskGroupDef,
  TransitionDef,
  WorkflowDef,
} from './types.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- raw YAML, already shaped by the schema */
type Raw = Record<string, any>;

const DEFAULT_OUTCOME = { id: 'submit', label: '提交' };

export function normaliseWorkflow(raw: Raw, src: Source): { def: WorkflowDef; errors: LvzError[] } {
  const errors: LvzError[] = [];
  const dur = (text: string, path: (string | number)[]): DurationSpec => readDuration(text, path, src, errors);
  const states: Record<string, StateDef> = {};
  for (const [name, s] of Object.entries(raw.states as Record<string, Raw>)) {
    states[name] = normaliseState(name, s ?? {}, dur);
  }
  const def: WorkflowDef = {
    id: raw.id,
    version: raw.version,
    title: raw.title,
    ...(raw.description !== undefined && { description: raw.description }),
    ...(raw.extends !== undefined && { extends: raw.extends }),
    ...(raw.owner !== undefined && { owner: raw.owner }),
    roles: raw.roles,
    starters: raw.starters ?? [],
    viewers: raw.viewers ?? [],
    record: raw.record,
    ...(raw.title_from !== undefined && { title_from: raw.title_from }),
    ...(raw.number !== undefined && { number: raw.number }),
    initial: raw.initial,
    states,
  };
  return { def, errors };
}

type Dur = (text: string, path: (string | number)[]) => DurationSpec;

function readDuration(text: string, path: (string | number)[], src: Source, errors: LvzError[]): DurationSpec {
  try {
    return parseDuration(text);
  } catch (e) {
    if (!isLvzError(e)) throw e;
    errors.push(new LvzError(e.code, e.message, { where: src.at(path), path: toPointer(path), params: e.params }));
    // A placeholder keeps the definition whole so the other checks still run.
    return { text, amount: 1, unit: 'days' };
  }
}

function normaliseState(name: string, s: Raw, dur: Dur): StateDef {
  const base = ['states', name];
  const on: Record<string, TransitionDef[]> = {};
  for (const [event, value] of Object.entries((s.on ?? {}) as Record<string, unknown>)) {
    on[event] = transitions(value, [...base, 'on', event]);
  }
  const deadline = s.deadline ? normaliseDeadline(s.deadline, [...base, 'deadline'], dur) : undefined;
  const state: StateDef = {
    name,
    title: s.title ?? name,
    final: s.final === true,
    tasks: [],
    ...(deadline && { deadline }),
    ...(s.set && { set: s.set }),
    on,
    always: ((s.always ?? []) as Raw[]).map((t, i) => transition(t, [...base, 'always', i])),
    ...(s.spawn && { spawn: { workflow: s.spawn.workflow, data: s.spawn.data ?? {} } }),
    ...(s.copy && { copy: { roles: s.copy.roles ?? [], ...(s.copy.users !== undefined && { users: s.copy.users }) } }),
    ...(s.ballot && { ballot: normaliseBallot(s.ballot, [...base, 'ballot'], dur) }),
  };
  // With both task and tasks (a conflict reported by a check) the list wins, so checks see it.
  if (Array.isArray(s.tasks)) {
    state.tasks = (s.tasks as Raw[]).map((g, i) => normaliseGroup(g, g.id, [...base, 'tasks', i], state, dur));
  } else if (s.task) {
    state.tasks = [normaliseGroup(s.task, 'main', [...base, 'task'], state, dur)];
  } else if (s.group) {
    const g = normaliseGroup(groupTaskRaw(s.group), name, [...base, 'group'], state, dur);
    state.tasks = [{ ...g, ...groupStepFields(s.group, name, g.outcomes) }];
  }
  return state;
}

function transitions(value: unknown, path: (string | number)[]): TransitionDef[] {
  if (typeof value === 'string') return [{ to: value, path: toPointer(path) }];
  if (Array.isArray(value)) return value.map((t, i) => transition(t as Raw, [...path, i]));
  return [transition(value as Raw, path)];
}

function transition(t: Raw, path: (string | number)[]): TransitionDef {
  return {
    to: t.to,
    ...(t.when !== undefined && { when: t.when }),
    ...(t.label !== undefined && { label: t.label }),
    ...(t.note !== undefined && { note: t.note }),
    ...(t.reason !== undefined && { reason: t.reason }),
    ...(t.set !== undefined && { set: t.set }),
    path: toPointer(path),
  };
}

function normaliseGroup(g: Raw, id: string, path: (string | number)[], state: StateDef, dur: Dur): TaskGroupDef {
  const fields = g.fields ?? {};
  const deadline = g.deadline ? normaliseDeadline(g.deadline, [...path, 'deadline'], dur) : undefined;
  return {
    id,
    ...(g.title !== undefined && { title: g.title }),
    ...(g.role !== undefined && { role: g.role }),
    ...(g.assignee !== undefined && { assignee: g.assignee }),
    ...(g.org !== undefined && { org: g.org }),
    ...(g.form !== undefined && { form: g.form }),
    fields: { edit: fields.edit ?? [], read: fields.read ?? [], hidden: fields.hidden ?? [], require: fields.require ?? [] },
    actions: (g.actions ?? []) as TaskAction[],
    ...opinionOf(g.opinion),
    anonymous_to: g.anonymous_to ?? [],
    return_to: g.return_to ?? [],
    ...(g.return_within !== undefined && { return_within: dur(g.return_within, [...path, 'return_within']) }),
    rules: g.rules ?? [],
    ...(g.handoff !== undefined && { handoff: g.handoff }),
    ...(g.for_each !== undefined && { for_each: g.for_each }),
    ...(g.wait_for !== undefined && { wait_for: g.wait_for }),
    complete_when: completeWhen(g.complete_when),
    outcomes: outcomes(g, state),
    ...(deadline && { deadline }),
    path: toPointer(path),
  };
}

/** `opinion: required` or `opinion: { label: 答复意见, required: true }` (a named box is optional unless required). */
function opinionOf(o: unknown): Pick<TaskGroupDef, 'opinion' | 'opinion_label'> {
  if (o !== null && typeof o === 'object') {
    const { label, required } = o as { label?: string; required?: boolean };
    return { opinion: required === true ? 'required' : 'optional', ...(label !== undefined && { opinion_label: label }) };
  }
  return { opinion: (o as TaskGroupDef['opinion'] | undefined) ?? 'none' };
}

function completeWhen(c: unknown): CompleteWhen {
  if (c === undefined || c === 'all') return { kind: 'all' };
  if (c === 'any' || c === 'sequential') return { kind: c };
  const o = c as { ratio?: number; count?: number };
  return o.ratio !== undefined ? { kind: 'ratio', ratio: o.ratio } : { kind: 'count', count: o.count! };
}

/** Explicit outcomes; else a single task's buttons are its state's human events; else 提交. */
function outcomes(g: Raw, state: StateDef): { id: string; label: string }[] {
  if (Array.isArray(g.outcomes)) {
    return (g.outcomes as (string | { id: string; label: string })[]).map((o) =>
      typeof o === 'string' ? { id: o, label: o === 'submit' ? DEFAULT_OUTCOME.label : o } : { id: o.id, label: o.label },
    );
  }
  if (g.for_each !== undefined) return [DEFAULT_OUTCOME];
  const escalate = state.deadline?.escalate;
  const human = Object.entries(state.on).filter(([e]) => e !== 'done' && e !== escalate);
  if (human.length === 0) return [DEFAULT_OUTCOME];
  return human.map(([e, ts]) => ({
    id: e,
    label: ts.find((t) => t.label)?.label ?? (e === 'submit' ? DEFAULT_OUTCOME.label : e),
  }));
}

function normaliseDeadline(d: Raw, path: (string | number)[], dur: Dur): DeadlineDef {
  const after =
    typeof d.after === 'string'
      ? [{ duration: dur(d.after, [...path, 'after']) }]
      : (d.after as Raw[]).map((c, i) => ({
          ...(c.when !== undefined && { when: c.when as string }),
          duration: dur(c.after, [...path, 'after', i, 'after']),
        }));
  const remindRaw: string[] = d.remind === undefined ? [] : typeof d.remind === 'string' ? [d.remind] : d.remind;
  const remind = remindRaw.map((r, i) => dur(r, typeof d.remind === 'string' ? [...path, 'remind'] : [...path, 'remind', i]));
  return { after, remind, ...(d.escalate !== undefined && { escalate: d.escalate }), ...(d.close === true && { close: true }) };
}
