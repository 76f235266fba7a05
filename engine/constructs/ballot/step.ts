// step.ts: the `ballot:` key of a workflow state: its definition as read (BallotStepDef), its JSON
// Schema fragment, its normalisation and its semantic checks (docs/dsl.md "ballot:").
//
// The runtime turns one BallotStepDef into one ballot per step entry, or one per item of `items:`,
// each a core Ballot (types.ts) once the electorate's size is known.

import { LvzError } from '../../errors.ts';
import type { DurationSpec } from '../../model/duration.ts';
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
  /** JSON pointer of the `ballot:` node. */
  path: string;
}

const KINDS = ['for_against', 'rating', 'score', 'choose'];
const QUORUM = ['majority_of_members', 'two_thirds_of_members', 'none'];
const PASS = ['majority_of_members', 'majority_of_present', 'two_thirds_of_members', 'two_thirds_of_present', 'none'];
const NAME = '^[a-z][a-z0-9_]*$';

type Schema = Record<string, unknown>;
const str = (description: string): Schema => ({ type: 'string', minLength: 1, description });
const list = (description: string): Schema => ({ type: 'array', description, minItems: 1, items: { type: 'string', minLength: 1 } });
const count = (description: string): Schema => ({ type: 'integer', minimum: 1, description });
const celText = (description: string): Schema => str(`${description} (a CEL expression)`);

/** The JSON Schema of `ballot:` (schema.ts puts it under a state). */
export const ballotSchema: Schema = {
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
      additionalProperties: false, properties: { after: str('A duration: "30 minutes", "2 hours", "PT30M"') },
    },
    items: celText('One ballot per item of this list (a roster of appointees), sharing one electorate and attendance'),
    item_title: celText('Each item ballot\'s title, over item'),
  },
};

/* eslint-disable @typescript-eslint/no-explicit-any -- raw YAML, already shaped by the schema */
type Raw = Record<string, any>;

/** The schema passed: defaults filled in; a duration that does not read is reported with its path. */
export function normaliseBallot(b: Raw, path: (string | number)[], dur: (text: string, path: (string | number)[]) => DurationSpec): BallotStepDef {
  const e = b.electorate as Raw;
  const electorate: ElectorateSelector = e.group !== undefined ? { group: e.group }
    : e.role !== undefined ? { role: e.role, ...(e.district !== undefined && { district: e.district }) }
      : e.deputies !== undefined ? { deputies: { ...e.deputies } } : { each: e.each };
  return {
    id: b.id, ...(b.title !== undefined && { title: b.title }), kind: b.kind,
    ...(b.scale !== undefined && { scale: b.scale }), ...(b.pass_options !== undefined && { pass_options: b.pass_options }),
    ...(b.kind === 'score' && { min: b.min ?? 0, max: b.max ?? 100, step: b.step ?? 1 }),
    ...(b.options !== undefined && { options: b.options }), ...(b.choose !== undefined && { choose: b.choose }),
    ...(b.elect !== undefined && { elect: b.elect }),
    secret: b.secret !== false, electorate, quorum: b.quorum, pass: b.pass, results: b.results ?? 'at_close', chair: b.chair,
    ...(b.closes !== undefined && { closes: { after: dur(b.closes.after, [...path, 'closes', 'after']) } }),
    ...(b.items !== undefined && { items: b.items }), ...(b.item_title !== undefined && { item_title: b.item_title }),
    path: '/' + path.join('/'),
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

/** The expressions of a ballot, with where they sit and whether they see `item`. */
export function ballotExprs(def: BallotStepDef): { source: string; path: string; item: boolean }[] {
  const e = def.electorate;
  const out: { source: string; path: string; item: boolean }[] = [];
  if ('role' in e && e.district) out.push({ source: e.district, path: `${def.path}/electorate/district`, item: false });
  if ('deputies' in e && e.deputies.district) out.push({ source: e.deputies.district, path: `${def.path}/electorate/deputies/district`, item: false });
  if ('each' in e) out.push({ source: e.each, path: `${def.path}/electorate/each`, item: false });
  if (def.items) out.push({ source: def.items, path: `${def.path}/items`, item: false });
  if (def.item_title) out.push({ source: def.item_title, path: `${def.path}/item_title`, item: true });
  return out;
}

/** What the checks need of the state around the ballot. */
export interface BallotStateFacts {
  state: string;
  hasTasks: boolean;
  events: string[];
  /** The roles the workflow declares. */
  roles: string[];
}

/**
 * Every problem of one ballot, each LVZ_BALLOT_BAD_DEFINITION with its path (the caller adds
 * file:line:col): what validateBallot finds in the kind and rules, a kind key of another kind,
 * live results on a secret ballot, a chair role the workflow does not declare, a state with
 * tasks beside the ballot or without `on: closed`, an item title without items.
 */
export function checkBallotStep(def: BallotStepDef, s: BallotStateFacts): LvzError[] {
  const errors = validateBallot(coreBallot(def, def.id, 1)).map((e) => new LvzError(e.code, e.message, { path: def.path + (e.path ?? ''), params: e.params }));
  const add = (sub: string, message: string): void => {
    errors.push(new LvzError('LVZ_BALLOT_BAD_DEFINITION', `表决“${def.id}”：${message}`, { path: def.path + sub, params: { ballot: def.id, state: s.state } }));
  };
  const foreign: Record<BallotKind, string[]> = {
    for_against: ['scale', 'pass_options', 'min', 'max', 'step', 'options', 'choose', 'elect'],
    rating: ['min', 'max', 'step', 'options', 'choose', 'elect'],
    score: ['scale', 'pass_options', 'options', 'choose', 'elect'],
    choose: ['scale', 'pass_options', 'min', 'max', 'step'],
  };
  for (const k of foreign[def.kind]) if ((def as unknown as Raw)[k] !== undefined && !(def.kind === 'score' && ['min', 'max', 'step'].includes(k))) add(`/${k}`, `${k} 不适用于 ${def.kind} 表决：请删去`);
  if (def.kind === 'choose' && def.choose === undefined) add('', 'choose 表决须写明 choose: { up_to: N } 或 { exactly: N }');
  if (def.kind === 'rating' && def.scale === undefined) add('', 'rating 表决须写明评价档次 scale，如 [满意, 基本满意, 不满意]');
  if (def.kind === 'choose' && def.options === undefined) add('', 'choose 表决须写明候选项 options');
  if (def.results === 'live' && def.secret) add('/results', '无记名表决不能实时显示结果（一人投票前后的变化就是他的选择）：请改为 results: at_close，或设 secret: false');
  for (const [i, r] of def.chair.entries()) if (!s.roles.includes(r)) add(`/chair/${i}`, `主持角色“${r}”不在本流程的 roles 中：请先在 roles 中声明`);
  if (s.hasTasks) add('', `步骤“${s.state}”既有表决又有任务：表决步骤不能再有 task 或 tasks，请把任务放到前后的步骤`);
  if (!s.events.includes('closed')) add('', `步骤“${s.state}”有表决，但没有 on: closed：请写明表决结束后去哪一步`);
  if (def.item_title !== undefined && def.items === undefined) add('/item_title', 'item_title 只能与 items 一起使用');
  return errors;
}
