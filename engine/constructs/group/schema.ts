// schema.ts: the JSON Schema fragment of a `group:` step (docs/dsl.md "Group steps"). It shares the
// task keys of `task:` (given by the caller) except those that a group step replaces or refuses.

type Schema = Record<string, unknown>;

const NAME = '^[a-z][a-z0-9_]*$';
const name = (description: string): Schema => ({ type: 'string', pattern: NAME, description });
const cel = (description: string): Schema => ({ type: 'string', minLength: 1, description });

/** `to:`: exactly one of group, role, deputies, orgs, each (the kinds are checked with a message, not here). */
const selector: Schema = {
  type: 'object',
  description: 'Who is asked, fixed when the step is entered: { group }, { role, district }, { deputies: { level, district } }, { orgs: { kind, district } } or { each, as }',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    group: { type: 'string', minLength: 1, description: 'A member group (分组) of the directory: its active members' },
    role: name('Every active holder of this role'),
    district: cel('With role: only holders in this district (CEL, e.g. data.district)'),
    deputies: {
      type: 'object',
      description: 'Active deputies, optionally of one level and district',
      additionalProperties: false,
      properties: {
        level: { type: 'string', enum: ['national', 'provincial', 'city', 'county', 'township'], description: 'Deputy level' },
        district: cel('Only deputies in this district (CEL, e.g. data.district)'),
      },
    },
    orgs: {
      type: 'object',
      description: 'Active organisations of one kind; each one\'s task goes to role: in it',
      required: ['kind'],
      additionalProperties: false,
      properties: {
        kind: { type: 'string', enum: ['standing_committee', 'district', 'town', 'office', 'committee', 'unit', 'delegation'], description: 'Organisation kind' },
        district: cel('Only organisations in this district (CEL)'),
      },
    },
    each: cel('A list in the record (person ids, or org ids with as: org)'),
    as: { type: 'string', enum: ['person', 'org'], description: 'What each element of each: is (default person)' },
  },
};

/** Task keys a group step does not take: who is asked comes from to:, and the counting from complete_when. */
const NOT_IN_GROUP = ['assignee', 'org', 'for_each', 'wait_for', 'return_to', 'return_within'];

export function groupSchema(taskProps: Schema): Schema {
  const props = Object.fromEntries(Object.entries(taskProps as Record<string, Schema>).filter(([k]) => !NOT_IN_GROUP.includes(k)));
  return {
    type: 'object',
    description: 'A group step: one task per member of to:, counted as they answer (会签, 或签, 票签 over thousands)',
    required: ['to'],
    additionalProperties: false,
    properties: {
      ...props,
      to: selector,
      close_by: { type: 'array', uniqueItems: true, description: 'Roles that may close the step early (提前结束, with a reason)', items: name('A role') },
      complete_when: {
        type: ['string', 'object'],
        description: 'When the step is done: all (会签), any (或签), { count: N } or { ratio: r } of the first outcome (票签), or CEL over tally.<step> (total, open, done, <outcome>)',
        minLength: 1,
        additionalProperties: false,
        minProperties: 1,
        maxProperties: 1,
        properties: {
          ratio: { type: 'number', exclusiveMinimum: 0, maximum: 1, description: 'Share of members whose outcome is the first outcome' },
          count: { type: 'integer', minimum: 1, description: 'Number of members whose outcome is the first outcome' },
        },
      },
    },
  };
}
