// schema.ts: the JSON Schema of `deadline:`, under a state (the whole step) or a task group (that group alone).

import type { Schema, SchemaKit } from '../types.ts';

export const deadlineSchema = (k: SchemaKit, description: string): Schema => ({
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
          when: k.cel('Condition for this case'),
          after: k.duration('Duration for this case'),
        },
      },
    },
    remind: {
      type: ['string', 'array'],
      description: 'Reminders before the deadline: one duration or a list, e.g. [2 working days]',
      minLength: 1,
      items: k.duration('Remind this long before the deadline'),
    },
    escalate: k.name('Event (a key of on:) sent when the deadline passes; without it the step is only marked overdue'),
  },
});
