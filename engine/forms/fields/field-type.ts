// field-type.ts: what one field type provides, and the pieces every type's model shares.

import type { DirectoryOptions, FieldDef, FieldError, FieldModel, FieldTypeName } from '../types.ts';

export interface ValidateContext {
  dir: DirectoryOptions;
}

export interface ModelContext {
  /** DOM id, `f-<name>` or `f-<group>-<i>-<name>`. */
  id: string;
  /** Input name, `<name>` or `<group>[<i>][<name>]`. */
  inputName: string;
  dir: DirectoryOptions;
  readonly: boolean;
  error?: string;
  /** Every error of the form: a group picks its rows' errors by id. */
  errors: readonly FieldError[];
}

export interface FieldExample {
  title: string;
  field: Partial<FieldDef>;
  value: unknown;
}

/** One field type, as ajv has one keyword per file: parse, validate, model. */
export interface FieldType {
  name: FieldTypeName;
  /** Handlebars partial that renders it, by path under templates/partials. */
  partial: string;
  /** Type-specific keys this type accepts (the schema allows every key; compile rejects the rest per type). */
  keys: readonly (keyof FieldDef)[];
  /** Form strings -> value. '' and missing -> undefined. Keeps what it cannot read so validate can say why. */
  parse(raw: unknown, field: FieldDef): unknown;
  /**
   * Optional: the parsed value with what a user typed by hand read back to choices (a picker's
   * plain input takes names); anything it cannot read stays as typed, for validate to explain.
   */
  resolve?(field: FieldDef, value: unknown, dir: DirectoryOptions): unknown;
  /** zh-CN message for the first rule the value breaks; undefined when it is fine or empty and optional. */
  validate(field: FieldDef, value: unknown, ctx: ValidateContext): string | undefined;
  model(field: FieldDef, value: unknown, ctx: ModelContext): FieldModel;
  /** Render examples, as GOV.UK keeps them beside each component; the tests render each. */
  examples: FieldExample[];
}

export const EMPTY_DISPLAY = '未填写';

/** Keys common to every field; each type adds its own in `keys`. */
export const COMMON_KEYS: readonly (keyof FieldDef)[] = ['name', 'type', 'label', 'hint', 'required', 'visible_when', 'path'];

export function isBlank(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/** First string of a form value: a repeated key arrives as string[]. */
export function firstString(raw: unknown): string | undefined {
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return typeof v === 'string' ? v : undefined;
}

/** A form string, trimmed; '' and missing become undefined. */
export function parseString(raw: unknown): string | undefined {
  const s = firstString(raw)?.trim();
  return s ? s : undefined;
}

/** Several form strings: accepts a string or string[]; drops blanks. */
export function parseStrings(raw: unknown): string[] | undefined {
  const list = Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw];
  const out = list.map((x) => firstString(x)?.trim()).filter((x): x is string => !!x);
  return out.length > 0 ? out : undefined;
}

/** The model every partial gets: ids, label, hint, error and aria-describedby built one way. */
export function baseModel(field: FieldDef, value: unknown, ctx: ModelContext, partial: string, display: string): FieldModel {
  const hintId = field.hint ? `${ctx.id}-hint` : undefined;
  const errorId = ctx.error && !ctx.readonly ? `${ctx.id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return {
    id: ctx.id,
    name: ctx.inputName,
    type: field.type,
    partial,
    label: field.label,
    hint: field.hint,
    hintId,
    error: ctx.readonly ? undefined : ctx.error,
    errorId,
    describedBy,
    required: field.required,
    readonly: ctx.readonly,
    value,
    display: display === '' ? EMPTY_DISPLAY : display,
  };
}

/** Characters as a reader counts them: one per code point, so 中文 and emoji count once. */
export function charCount(s: string): number {
  return [...s].length;
}
