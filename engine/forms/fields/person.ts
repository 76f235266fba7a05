// person.ts: pick a person (or several) from the directory.

import { pickerType } from './picker.ts';

export const person = pickerType('person');
