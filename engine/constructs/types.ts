// types.ts: what a DSL construct is (docs/constructs.md). A construct is one folder of engine/constructs/
// owning one YAML key (`deadline:`, `ballot:` …): its schema fragment, its normalisation, its checks, the
// expressions it holds, its diagram line and its runtime effects. Generic code (dsl/, runtime/) loops over
// the registry (index.ts) and names no construct.
//
// constructs/ stands below dsl/ and runtime/ (docs/architecture.md), so it cannot see a WorkflowDef or the
// database: the shapes a construct is shown are declared here (views), and what generic code owns is handed
// in (the schema helpers as a kit, durations and errors through a context, runtime effects through ports).

import type { Calendar } from '../calendar/index.ts';
import type { LvzError, Where } from '../errors.ts';
import type { DurationSpec } from '../model/duration.ts';
import type { Selector } from '../model/selector.ts';
import type { Source } from '../yaml/source.ts';

/** A JSON Schema fragment. */
export type Schema = Record<string, unknown>;

/** Where a construct's key may be written: under a state, under a task group (`task:` / an item of `tasks:`). */
export type ConstructSite = 'state' | 'group';

/** The schema helpers of dsl/schema.ts, handed in so a fragment reads like the rest of the schema. */
export interface SchemaKit {
  /** A non-empty string. */
  str(description: string, extra?: Schema): Schema;
  /** An identifier (a state, event, field or role name). */
  name(description: string): Schema;
  /** A list of unique identifiers. */
  names(description: string, item: string): Schema;
  /** A CEL expression. */
  cel(description: string): Schema;
  /** A duration ("3 months", "7 working days"). */
  duration(description: string): Schema;
  /** A map field -> CEL value. */
  celMap(description: string): Schema;
  /** The identifier pattern (NAME_PATTERN). */
  namePattern: string;
  /** The keys of a task (`task:`: title, form, fields, outcomes, opinion …), for a construct that is a kind of task (group). */
  taskKeys(): Schema;
}

/** A path into the YAML document: keys and list indexes (`['states', 'review', 'deadline']`). */
export type YamlPath = (string | number)[];

/** What normalisation is handed: where the key sits, and a duration reader that collects bad durations. */
export interface NormaliseContext {
  /** The path of the construct's value (`['states', 'review', 'deadline']`). */
  path: YamlPath;
  /** Parses a duration; a bad one is collected as LVZ_DSL_BAD_DURATION at `path` and a placeholder returned. */
  duration(text: string, path: YamlPath): DurationSpec;
  /** Collects a problem found while normalising (with file:line:col from `at`). */
  error(e: LvzError): void;
  /** file:line:col of a path, for an error's `where`. */
  at(path: YamlPath): Where;
}

/** The state a construct sits in, as a construct sees it. */
export interface StateView {
  name: string;
  final: boolean;
  /** The keys of the state's `on:`. */
  events: string[];
}

/** The task group a construct sits in, when it sits in one. */
export interface GroupView {
  id: string;
}

/** Where one construct value sits: its state, its group (group sites only) and its JSON pointer. */
export interface SiteView {
  state: StateView;
  group?: GroupView;
  /** JSON pointer of the construct's value (`/states/review/deadline`, `/states/handle/tasks/0/deadline`). */
  path: string;
}

/** A workflow's record form, as a check sees it: its id and its field names. */
export interface RecordView {
  form: string;
  fields: ReadonlySet<string>;
}

/** A role a construct value names (a ballot's `chair:`, a group's `close_by:`, a selector's `role`), where, and what names it. */
export interface NamedRole {
  role: string;
  /** JSON pointer of the role's node (`/states/vote/ballot/chair/0`). */
  path: string;
  /** Who names it, as the message says it: `表决“agenda”的 chair: `. */
  what: string;
}

/**
 * A key of the record that something other than the record form writes: a construct value's `dataKeys`
 * (a ballot's result, a spawn's list of children) or a `for_each` task group's answers (`data.<group>`).
 */
