// schema.ts: the JSON Schema of `spawn:` under a state.

import type { Schema, SchemaKit } from '../types.ts';
import { SPAWN_ENTRY_KEYS } from './types.ts';

/** Workflow ids may use hyphens (dsl/schema.ts ID_PATTERN). */
const ID_PATTERN = '^[a-z][a-z0-9_-]*$';

export const spawnSchema = (k: SchemaKit): Schema => ({
  type: 'object',
  description: 'Start another workflow on entry, or one per item of a list (each), and maybe wait for them (wait)',
  required: ['workflow'],
  additionalProperties: false,
  properties: {
    workflow: k.str('Id of the workflow to start', { pattern: ID_PATTERN }),
    data: k.celMap('Its record: field -> CEL value over this record (and item, with each)'),
    each: k.cel("List to start one child per element of; the child's data expressions see the element as item"),
    wait: { type: 'string', enum: ['all', 'any', 'none'], description: 'What done of this step waits for: all children ended, any (the first to complete), none (default: start them and go on)' },
    results: {
      type: 'object',
      description: "Fields of each child copied back into its entry of the as list when it ends: key in the entry -> field of the child's record",
      propertyNames: { pattern: k.namePattern, not: { enum: [...SPAWN_ENTRY_KEYS] } },
      additionalProperties: k.name("A field of the child workflow's record form"),
    },
    as: k.name('Field of this record that lists the children: [{ index, instance, number, title, state, status, results… }] (default: the state name)'),
  },
});
