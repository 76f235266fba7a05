// normalise.ts: `spawn:` as written -> SpawnDef. The one-child form stays `{ workflow, data }`; any of
// each / wait / results / as names an `as` field (default: the state's name).

import type { NormaliseContext } from '../types.ts';
import type { SpawnDef } from './types.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- raw YAML, already shaped by the schema */
type Raw = Record<string, any>;

export function normaliseSpawn(raw: unknown, ctx: NormaliseContext): SpawnDef {
  const sp = raw as Raw;
  const state = String(ctx.path[1]); // ['states', <name>, 'spawn']
  const wait = sp.wait === 'all' || sp.wait === 'any' ? (sp.wait as 'all' | 'any') : undefined;
  const reports = sp.each !== undefined || wait !== undefined || sp.results !== undefined || sp.as !== undefined;
  return {
    workflow: sp.workflow,
    data: sp.data ?? {},
    ...(sp.each !== undefined && { each: sp.each as string }),
    ...(wait && { wait }),
    ...(sp.results !== undefined && { results: sp.results as Record<string, string> }),
    ...(reports && { as: (sp.as as string | undefined) ?? state }),
  };
}
