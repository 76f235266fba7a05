// step.ts: the `ballot:` key of a workflow state: its definition as read (BallotStepDef), its JSON
// Schema fragment, its normalisation, its semantic checks and its expressions (docs/dsl.md "ballot:").
//
// The runtime turns one BallotStepDef into one ballot per step entry, or one per item of `items:`,
// each a core Ballot (types.ts) once the electorate's size is known.

import { LvzError } from '../../errors.ts';
import type { DurationSpec } from '../../model/duration.ts';
import type { CheckContext, ConstructExpr, DataKeyUse, NamedRole, NormaliseContext, Schema, SchemaKit, SiteView } from '../types.ts';
import type { Ballot, BallotKind, PassRule, QuorumRule } from './types.ts';
import { validateBallot } from './validate-ballot.ts';

/**
 * Who may vote: a member group (分组), the holders of a role (optionally in one district), deputies
 * by level and district, or a CEL list of user ids in the record. Fixed when the step is entered.
 * `district` values are CEL (`data.district`). The shapes are those of group steps (docs/group-steps.md);
 * `orgs` is not offered: a ballot is cast by a person.
 */
export type ElectorateSelector =
  | { group: string }
  | { role: string; district?: string }
  | { deputies: { level?: string; district?: string } }
  | { each: string };

export interface BallotStepDef {
  id: string;
  /** What the ballot page and the result sheet are headed (default: the step's title). */
  title?: string;
  kind: BallotKind;
  scale?: string[];
  pass_options?: string[];
  min?: number;
  max?: number;
  step?: number;
  options?: string[];
  choose?: { up_to: number } | { exactly: number };
  elect?: number;
  secret: boolean;
  electorate: ElectorateSelector;
  quorum: QuorumRule;
  pass: PassRule;
  results: 'at_close' | 'live';
  /** Roles whose holders record attendance for others, open and close. */
  chair: string[];
  closes?: { after: DurationSpec };
  /** CEL list: one ballot per item (a roster of appointees), sharing electorate and attendance. */
  items?: string;
  /** CEL over `item` (and data): each item ballot's title, e.g. `item.name + '（' + item.post + '）'`. */
  item_title?: string;
}

const KINDS = ['for_against', 'rating', 'score', 'choose'];
const QUORUM = ['majority_of_members', 'two_thirds_of_members', 'none'];
const PASS = ['majority_of_members', 'majority_of_present', 'two_thirds_of_members', 'two_thirds_of_present', 'none'];
const NAME = '^[a-z][a-z0-9_]*$';

const list = (description: string): Schema => ({ type: 'array', description, minItems: 1, items: { type: 'string', minLength: 1 } });
const count = (description: string): Schema => ({ type: 'integer', minimum: 1, description });

/** The JSON Schema of `ballot:` under a state. */
export const ballotSchema = (k: SchemaKit): Schema => {
  const str = (d: string): Schema => k.str(d);
  const celText = (d: string): Schema => k.cel(d);
  return {
  type: 'object',
  description: '表决: a ballot of the electorate; the step waits for it to close, then takes on.closed (docs/ballots.md)',
  required: ['id', 'kind', 'electorate', 'quorum', 'pass', 'chair'],
  additionalProperties: false,
  properties: {
    id: { ...str('Ballot id, unique in the workflow; its result lands in data.<id>'), pattern: NAME },
    title: str('Title of the ballot page and result sheet (default: the step title)'),
    kind: { enum: KINDS, description: 'for_against (赞成/反对/弃权) | rating (a scale) | score (a number in a range) | choose (N of M options)' },
    scale: list('rating: the values, best first, e.g. [满意, 基本满意, 不满意]'),
    pass_options: list('rating: the values that count as yes for the pass rule'),
    min: { type: 'number', description: 'score: lowest score' },
    max: { type: 'number', description: 'score: highest score' },
    step: { type: 'number', exclusiveMinimum: 0, description: 'score: the step between scores (default 1)' },
    options: list('choose: the options'),
    choose: {
      type: 'object', description: 'choose: { up_to: N } (a blank cast allowed) or { exactly: N }', minProperties: 1, maxProperties: 1,
      additionalProperties: false, properties: { up_to: count('At most N options'), exactly: count('Exactly N options') },
    },
    elect: count('choose: how many are chosen in the end (default: up_to / exactly)'),
    secret: { type: 'boolean', description: '无记名 (default true): no voter is stored with a choice; false: 记名表决' },
    electorate: {
      type: 'object', description: 'Who may vote (应到), fixed when the step is entered: { group } | { role, district } | { deputies: { level, district } } | { each: CEL list of user ids }',
      minProperties: 1, additionalProperties: false,
      properties: {
        group: { ...str('A member group (分组) id'), pattern: '^[A-Za-z0-9_.-]+$' },
        role: { ...str('Every holder of this role'), pattern: NAME },
        district: celText('With role: only those in this district'),
        deputies: {
          type: 'object', description: 'Deputies: by level (national … township) and district', additionalProperties: false,
          properties: { level: str('national | provincial | city | county | township'), district: celText('Only those of this district') },
        },
        each: celText('A list of user ids in the record'),
      },
    },
    quorum: { enum: QUORUM, description: 'majority_of_members (全体组成人员过半数出席) | two_thirds_of_members | none' },
    pass: { enum: PASS, description: 'majority_of_members | majority_of_present | two_thirds_of_members | two_thirds_of_present | none (counts only)' },
    results: { enum: ['at_close', 'live'], description: 'at_close (default) | live: counts shown while open (named ballots only)' },
    chair: { ...list('Roles that record attendance (签到), open and close'), items: { type: 'string', pattern: NAME } },
    closes: {
      type: 'object', description: 'Closes by itself this long after opening (the chair may close it earlier)', required: ['after'],
      additionalProperties: false, properties: { after: k.duration('How long after opening: "30 minutes", "2 hours", "PT30M"') },
    },
    items: celText('One ballot per item of this list (a roster of appointees), sharing one electorate and attendance'),
    item_title: celText('Each item ballot\'s title, over item'),
  },
  };
};