export interface DataKeyUse {
  key: string;
  /** The construct's key (`ballot`, `spawn`), or `group` for a task group's answers. */
  by: string;
  /** The state it is written in. */
  state: string;
  /** JSON pointer of the value (`/states/vote/ballot`) or of the task group. */
  path: string;
}

/** A directory selector a construct value holds (a group step's `to:`, a ballot's `electorate:`), where, and whose. */
export interface SelectorUse {
  selector: Selector;
  /** JSON pointer of the selector (`/states/ask/group/to`). */
  path: string;
  /** Whose it is, as a message says it: `步骤“ask”的 to: `. */
  what: string;
}

/** One expression of the definition and what it reads. */
export interface ExprRead {
  source: string;
  /** JSON pointer of the YAML node holding it. */
  path: string;
  /** Top-level variables with their first member (`data.title`, `tally.evaluate`). */
  refs: readonly string[];
}

/** What a construct's checks are handed (built in one place, dsl/checks/constructs.ts `constructCheckContext`). */
export interface CheckContext {
  src: Source;
  /** The workflow's record form, when the forms are given (a text checked alone has none). */
  record?: RecordView;
  /** The ids of the workflow's task groups (a group step's is its state's name). */
  taskGroups: ReadonlySet<string>;
  /** Every record key the definition writes besides the form's fields, the construct's own included. */
  dataKeys: readonly DataKeyUse[];
  /** Every expression of the definition with what it reads: for `modelChecks` (compiled by then); empty for `checks`. */
  reads: readonly ExprRead[];
}

/** What checks across files are handed: every workflow's newest version, by id. */
export interface CrossContext {
  src: Source;
  /** Workflow id -> its record form (its fields when the forms are given). */
  workflows: ReadonlyMap<string, { record: string; fields?: ReadonlySet<string> }>;
}

/** The diagram's words, handed to `diagramLine` (dsl/diagram-layout.ts). */
export interface DiagramKit {
  /** `7 working days` -> `7个工作日`. */
  durationText(d: DurationSpec): string;
}

/** A CEL expression a construct holds, checked and compiled with the definition's others (dsl/expr-sites.ts). */
export interface ConstructExpr {
  source: string;
  /** JSON pointer of the YAML node holding it. */
  path: string;
  /** The top-level names it may use; absent: those every expression sees (data, tally, visits, actor, event). */
  vars?: readonly string[];
}

/**
 * What entering a state hands a construct (runtime/entry-rows.ts implements it). Pure: the construct returns
 * the rows it wants; the runtime writes them in the entering transaction.
 */
export interface EntryPorts {
  /** The moment of entry. */
  now: Date;
  /** The working-day calendar durations are counted on. */
  calendar: Calendar;
  /** A CEL expression the construct holds, evaluated over the entry's variables (data, tally, visits, actor, event). */
  isTrue(source: string): boolean;
}

/** A durable timer a construct asks for on entry; the runtime adds the instance, the step, the visit and the group. */
export interface TimerSpec {
  /** The store's timer kind (store/process/types.ts TimerKind), and the key `timerFired` is found by. */
  kind: string;
  fireAt: Date;
  /** Counted in a year the holiday calendar lacks: an estimate until that year is entered. */
  provisional: boolean;
  /** What it was counted from (runtime/recompute.ts counts it again when a year is entered). */
  duration: DurationSpec;
  payload: Record<string, unknown>;
}

/** What a construct's entry asks for. */
export interface EntryEffects {
  timers?: TimerSpec[];
  /** When the tasks at this site are due (a group's own over its state's), shown on the tasks. */
  due?: { at: Date; provisional: boolean };
}

/** A timer as it fires: its row, as a construct reads it. */
export interface FiredTimer {
  id: string;
  kind: string;
  state: string;
  visit: number;
  /** The task group it belongs to (payload.group), when it is a group's. */
  group?: string;
  payload: Record<string, unknown>;
}

