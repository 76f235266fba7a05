// index.ts: every field type, by name. Adding a type is one file here, one partial and one test.

import type { FieldTypeName } from '../types.ts';
import type { FieldType } from './field-type.ts';
import { text } from './text.ts';
import { textarea } from './textarea.ts';
import { number } from './number.ts';
import { date } from './date.ts';
import { radios } from './radios.ts';
import { select } from './select.ts';
import { checkboxes } from './checkboxes.ts';
import { org } from './org.ts';
import { person } from './person.ts';
import { fileType } from './file.ts';
import { group } from './group.ts';

export const fieldTypes: Record<FieldTypeName, FieldType> = {
  text,
  textarea,
  number,
  date,
  radios,
  select,
  checkboxes,
  org,
  person,
  file: fileType,
  group,
};

export type { FieldType, ModelContext, ValidateContext, FieldExample } from './field-type.ts';
export { checkUpload, uploadProblem, type FileRef } from './file.ts';