/* eslint-disable @typescript-eslint/no-explicit-any -- raw YAML, already shaped by the schema */
type Raw = Record<string, any>;

/** The schema passed: defaults filled in; a duration that does not read is reported at its line. */
export function normaliseBallot(raw: unknown, ctx: NormaliseContext): BallotStepDef {
  const b = raw as Raw;
  const path = ctx.path;
  const dur = (text: string, at: (string | number)[]): DurationSpec => ctx.duration(text, at);
  const e = b.electorate as Raw;
  const electorate: ElectorateSelector = e.group !== undefined ? { group: e.group }
    : e.role !== undefined ? { role: e.role, ...(e.district !== undefined && { district: e.district }) }
      : e.deputies !== undefined ? { deputies: { ...e.deputies } } : { each: e.each };
  return {
    id: b.id, ...(b.title !== undefined && { title: b.title }), kind: b.kind,
    ...(b.scale !== undefined && { scale: b.scale }), ...(b.pass_options !== undefined && { pass_options: b.pass_options }),
    ...(b.min !== undefined && { min: b.min }), ...(b.max !== undefined && { max: b.max }), ...(b.step !== undefined && { step: b.step }),
    ...(b.options !== undefined && { options: b.options }), ...(b.choose !== undefined && { choose: b.choose }),
    ...(b.elect !== undefined && { elect: b.elect }),
    secret: b.secret !== false, electorate, quorum: b.quorum, pass: b.pass, results: b.results ?? 'at_close', chair: b.chair,
    ...(b.closes !== undefined && { closes: { after: dur(b.closes.after, [...path, 'closes', 'after']) } }),
    ...(b.items !== undefined && { items: b.items }), ...(b.item_title !== undefined && { item_title: b.item_title }),
  };
}

/** The core ballot this step defines, for an electorate of `members` and the ballot row's id. */
export function coreBallot(def: BallotStepDef, id: string, members: number): Ballot {
  const base = { id, secret: def.secret, members, quorum: def.quorum, pass: def.pass };
  switch (def.kind) {
    case 'for_against': return { ...base, kind: 'for_against' };
    case 'rating': return { ...base, kind: 'rating', scale: def.scale ?? [], ...(def.pass_options && { pass_options: def.pass_options }) };
    case 'score': return { ...base, kind: 'score', min: def.min ?? 0, max: def.max ?? 100, step: def.step ?? 1 };
    case 'choose': return { ...base, kind: 'choose', options: def.options ?? [], choose: def.choose ?? { up_to: 1 }, ...(def.elect !== undefined && { elect: def.elect }) };
  }
}

/** The expressions of a ballot, with where they sit; `item_title` also sees `item`. */
export function ballotExprs(def: BallotStepDef, path: string): ConstructExpr[] {
  const e = def.electorate;
  const out: ConstructExpr[] = [];
  if ('role' in e && e.district) out.push({ source: e.district, path: `${path}/electorate/district` });
  if ('deputies' in e && e.deputies.district) out.push({ source: e.deputies.district, path: `${path}/electorate/deputies/district` });
  if ('each' in e) out.push({ source: e.each, path: `${path}/electorate/each` });
  if (def.items) out.push({ source: def.items, path: `${path}/items` });
  if (def.item_title) out.push({ source: def.item_title, path: `${path}/item_title`, vars: ['data', 'tally', 'visits', 'actor', 'event', 'item'] });
  return out;
}

