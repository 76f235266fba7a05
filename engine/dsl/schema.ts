// schema.ts: the JSON Schema of workflow YAML, the one source of schema/workflow.schema.json.
//
// Shorthands (`on: { submit: review }`, `after: 3 months`) are union types rather than
// anyOf branches: ajv then reports one error per mistake instead of one per branch, and
// editors still complete every key. Every key has a description because that is what an
// editor shows while an admin types.

import { ORG_KINDS, TASK_ACTIONS } from './types.ts';
import { groupSchema } from '../constructs/group/index.ts';
import { ballotSchema } from '../constructs/ballot/step.ts';

type Schema = Record<string, unknown>;

/** States, events, fields, roles and group ids: they appear in CEL (`visits.handle`), so identifiers only. */
export const NAME_PATTERN = '^[a-z][a-z0-9_]*$';
/** Workflow and form ids may also use hyphens (`city-suggestion`). */
export const ID_PATTERN = '^[a-z][a-z0-9_-]*$';
/** `extends:` names a workflow id, optionally pinned to a version. */
export const EXTENDS_PATTERN = '^[a-z][a-z0-9_-]*(@[1-9][0-9]*)?$';

const str = (description: string, extra: Schema = {}): Schema => ({ type: 'string', minLength: 1, description, ...extra });
const name = (description: string): Schema => str(description, { pattern: NAME_PATTERN });
const names = (description: string, item: string): Schema => ({
  type: 'array',
  description,
  items: name(item),
  uniqueItems: true,
});
const cel = (description: string): Schema => str(`${description} (a CEL expression)`);

const duration = (description: string): Schema =>
  str(`${description}: "3 months", "7 working days", "1 month", "P3M" …`);

const celMap = (description: string): Schema => ({
  type: 'object',
  description,
  propertyNames: { pattern: NAME_PATTERN },
  additionalProperties: cel('The value to store in this field'),
});

const transitionProps: Schema = {
  to: name('Target state'),
  when: cel('Guard: this candidate is taken only when it is true; the first candidate that holds wins'),
  label: str('Button label for this event, e.g. 提交'),
  note: str('Shown in the history when this transition is taken, e.g. 重新办理'),
  reason: { type: 'string', enum: ['required', 'optional'], description: 'Whether the actor must give a reason' },
  set: celMap('Fields to set when the transition is taken: field -> CEL value'),
};

const transitionObject: Schema = {
  type: 'object',
  description: 'One transition candidate',
  required: ['to'],
  additionalProperties: false,
  properties: transitionProps,
};

/** `target`, `{ to, when, … }` or a list of those. */
const transition = (description: string): Schema => ({
  type: ['string', 'object', 'array'],
  description: `${description}: a state name, { to, when, label, note, reason, set } or a list of those (first match wins)`,
  minLength: 1,
  pattern: NAME_PATTERN,
  required: ['to'],
  additionalProperties: false,
  properties: transitionProps,
  minItems: 1,
  items: transitionObject,
});

const deadline = (description: string): Schema => ({
  type: 'object',
  description,
  required: ['after'],
  additionalProperties: false,
  properties: {
    after: {
      type: ['string', 'array'],
      description: 'How long the step may take: a duration, or a list of { when, after } cases (the last without when)',
      minLength: 1,
      minItems: 1,
      items: {
        type: 'object',
        description: 'One case: the first whose when holds gives the duration',
        required: ['after'],
        additionalProperties: false,
        properties: {
          when: cel('Condition for this case'),
          after: duration('Duration for this case'),
        },
      },
    },
    remind: {
      type: ['string', 'array'],
      description: 'Reminders before the deadline: one duration or a list, e.g. [2 working days]',
      minLength: 1,
      items: duration('Remind this long before the deadline'),
    },
    escalate: name('Event (a key of on:) sent when the deadline passes; without it the step is only marked overdue'),
    close: { type: 'boolean', description: 'At a group step: the deadline closes the group (open tasks cancelled, done sent)' },
  },
});

