// picker.ts: org and person fields, a <select> of the directory the caller supplies.
//
// The directory is an argument, never read here: forms stay pure, and a value not offered
// (a forged id, or someone outside the filter) is refused by the same list that was shown.

import type { Choice, DirectoryOptions, FieldDef, FieldTypeName } from '../types.ts';
import type { FieldType } from './field-type.ts';
import { baseModel, parseString, parseStrings } from './field-type.ts';
import { checkMany, checkOne, choiceItems, labelsOf, pickedValues } from './choices.ts';

/** The choices a picker offers: the filtered list when a filter is set (none if the caller gave none). */
export function directoryChoices(field: FieldDef, dir: DirectoryOptions): Choice[] {
  if (field.type === 'org') return field.filter?.kind ? dir.orgsByKind?.[field.filter.kind] ?? [] : dir.orgs;
  return field.filter?.role ? dir.peopleByRole?.[field.filter.role] ?? [] : dir.people;
}

/** Names for display: the whole directory, so a stored id outside today's filter still shows a name. */
function allChoices(field: FieldDef, dir: DirectoryOptions): Choice[] {
  return [...(field.type === 'org' ? dir.orgs : dir.people), ...directoryChoices(field, dir)];
}

export const MULTIPLE_HINT = '可选择多项：按住 Ctrl 键（Mac 上为 Command 键）点选';

export function pickerType(name: Extract<FieldTypeName, 'org' | 'person'>): FieldType {
  const partial = `fields/${name}`;
  return {
    name,
    partial,
    keys: ['multiple', 'filter'],
    parse: (raw, field) => (field.multiple ? parseStrings(raw) : parseString(raw)),
    validate(field, value, ctx) {
      const choices = directoryChoices(field, ctx.dir);
      const problem = field.multiple ? checkMany(field, value, choices) : checkOne(field, value, choices);
      return problem?.replace('的选项无效', '不在可选范围内');
    },
    model(field, value, ctx) {
      const picked = pickedValues(value);
      const choices = directoryChoices(field, ctx.dir);
      // A multiple <select> needs a key held down; say so unless the form says something better.
      const shown = field.multiple && !ctx.readonly ? { ...field, hint: field.hint ?? MULTIPLE_HINT } : field;
      const m = baseModel(shown, field.multiple ? picked : picked[0] ?? '', ctx, partial, labelsOf(allChoices(field, ctx.dir), picked));
      if (field.multiple) m.attrs = { multiple: 'multiple', size: Math.min(Math.max(choices.length, 4), 10) };
      m.items = choiceItems(choices, picked, ctx.id);
      return m;
    },
    examples: [
      { title: 'one', field: { label: '主办单位', filter: { kind: 'unit' } }, value: 'city-fgw' },
      { title: 'several', field: { label: '附议代表', multiple: true, filter: { role: 'deputy' } }, value: ['wang', 'li'] },
    ],
  };
}
