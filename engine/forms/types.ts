// types.ts: a form definition once read and checked, and what it gives the pages.

import type { LvzError } from '../errors.ts';
import type { Source } from '../yaml/source.ts';
import type { CompiledExpr } from '../expr/index.ts';

export const FIELD_TYPES = [
  'text',
  'textarea',
  'number',
  'date',
  'radios',
  'select',
  'checkboxes',
  'org', //    pick an organisation from the directory
  'person', // pick a person from the directory
  'file',
  'group', //  repeating group of sub-fields
] as const;
export type FieldTypeName = (typeof FIELD_TYPES)[number];

export interface Choice {
  value: string;
  label: string;
  /** Pickers: the heading the choice is listed under (a person's unit). */
  group?: string;
  /** Pickers: the bare name typed to find it (a person's name without the unit). */
  name?: string;
}

export interface FieldDef {
  name: string;
  type: FieldTypeName;
  label: string;
  hint?: string;
  required: boolean;
  /** CEL over `data` (the record as it would be after this submit); hidden fields are not validated and their values dropped. */
  visible_when?: string;
  // text / textarea
  min_length?: number;
  max_length?: number;
  pattern?: string;
  pattern_message?: string;
  rows?: number;
  // number / date
  min?: number | string;
  max?: number | string;
  step?: number;
  // choices
  options?: Choice[];
  multiple?: boolean; // org / person: several may be picked
  /** org / person pickers: limit the directory, e.g. `kind: unit` or `role: deputy`. */
  filter?: { kind?: string; role?: string };
  // file
  accept?: string[]; // extensions or MIME types, e.g. [.pdf, .docx, image/*]
  max_size_mb?: number;
  max_files?: number;
  // group
  fields?: FieldDef[];
  min_items?: number;
  max_items?: number;
  /** Source position (JSON pointer) for errors. */
  path: string;
}

export interface FormDef {
  id: string;
  version: number;
  title: string;
  description?: string;
  fields: FieldDef[];
}

export interface CompiledForm {
  def: FormDef;
  source: Source;
  /** Field by name (top level only). */
  byName: Map<string, FieldDef>;
  /** visible_when conditions by field name, parsed once when the form loads. */
  visible: Map<string, CompiledExpr>;
}

export type FormCompileResult =
  | { ok: true; form: CompiledForm }
  | { ok: false; errors: LvzError[] };

/** A field problem in submitted data, in zh-CN, for the error summary and the inline message. */
export interface FieldError {
  /** The field's DOM id, `f-<name>` (group items: `f-<group>-<i>-<name>`), so the summary can link to it. */
  id: string;
  name: string;
  message: string;
}

/** Which fields a step may edit, read or not see (from the workflow's `fields:`). */
export interface FieldAccess {
  edit: ReadonlySet<string>;
  read: ReadonlySet<string>;
  /**
   * A step's form: the read-only fields shown even when empty (未填写), those its `read:` lists;
   * any other readable field is shown only once it holds a value, so a first step does not show
   * every later stage's fields. Absent (the record, the print): every readable field is shown.
   */
  listed?: ReadonlySet<string>;
}

/** What the directory offers pickers; supplied by the caller (the store), never read by forms itself. */
export interface DirectoryOptions {
  orgs: Choice[];
  people: Choice[];
  orgsByKind?: Record<string, Choice[]>;
  peopleByRole?: Record<string, Choice[]>;
}

/** The render model of one field: everything the partial places, nothing it works out. */
export interface FieldModel {
  id: string;
  name: string;
  type: FieldTypeName;
  partial: string;
  label: string;
  hint?: string;
  hintId?: string;
  error?: string;
  errorId?: string;
  describedBy?: string;
  required: boolean;
  readonly: boolean;
  value: unknown;
  /** Display text of the value, for read-only and print views. */
  display: string;
  items?: { value: string; label: string; checked: boolean; id: string }[];
  attrs?: Record<string, string | number>;
  /** group: one entry per item, each a list of sub-field models, plus a blank template. */
  rows?: FieldModel[][];
  template?: FieldModel[];
  visibleWhen?: string;
  /** Whether visible_when holds for the data the page was built from (the page's script may toggle it later). */
  isVisible?: boolean;
  maxLength?: number;
  /** textarea with max_length: `还可以输入 N 个字` for the data as rendered (the page's script keeps it current). */
  countMessage?: string;
  /** group: the rows as the partial places them (title, remove control, sub-field models). */
  groupRows?: GroupRow[];
  /** group: name of the submit button that adds a row without JavaScript (`_add_<group>`). */
  addName?: string;
  files?: { id: string; name: string; size: number; url: string }[];
  /** org / person: how the picker is placed (picker.ts). */
  picker?: PickerModel;
}

/** A directory picker: its choices inline and grouped by unit, or a plain input and where to search. */
export interface PickerModel {
  /** True above PICKER_INLINE_LIMIT choices: the page carries only the picked ones. */
  isSearch: boolean;
  isMultiple: boolean;
  /** `/pickers/person?role=deputy`: the JSON search over exactly the field's choices. */
  searchUrl: string;
  /** What is picked now, for the script to show as chosen. */
  picks: { value: string; label: string; name: string; group: string }[];
  /** Search mode: the plain input's text (names, or usernames where a name is shared). */
  text?: string;
  /** Inline mode: every choice under its unit ('' for none). */
  groups?: { label: string; items: { value: string; label: string; name: string; checked: boolean; id: string }[] }[];
}

export interface GroupRow {
  index: number;
  /** `第 1 项` */
  title: string;
  /** Remove checkbox: name `<group>[<i>][_remove]`, id `f-<group>-<i>-remove`. */
  removeName: string;
  removeId: string;
  fields: FieldModel[];
}

export interface FormModel {
  fields: FieldModel[];
  errors: FieldError[];
  hasFile: boolean;
}

/** Thrown as LvzError with code LVZ_FORM_INVALID carries these in params.errors, plus the re-render model in params.form. */
export interface FormInvalidParams {
  errors: FieldError[];
  form: FormModel;
}
