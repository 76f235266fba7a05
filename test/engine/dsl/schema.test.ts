// schema.test.ts: schema/workflow.schema.json is generated, current, strict, and describes every key for editors.
import fs from 'node:fs';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DISTRICT_SCHEMA_PATH, ROLES_SCHEMA_PATH, SCHEMA_PATH, renderDistrictSchema, renderRolesSchema, renderSchema } from '../../../engine/dsl/build-schema.ts';
import { districtSchema } from '../../../engine/dsl/schema-district.ts';
import { workflowSchema } from '../../../engine/dsl/schema.ts';
import { ROOT, read, yamlFiles } from './load-shipped.ts';

type Node = Record<string, unknown>;

/** Every object schema in the tree, with its path. */
function objectSchemas(node: unknown, path = '#', out: [string, Node][] = []): [string, Node][] {
  if (!node || typeof node !== 'object') return out;
  const n = node as Node;
  const types = ([] as unknown[]).concat(n.type ?? []);
  if (types.includes('object')) out.push([path, n]);
  for (const [k, v] of Object.entries(n)) {
    if (k === 'properties') for (const [p, s] of Object.entries(v as Node)) objectSchemas(s, `${path}/properties/${p}`, out);
    else if (k === 'items' || k === 'additionalProperties') objectSchemas(v, `${path}/${k}`, out);
  }
  return out;
}

describe('workflow schema', () => {
  it('schema/workflow.schema.json is up to date: run `npm run build:schema` if this fails', () => {
    expect(fs.readFileSync(`${ROOT}/${SCHEMA_PATH}`, 'utf8')).toBe(renderSchema());
    expect(JSON.parse(renderSchema()).$comment).toMatch(/generated .* do not edit/);
  });

  it('compiles under ajv strict mode', () => {
    expect(() => new Ajv({ strict: true, allowUnionTypes: true }).compile(workflowSchema)).not.toThrow();
  });

  it('closes every object and describes every key', () => {
    const objects = objectSchemas(workflowSchema);
    expect(objects.length).toBeGreaterThan(10);
    for (const [path, s] of objects) {
      expect(s.additionalProperties, `${path} must say additionalProperties`).not.toBeUndefined();
      if (s.additionalProperties !== false) expect(typeof s.additionalProperties, path).toBe('object');
      for (const [key, p] of Object.entries((s.properties ?? {}) as Node)) {
        expect(typeof (p as Node).description, `${path}/properties/${key} needs a description`).toBe('string');
      }
    }
  });

  it('accepts the shipped workflows and the ok fixtures as an editor would see them', () => {
    const validate = new Ajv({ strict: true, allowUnionTypes: true }).compile(JSON.parse(fs.readFileSync(`${ROOT}/${SCHEMA_PATH}`, 'utf8')));
    const district = new Ajv({ strict: true, allowUnionTypes: true }).compile(JSON.parse(fs.readFileSync(`${ROOT}/${DISTRICT_SCHEMA_PATH}`, 'utf8')));
    const files = [...yamlFiles('workflows'), ...yamlFiles('workflows/districts'), ...yamlFiles('test/fixtures/dsl').filter((f) => read(f).startsWith('# expect: ok'))];
    for (const f of files) {
      const doc = parse(read(f)) as { extends?: string };
      // A district's file (extends:) is partial: the editor checks it against the district schema.
      expect(doc.extends === undefined ? validate(doc) : district(doc), f).toBe(true);
      if (doc.extends !== undefined) expect(validate(doc), `${f} is partial, so the full schema refuses it`).toBe(false);
    }
    expect(yamlFiles('workflows/districts').every((f) => read(f).startsWith('# yaml-language-server: $schema=../../schema/workflow-district.schema.json'))).toBe(true);
  });

  it('the district schema is up to date, strict, and takes null, remove: and tasks: by group id', () => {
    expect(fs.readFileSync(`${ROOT}/${DISTRICT_SCHEMA_PATH}`, 'utf8')).toBe(renderDistrictSchema());
    const district = new Ajv({ strict: true, allowUnionTypes: true }).compile(districtSchema);
    const ok = { id: 'x', version: 1, extends: 'suggestion@1', remove: ['evaluate'], states: { evaluate: null, handle: { title: null, tasks: { cohandle: { deadline: { after: '20 days' } } }, on: { accept: { label: '交办' } } } } };
    expect(district(ok), JSON.stringify(district.errors)).toBe(true);
    expect(district({ id: 'x', version: 1, extends: 'suggestion', states: { handle: { deadlin: {} } } })).toBe(false);
    expect(district({ id: 'x', version: 1 })).toBe(false);
  });
});
