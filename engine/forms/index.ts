// index.ts: what the rest of the engine uses from forms.

export { compileForm } from './compile.ts';
export { validateInput, validateField, type ValidateResult } from './validate.ts';
export { buildFormModel, printModel } from './model.ts';
export { isAddRowRequest } from './raw-input.ts';
export { rowFileFields, rowFileName, rowKeyOf, uploadFieldOf, type RowFileField } from './upload-fields.ts';
export { evaluateVisibility } from './visibility.ts';
export { fieldTypes, checkUpload, uploadProblem, type FieldType, type FileRef } from './fields/index.ts';
export { FIELD_TYPES } from './types.ts';
export type * from './types.ts';
