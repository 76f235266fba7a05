// helpers.ts: a small directory, field and form builders, and the partials rendered the way the server does.
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { parse as parseYaml } from 'yaml';
import { compileForm } from '../../../engine/forms/compile.ts';
import type { CompiledForm, DirectoryOptions, FieldAccess, FieldDef, FieldModel, FieldTypeName } from '../../../engine/forms/types.ts';
import type { ModelContext } from '../../../engine/forms/fields/field-type.ts';
import { fieldTypes } from '../../../engine/forms/fields/index.ts';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
export const PARTIALS = path.join(ROOT, 'templates/partials');

export const dir: DirectoryOptions = {
  orgs: [
    { value: 'city-fgw', label: '市发展改革委' },
    { value: 'city-jyj', label: '市教育局' },
    { value: 'city-fzw', label: '市法制委' },
  ],
  people: [
    { value: 'wang', label: '王代表' },
    { value: 'li', label: '李代表' },
    { value: 'zhao', label: '赵主任' },
  ],
  orgsByKind: { unit: [{ value: 'city-fgw', label: '市发展改革委' }, { value: 'city-jyj', label: '市教育局' }], committee: [{ value: 'city-fzw', label: '市法制委' }] },
  peopleByRole: { deputy: [{ value: 'wang', label: '王代表' }, { value: 'li', label: '李代表' }], leader: [{ value: 'zhao', label: '赵主任' }] },
};

export function field(type: FieldTypeName, extra: Partial<FieldDef> = {}): FieldDef {
  return { name: 'x', type, label: '标题', required: false, path: '/fields/0', ...extra };
}

export function ctx(extra: Partial<ModelContext> = {}): ModelContext {
  return { id: 'f-x', inputName: 'x', dir, readonly: false, errors: [], ...extra };
}

export function compile(yaml: string, file = 'test.yaml'): CompiledForm {
  const r = compileForm(yaml, file);
  if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
  return r.form;
}

export function access(edit: string[], read: string[] = []): FieldAccess {
  return { edit: new Set(edit), read: new Set(read) };
}

export function partialFiles(): string[] {
  const walk = (d: string): string[] =>
    fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.hbs') ? [path.join(d, e.name)] : []));
  return walk(PARTIALS);
}

/** Every partial registered by its path name (`fields/text`), and `t` reading the zh-CN label set, as server/render.ts does. */
export function makeHandlebars(): typeof Handlebars {
  const hb = Handlebars.create();
  const labels = parseYaml(fs.readFileSync(path.join(ROOT, 'templates/labels/zh-CN.yaml'), 'utf8')) as Record<string, unknown>;
  hb.registerHelper('t', (key: string) => {
    let node: unknown = labels;
    for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
    if (typeof node !== 'string') throw new Error(`missing label ${key}`);
    return node;
  });
  for (const file of partialFiles()) {
    const name = path.relative(PARTIALS, file).replace(/\\/g, '/').replace(/\.hbs$/, '');
    hb.registerPartial(name, fs.readFileSync(file, 'utf8'));
  }
  return hb;
}

const hb = makeHandlebars();
const fieldTpl = hb.compile('{{> (lookup . "partial") .}}', { strict: false });
const formTpl = hb.compile('{{> form/error-summary}}{{#each fields}}{{> (lookup . "partial") .}}{{/each}}');

export function renderField(model: FieldModel): string {
  return fieldTpl(model);
}

export function renderForm(model: { fields: FieldModel[]; errors: unknown[] }): string {
  return formTpl(model);
}


/** Renders every example of a type, editable and read-only; each must show its label. */
export function renderExamples(type: FieldTypeName): string[] {
  const t = fieldTypes[type];
  return t.examples.flatMap((ex) => {
    const f = field(type, ex.field);
    return [false, true].map((readonly) => {
      const html = renderField(t.model(f, ex.value, ctx({ readonly })));
      if (!html.includes(f.label)) throw new Error(`${type} example "${ex.title}" did not render its label`);
      return html;
    });
  });
}
