// org.ts: pick an organisation (or several) from the directory.

import { pickerType } from './picker.ts';

export const org = pickerType('org');
