// schema-complete.test.ts: the editor's key completion: the YAML path at the cursor, and the keys the
// JSON Schema offers there (with descriptions, required first, written siblings left out).

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyContextAt, keysAt, type JsonSchema } from '../../../server/studio-client/schema-complete.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const schema = JSON.parse(fs.readFileSync(path.join(root, 'schema', 'workflow.schema.json'), 'utf8')) as JsonSchema;
const lines = fs.readFileSync(path.join(root, 'workflows', 'suggestion.yaml'), 'utf8').split('\n');
const at = (text: string, col: number) => keyContextAt(lines, lines.findIndex((l) => l.includes(text)), col)!;

describe('schema completion', () => {
  it('reads the path at the cursor from indentation, lists and all', () => {
    expect(at('title: 代表建议办理', 0).path).toEqual([]);
    expect(at('title: 起草建议', 4).path).toEqual(['states', 'draft']);
    expect(at('assignee: initiator', 6).path).toEqual(['states', 'draft', 'task']);
    expect(at('title: 主办单位答复', 8)).toMatchObject({ path: ['states', 'handle', 'tasks', { item: true }], siblings: ['id'] });
    expect(at('- id: cohandle', 8).path).toEqual(['states', 'handle', 'tasks', { item: true }]);
    expect(keyContextAt(['id: x', 'title: y'], 1, 8)).toBeUndefined(); // after the colon: a value, not a key
  });

  it('offers the schema keys with descriptions, leaving out those already written', () => {
    const top = keysAt(schema, [], ['id']);
    expect(top.map((k) => k.key)).not.toContain('id');
    expect(top.find((k) => k.key === 'version')).toMatchObject({ required: true, description: expect.stringContaining('Version') });
    expect(keysAt(schema, ['states', 'draft']).map((k) => k.key)).toEqual(expect.arrayContaining(['title', 'task', 'tasks', 'deadline', 'on', 'final']));
    expect(keysAt(schema, ['states', 'handle', 'tasks', { item: true }]).map((k) => k.key)).toEqual(expect.arrayContaining(['id', 'for_each', 'complete_when']));
  });
});