const fieldRights: Schema = {
  type: 'object',
  description: 'Field rights at this step over the record form',
  additionalProperties: false,
  properties: {
    edit: names('Fields this step may edit', 'A field of the form'),
    read: names('Fields this step sees read-only', 'A field of the form'),
    hidden: names('Fields this step does not see at all', 'A field of the form'),
    require: names('Edited fields that must be filled at this step (besides those the form marks required)', 'A field this step edits'),
  },
};

const stepRules: Schema = {
  type: 'array',
  description: 'Checks over the whole record before any button of this step takes effect; a failed one is an error on its field',
  items: {
    type: 'object',
    description: 'One rule: check (CEL over data, actor, initiator), field (edited here) and message',
    additionalProperties: false,
    required: ['check', 'field', 'message'],
    properties: {
      check: cel('True when the record may go on, e.g. size(data.cosigners.filter(d, d != initiator.id)) >= 10'),
      field: name('The field this step edits that the error is shown on'),
      message: str('The error shown on the field when check is not true: say what to do'),
    },
  },
};

const taskProps: Schema = {
  title: str('Step title shown in the inbox and history'),
  role: name('Role that may take the task (one of roles:)'),
  assignee: str('initiator, or a CEL expression giving a user id (data.supervisor, item)'),
  org: cel('Organisation id the task is scoped to, e.g. data.lead_unit or item'),
  form: str('Form used at this step (default: the record form)', { pattern: ID_PATTERN }),
  fields: fieldRights,
  rules: stepRules,
  actions: {
    type: 'array',
    description: 'Office actions offered at this step: 退回 转办 委派 加签 撤回 催办 抄送',
    uniqueItems: true,
    items: { type: 'string', enum: [...TASK_ACTIONS], description: 'An office action' },
  },
  opinion: {
    type: ['string', 'object'],
    description: 'The opinion box: required, optional or none (default), or { label, required } to name it (答复意见, 审议意见; default 审批意见)',
    pattern: '^(required|optional|none)$',
    required: ['label'],
    additionalProperties: false,
    properties: {
      label: str('What the box is called on the page and in messages, e.g. 答复意见', { maxLength: 12 }),
      required: { type: 'boolean', description: 'true: the box must be filled before any button of the step (default false: optional)' },
    },
  },
  wait_for: name('A task group of the same step whose tasks must all be submitted (or past their deadline) before this group may submit, e.g. cohandle'),
  anonymous_to: names('Roles that never learn who acted here (back-to-back evaluation)', 'A role'),
  return_to: names('Named earlier states a return may go to (previous and initiator are always allowed)', 'A state'),
  return_within: duration('How long after the task was created a return is still allowed'),
  handoff: {
    type: 'object',
    description: 'Who 转办/委派/加签 may hand this task to (default: the task\'s role, in an organisation of the same kind); never the initiator or anyone who already acted in the case',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      roles: { ...names('Roles a receiver must hold (default: the task\'s role)', 'A role (one of roles:)'), minItems: 1 },
      org_kinds: {
        type: 'array',
        description: 'Kinds of organisation a receiver must be in (default: the kind of the task\'s organisation)',
        minItems: 1,
        uniqueItems: true,
        items: { type: 'string', enum: [...ORG_KINDS], description: 'An organisation kind: standing_committee, district, town, office, committee, unit (政府部门) or delegation' },
      },
    },
  },
  for_each: cel('List to fan out over: one task per element, which the task sees as item'),
  complete_when: {
    type: ['string', 'object'],
    description: 'When the group is done: all (会签), any (或签), sequential (依次), { ratio: 0.5 } or { count: 10 } (票签)',
    pattern: '^(all|any|sequential)$',
    additionalProperties: false,
    minProperties: 1,
    maxProperties: 1,
    properties: {
      ratio: { type: 'number', exclusiveMinimum: 0, maximum: 1, description: 'Share of tasks whose outcome is the first outcome' },
      count: { type: 'integer', minimum: 1, description: 'Number of tasks whose outcome is the first outcome' },
    },
  },
  outcomes: {
    type: 'array',
    description: 'Buttons of each task in the group (default: 提交); tallied as tally.<group>.<outcome>',
    minItems: 1,
    items: {
      type: ['string', 'object'],
      description: 'An outcome id, or { id, label }',
      pattern: NAME_PATTERN,
      required: ['id', 'label'],
      additionalProperties: false,
      properties: { id: name('Outcome id'), label: str('Button label') },
    },
  },
  deadline: deadline('A deadline for this task group alone'),
};

