// choices.ts: what radios, select, checkboxes and the directory pickers share.

import type { Choice, FieldDef, FieldModel } from '../types.ts';

/** One entry per choice; the first keeps the field id unsuffixed so the error summary link focuses it. */
export function choiceItems(choices: readonly Choice[], picked: readonly string[], id: string): NonNullable<FieldModel['items']> {
  return choices.map((c, i) => ({
    value: c.value,
    label: c.label,
    checked: picked.includes(c.value),
    id: i === 0 ? id : `${id}-${i + 1}`,
  }));
}

/** Labels of the picked values, in the order given; an unknown value shows as itself. */
export function labelsOf(choices: readonly Choice[], picked: readonly string[]): string {
  return picked.map((v) => choices.find((c) => c.value === v)?.label ?? v).join('、');
}

/** The picked values of a stored or parsed value, whatever its shape. */
export function pickedValues(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** One value that must be among the choices; a forged value is refused. */
export function checkOne(field: FieldDef, value: unknown, choices: readonly Choice[]): string | undefined {
  if (value === undefined) return field.required ? `请选择${field.label}` : undefined;
  if (typeof value !== 'string' || !choices.some((c) => c.value === value)) return `${field.label}的选项无效，请重新选择`;
  return undefined;
}

/** Several values, each among the choices, none twice. */
export function checkMany(field: FieldDef, value: unknown, choices: readonly Choice[]): string | undefined {
  if (value === undefined) return field.required ? `请选择${field.label}` : undefined;
  if (!Array.isArray(value)) return `${field.label}的选项无效，请重新选择`;
  for (const v of value) {
    if (typeof v !== 'string' || !choices.some((c) => c.value === v)) return `${field.label}的选项无效，请重新选择`;
  }
  if (new Set(value).size !== value.length) return `${field.label}不能重复选择同一项`;
  return undefined;
}