/** What firing a timer hands its construct (runtime/fire-timers.ts implements it, inside the firing transaction). */
export interface TimerPorts {
  /** Appends an event to the instance's history; `toState` is where the instance rests after (default: where it is). */
  appendEvent(type: string, payload: Record<string, unknown>, toState?: string): Promise<void>;
  /** Marks the timer's step's open tasks (its group's, when it has one) overdue. */
  markOverdue(): Promise<void>;
  /** Sends an event to the machine, settles and persists; returns where the instance rests and the transitions' notes. */
  send(event: string): Promise<{ state: string; notes: string[] }>;
}

/**
 * One DSL construct: K is its YAML key, D its normalised definition (what StateDef / TaskGroupDef carry under K),
 * S where it may be written. Every hook is optional; generic code calls those that are there.
 */
export interface Construct<K extends string = string, D = unknown, S extends ConstructSite = ConstructSite> {
  readonly key: K;
  /** Where the key may be written (the sites whose schema fragment is given below). */
  readonly sites: readonly S[];
  /** The schema of the key's value under a state. */
  stateSchema?(kit: SchemaKit): Schema;
  /** The schema of the key's value under a task group. */
  groupSchema?(kit: SchemaKit): Schema;
  /** Schema-valid YAML value -> the definition (shapes trusted: the schema passed). */
  normalise?(raw: unknown, ctx: NormaliseContext): D;
  /** Semantic problems of one value, each an LvzError with its path and file:line:col. */
  checks?(def: D, site: SiteView, ctx: CheckContext): LvzError[];
  /** The CEL expressions the value holds, with their JSON pointers (under `path`, the value's pointer). */
  exprSites?(def: D, path: string): ConstructExpr[];
  /** The roles the value names; each must be declared in the workflow's `roles:` (dsl/checks/unknown-role.ts, LVZ_DSL_UNKNOWN_ROLE). */
  roles?(def: D, site: SiteView): NamedRole[];
  /** The directory selectors it holds: `lvzhi check` and the studio hold their names to the directory (dsl/not-in-directory.ts). */
  selectors?(def: D, site: SiteView): SelectorUse[];
  /** Keys of the record the construct writes itself (a ballot's result, a spawn's list of children), so expressions may read `data.<key>`. */
  dataKeys?(def: D): string[];
  /** Events the construct itself sends to the machine (not a button): a deadline's `escalate`. */
  systemEvents?(def: D): string[];
  /** The diagram's label of one of its system events (a ballot's `closed`: 表决结束); none: 超期. */
  eventLabel?(def: D, event: string): string | undefined;
  /** Problems that need the other workflows (dsl/compile.ts checkAcrossFiles): a spawned workflow that does not exist. */
  crossChecks?(def: D, site: SiteView, ctx: CrossContext): LvzError[];
  /**
   * Whether the value keeps its state until its own work is done and `done` is then raised, like a
   * state's tasks (a spawn that waits): such a state may have `on: done` without tasks.
   */
  waits?(def: D): boolean;
  /** Findings of `lvzhi check` (dsl/model-check.ts): legal, but surely a mistake. */
  modelChecks?(def: D, site: SiteView, ctx: CheckContext): LvzError[];
  /** The line the diagram shows under a state's box (`限时 3个月`), or none; state values only. */
  diagramLine?(def: D, kit: DiagramKit): string | undefined;
  /** Entering the state: the timers it asks for and when the site's tasks are due. */
  entered?(def: D, site: SiteView, ports: EntryPorts): EntryEffects;
  /** The timer kinds this construct's `timerFired` handles. */
  readonly timerKinds?: readonly string[];
  /** A timer of one of `timerKinds` fired (the step is still the one it was written for). */
  timerFired?(timer: FiredTimer, ports: TimerPorts): Promise<void>;
}

/** Any construct, whatever its key and definition. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry holds constructs of every D
export type AnyConstruct = Construct<string, any, ConstructSite>;

/** The key, definition and site types of a construct. */
export type KeyOf<C> = C extends { readonly key: infer K } ? K : never;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- D is inferred
export type DefOf<C> = C extends Construct<string, infer D, any> ? D : never;
export type SiteOf<C> = C extends { readonly sites: readonly (infer S)[] } ? S : never;