const task: Schema = {
  type: 'object',
  description: 'The one task of this step (normalised to a group with id main)',
  additionalProperties: false,
  properties: taskProps,
};

const group: Schema = {
  type: 'object',
  description: 'A group of parallel tasks',
  required: ['id'],
  additionalProperties: false,
  properties: { id: name('Group id, unique in its state; its data lands in data.<id>'), ...taskProps },
};

const state: Schema = {
  type: 'object',
  description: 'One step of the process',
  additionalProperties: false,
  properties: {
    title: str('Step title (default: the state name)'),
    description: str('Notes for admins'),
    final: { type: 'boolean', description: 'The process ends here' },
    task: task,
    tasks: { type: 'array', description: 'Parallel task groups', minItems: 1, items: group },
    group: groupSchema(taskProps),
    deadline: deadline('Deadline of the whole step'),
    set: celMap('Fields set on entry: field -> CEL value'),
    on: {
      type: 'object',
      description: 'Events: name -> transition; done fires when all task groups complete',
      propertyNames: { pattern: NAME_PATTERN },
      additionalProperties: transition('Where this event goes'),
    },
    always: {
      type: 'array',
      description: 'Automatic transitions, taken as soon as a guard holds',
      minItems: 1,
      items: transitionObject,
    },
    spawn: {
      type: 'object',
      description: 'Start another workflow on entry',
      required: ['workflow'],
      additionalProperties: false,
      properties: {
        workflow: str('Id of the workflow to start', { pattern: ID_PATTERN }),
        data: celMap('Its record: field -> CEL value over this record'),
      },
    },
    copy: {
      type: 'object',
      description: '抄送 on entry, for information',
      minProperties: 1,
      additionalProperties: false,
      properties: {
        roles: names('Everyone with one of these roles', 'A role'),
        users: cel('List of user ids'),
      },
    },
    ballot: ballotSchema,
  },
};

export const workflowSchema: Schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://lvzhi.example/schema/workflow.schema.json',
  title: 'lvzhi workflow',
  description: 'A statutory process: states, tasks, transitions and deadlines. Reference: docs/dsl.md',
  type: 'object',
  required: ['id', 'version', 'title', 'roles', 'record', 'initial', 'states'],
  additionalProperties: false,
  properties: {
    id: str('Workflow id, unique with version', { pattern: ID_PATTERN }),
    version: { type: 'integer', minimum: 1, description: 'Version; running instances stay on the one they started with' },
    title: str('Title shown to users, e.g. 代表建议办理'),
    description: str('What this process is for'),
    extends: str('Id of the workflow this one customises (district customisation), optionally pinned: suggestion@1', { pattern: EXTENDS_PATTERN }),
    owner: str('Organisation whose admins own this definition', { pattern: ID_PATTERN }),
    roles: { ...names('Roles taking part', 'A role'), minItems: 1 },
    starters: names('Roles that may start the process by hand (default: none)', 'A role'),
    viewers: names('Roles that may see every instance of this workflow, besides those holding an unscoped role task in it (default: none)', 'A role'),
    record: str('Form holding the business record', { pattern: ID_PATTERN }),
    title_from: cel('Instance title in lists, e.g. data.title'),
    number: str('How each instance is numbered: {year} and a sequence {seq} or {seq:3} (zero-padded to 3 digits), counted per workflow and year, e.g. 建议 第{year}{seq:3}号 (default {year}-{seq:4})', { maxLength: 40 }),
    initial: name('First state'),
    states: {
      type: 'object',
      description: 'The steps: name -> state',
      minProperties: 1,
      propertyNames: { pattern: NAME_PATTERN },
      additionalProperties: state,
    },
  },
};
