// constructs.ts: each construct's own checks (engine/constructs/<name>/), run over every value written.

import { constructUsesOf } from '../walk.ts';
import type { Check } from './types.ts';

export const constructChecks: Check = (wf, src) =>
  constructUsesOf(wf).flatMap(({ construct, def, site }) => construct.checks?.(def, site, { src }) ?? []);