/** The roles a ballot names: its chair, and the role its electorate is. */
export function ballotRoles(def: BallotStepDef, { path }: SiteView): NamedRole[] {
  const out = def.chair.map((role, i) => ({ role, path: `${path}/chair/${i}`, what: `表决“${def.id}”的 chair: ` }));
  if ('role' in def.electorate) out.push({ role: def.electorate.role, path: `${path}/electorate/role`, what: `表决“${def.id}”的 electorate: ` });
  return out;
}

/** What writes a record key, as a message names it. */
function writerOf(u: DataKeyUse): string {
  if (u.by === 'ballot') return `步骤“${u.state}”的表决结果`;
  if (u.by === 'spawn') return `步骤“${u.state}”的子流程列表（spawn: as）`;
  if (u.by === 'group') return `任务组“${u.key}”的各单位答复`;
  return `步骤“${u.state}”的 ${u.by}:`;
}

/**
 * A ballot's result lands in data.<id>, so its id is its own in the record: not a field of the record form,
 * not another ballot's id (the later one is reported), a spawn's list or a for_each group's answers
 * (LVZ_DSL_BALLOT_ID_TAKEN at the id).
 */
export function checkBallotId(def: BallotStepDef, site: SiteView, ctx: CheckContext): LvzError[] {
  const line = (path: string): number => ctx.src.at(path).line;
  const isBefore = (u: DataKeyUse): boolean => line(u.path) < line(site.path);
  const other = ctx.dataKeys.find((u) => u.key === def.id && u.path !== site.path && (u.by !== 'ballot' || isBefore(u)));
  const taken = ctx.record?.fields.has(def.id) ? `记录表单的字段“${def.id}”` : other ? writerOf(other) : undefined;
  if (taken === undefined) return [];
  const path = `${site.path}/id`;
  return [new LvzError('LVZ_DSL_BALLOT_ID_TAKEN',
    `步骤“${site.state.name}”的表决 id“${def.id}”已被占用：表决结果记在 data.${def.id}，会与${taken}互相覆盖；请给表决另起一个本流程中未用过的 id，例如 ${def.id}_${site.state.name === def.id ? 'vote' : site.state.name}`,
    { where: ctx.src.at(path), path, params: { ballot: def.id, state: site.state.name } })];
}

/**
 * Every problem of one ballot, each LVZ_BALLOT_BAD_DEFINITION at its line: what validateBallot finds in
 * the kind and rules, a key of another kind, live results on a secret ballot, a final state, a state
 * without `on: closed`, an item title without items; and an id already taken in the record (checkBallotId).
 */
export function checkBallotStep(def: BallotStepDef, site: SiteView, ctx: CheckContext): LvzError[] {
  const state = site.state.name;
  const found = validateBallot(coreBallot(def, def.id, 1)).map((e) => ({ sub: e.path ?? '', message: e.message }));
  const add = (sub: string, message: string): void => {
    found.push({ sub, message: `表决“${def.id}”：${message}` });
  };
  const foreign: Record<BallotKind, string[]> = {
    for_against: ['scale', 'pass_options', 'min', 'max', 'step', 'options', 'choose', 'elect'],
    rating: ['min', 'max', 'step', 'options', 'choose', 'elect'],
    score: ['scale', 'pass_options', 'options', 'choose', 'elect'],
    choose: ['scale', 'pass_options', 'min', 'max', 'step'],
  };
  const raw = def as unknown as Raw;
  for (const key of foreign[def.kind]) if (raw[key] !== undefined) add(`/${key}`, `${key} 不适用于 ${def.kind} 表决：请删去`);
  if (def.kind === 'choose' && def.choose === undefined) add('', 'choose 表决须写明 choose: { up_to: N } 或 { exactly: N }');
  if (def.kind === 'rating' && def.scale === undefined) add('', 'rating 表决须写明评价档次 scale，如 [满意, 基本满意, 不满意]');
  if (def.kind === 'choose' && def.options === undefined) add('', 'choose 表决须写明候选项 options');
  if (def.results === 'live' && def.secret) add('/results', '无记名表决不能实时显示结果（一人投票前后的变化就是他的选择）：请改为 results: at_close，或设 secret: false');
  if (site.state.final) add('', `结束步骤“${state}”不能有表决：请把表决放在流程结束之前的步骤`);
  else if (!site.state.events.includes('closed')) add('', `步骤“${state}”有表决，但没有 on: closed：请写明表决结束后去哪一步`);
  if (def.item_title !== undefined && def.items === undefined) add('/item_title', 'item_title 只能与 items 一起使用');
  return [...found.map(({ sub, message }) => {
    const path = site.path + sub;
    return new LvzError('LVZ_BALLOT_BAD_DEFINITION', message, { where: ctx.src.at(path), path, params: { ballot: def.id, state } });
  }), ...checkBallotId(def, site, ctx)];
}
