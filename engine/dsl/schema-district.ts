// schema-district.ts: the JSON Schema of a district's file (one that `extends` the city's), for editors.
//
// Derived from the workflow schema so the two never drift: nothing is required but id, version and
// extends (everything else is inherited), every value may be null (null removes the city's key),
// `remove:` lists steps to drop, and a step's `tasks:` may be a map from group id to an override.
// The effective (merged) document is still validated against the full schema by compileWorkflow.

import { NAME_PATTERN, workflowSchema } from './schema.ts';

type Schema = Record<string, unknown>;

/** Drop `required`, allow null everywhere, recursively. */
function relax(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(relax);
  if (!node || typeof node !== 'object') return node;
  const out: Schema = {};
  for (const [k, v] of Object.entries(node as Schema)) {
    if (k === 'required') continue;
    if (k === 'properties') out[k] = Object.fromEntries(Object.entries(v as Schema).map(([p, s]) => [p, relax(s)]));
    else if (k === 'type') out[k] = [...new Set([...([] as unknown[]).concat(v), 'null'])];
    else if (k === 'enum') out[k] = [...(v as unknown[]), null];
    else out[k] = relax(v);
  }
  return out;
}

function build(): Schema {
  const full = workflowSchema as Schema & { properties: Record<string, Schema> };
  const relaxed = relax(full) as Schema & { properties: Record<string, Schema> };
  const state = (relaxed.properties.states!.additionalProperties as Schema & { properties: Record<string, Schema> });
  const groups = state.properties.tasks!;
  state.properties.tasks = {
    ...groups,
    type: ['array', 'object', 'null'],
    description: 'Parallel task groups: a list replaces the city\'s groups; a map (group id -> override) changes the named groups',
    propertyNames: { pattern: NAME_PATTERN },
    additionalProperties: groups.items,
  };
  return {
    ...relaxed,
    $id: 'https://lvzhi.example/schema/workflow-district.schema.json',
    title: 'lvzhi district workflow (extends)',
    description: "A district's customisation of a city workflow: only what differs. Reference: docs/dsl.md, District customisation",
    required: ['id', 'version', 'extends'],
    properties: {
      ...relaxed.properties,
      extends: { ...(full.properties.extends as Schema) },
      id: full.properties.id,
      version: full.properties.version,
      remove: {
        type: 'array',
        description: 'Steps of the city\'s workflow to remove (redirect the transitions that led to them)',
        uniqueItems: true,
        items: { type: 'string', pattern: NAME_PATTERN, description: 'A step (state) name' },
      },
    },
  };
}

export const districtSchema: Schema = build();
