// picker.ts: org and person fields, a searchable picker over the directory the caller supplies.
//
// The directory is an argument, never read here: forms stay pure, and a value not offered
// (a forged id, or someone outside the filter) is refused by the same list that was shown.
// Up to PICKER_INLINE_LIMIT choices go into the page (a <select> grouped by unit, or check
// boxes when several may be picked); above it the page carries a plain text input for names
// or usernames, which the page's script turns into a picker that searches /pickers/<type>.

import type { Choice, DirectoryOptions, FieldDef, FieldModel, FieldTypeName, PickerModel } from '../types.ts';
import type { FieldType } from './field-type.ts';
import { baseModel, parseStrings } from './field-type.ts';
import { checkMany, checkOne, labelsOf, pickedValues } from './choices.ts';
import { ambiguousMessage, isSearchPicker, notFoundMessage, resolveEntry, splitEntries } from './picker-choices.ts';

/** The choices a picker offers: the filtered list when a filter is set (none if the caller gave none). */
export function directoryChoices(field: Pick<FieldDef, 'type' | 'filter'>, dir: DirectoryOptions): Choice[] {
  if (field.type === 'org') return field.filter?.kind ? dir.orgsByKind?.[field.filter.kind] ?? [] : dir.orgs;
  return field.filter?.role ? dir.peopleByRole?.[field.filter.role] ?? [] : dir.people;
}

/**
 * The picks' own entries, for their names: from the whole directory, so a stored id outside
 * today's filter still shows a name, else from the filtered list. Looked up in place: copying
 * 6,007 deputies into one list for every person field of every page was most of a read-only
 * picker's cost.
 */
function pickedChoices(field: FieldDef, dir: DirectoryOptions, picked: readonly string[]): Choice[] {
  const whole = field.type === 'org' ? dir.orgs : dir.people;
  return picked.flatMap((v) => whole.find((c) => c.value === v) ?? directoryChoices(field, dir).find((c) => c.value === v) ?? []);
}
/** Where the page's script searches this field's choices: the same type and filter, nothing wider. */
export function pickerSearchUrl(field: Pick<FieldDef, 'type' | 'filter'>): string {
  const filter = field.type === 'org' ? field.filter?.kind && `kind=${encodeURIComponent(field.filter.kind)}` : field.filter?.role && `role=${encodeURIComponent(field.filter.role)}`;
  return `/pickers/${field.type}${filter ? `?${filter}` : ''}`;
}

/** Entries split on 、，; and line breaks; a list from check boxes or the script arrives as several values. */
function parsePicks(raw: unknown, field: FieldDef): string[] | string | undefined {
  const entries = (parseStrings(raw) ?? []).flatMap(splitEntries);
  if (entries.length === 0) return undefined;
  // A single picker keeps a second entry, so validate can say only one may be chosen.
  return field.multiple || entries.length > 1 ? entries : entries[0];
}

/** Text for the plain input: a name when it is unique among the choices, else the username. */
function typedText(values: readonly string[], choices: readonly Choice[]): string {
  return values.map((v) => {
    const c = choices.find((x) => x.value === v);
    if (!c) return v;
    const name = c.name ?? c.label;
    return resolveEntry(name, choices) === v ? name : v;
  }).join('、');
}

/** Items grouped under their unit, in the directory's order; choices without a unit are listed at the top. */
function groupItems(items: NonNullable<FieldModel['items']>, choices: readonly Choice[]): PickerModel['groups'] {
  const groups: NonNullable<PickerModel['groups']> = [];
  const byName = new Map<string, NonNullable<PickerModel['groups']>[number]>();
  items.forEach((item, i) => {
    const label = choices[i]?.group ?? '';
    let g = byName.get(label);
    if (!g) {
      g = { label, items: [] };
      byName.set(label, g);
      groups.push(g);
    }
    g.items.push({ ...item, name: choices[i]?.name ?? item.label });
  });
  return groups;
}

/** The picker part of the model: inline groups, or the plain input and where to search. */
export function pickerModel(field: Pick<FieldDef, 'type' | 'filter' | 'multiple'>, choices: readonly Choice[], picked: readonly string[], id: string): PickerModel {
  const isSearch = isSearchPicker(choices);
  const known = picked.map((v) => choices.find((c) => c.value === v)).filter((c): c is Choice => !!c);
  const picks = known.map((c) => ({ value: c.value, label: c.label, name: c.name ?? c.label, group: c.group ?? '' }));
  const base = { isSearch, isMultiple: !!field.multiple, searchUrl: pickerSearchUrl(field), picks };
  if (isSearch) return { ...base, text: typedText(picked, choices) };
  const items = choices.map((c, i) => ({ value: c.value, label: c.label, checked: picked.includes(c.value), id: i === 0 ? id : `${id}-${i + 1}` }));
  return { ...base, groups: groupItems(items, choices) };
}

/** The first entry that is not a choice, as a message: candidates when it could be several, else why not. */
function unreadEntry(field: FieldDef, value: unknown, choices: readonly Choice[]): string | undefined {
  for (const v of pickedValues(value)) {
    if (choices.some((c) => c.value === v)) continue;
    const candidates = ambiguousMessage(field.label, v, choices);
    if (candidates) return candidates;
    return isSearchPicker(choices) ? notFoundMessage(field.label, v) : `${field.label}不在可选范围内，请重新选择`;
  }
  return undefined;
}

export function pickerType(name: Extract<FieldTypeName, 'org' | 'person'>): FieldType {
  const partial = `fields/${name}`;
  return {
    name,
    partial,
    keys: ['multiple', 'filter'],
    parse: parsePicks,
    resolve(field, value, dir) {
      const choices = directoryChoices(field, dir);
      const read = (v: string) => resolveEntry(v, choices) ?? v;
      if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? read(v) : v));
      return typeof value === 'string' ? read(value) : value;
    },
    validate(field, value, ctx) {
      const choices = directoryChoices(field, ctx.dir);
      if (!field.multiple && Array.isArray(value)) return `${field.label}只能选择一项`;
      const unread = unreadEntry(field, value, choices);
      if (unread) return unread;
      const problem = field.multiple ? checkMany(field, value, choices) : checkOne(field, value, choices);
      return problem?.replace('的选项无效', '不在可选范围内');
    },
    model(field, value, ctx) {
      const picked = pickedValues(value);
      const choices = directoryChoices(field, ctx.dir);
      const m = baseModel(field, field.multiple ? picked : picked[0] ?? '', ctx, partial, labelsOf(pickedChoices(field, ctx.dir, picked), picked));
      if (!ctx.readonly) m.picker = pickerModel(field, choices, picked, ctx.id);
      return m;
    },
    examples: [
      { title: 'one', field: { label: '主办单位', filter: { kind: 'unit' } }, value: 'city-fgw' },
      { title: 'several', field: { label: '附议代表', multiple: true, filter: { role: 'deputy' } }, value: ['wang', 'li'] },
    ],
  };
}
