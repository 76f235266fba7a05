// check-worker.ts: the studio's check in a worker thread (check-pool.ts starts it): compile, model check,
// diagram and form preview of one text, from the plain rows the pool sends. A check that runs away here
// is stopped by the pool (time) or by V8 (heap) without the server's event loop ever waiting on it.

import { parentPort } from 'node:worker_threads';
import { compileForm } from '../../forms/compile.ts';
import type { CompiledForm } from '../../forms/types.ts';
import { isLvzError } from '../../errors.ts';
import { roleSet, type RoleSet } from '../../dsl/roles.ts';
import { checkFormText, checkWorkflowText, contextOf } from './check.ts';
import type { CheckJob, WorkerReply } from './check-pool.ts';
import type { CheckResult } from './types.ts';

/** Compiled forms by text hash: most checks see the same stored forms as the one before. */
const formCache = new Map<string, CompiledForm>();
const MAX_CACHED_FORMS = 200;

function formsOf(job: CheckJob): Map<string, CompiledForm> {
  const out = new Map<string, CompiledForm>();
  if (formCache.size > MAX_CACHED_FORMS) formCache.clear();
  for (const f of job.forms) {
    let form = formCache.get(f.hash);
    if (!form) {
      const r = compileForm(f.text, `definitions:${f.id}@${f.version}`);
      if (!r.ok) continue; // a stored form that no longer compiles is not offered, as at start-up
      formCache.set(f.hash, (form = r.form));
    }
    out.set(f.id, form);
  }
  return out;
}

/** The roles of the last job: the same object while they do not change, so compiled workflows stay cached. */
let lastRoles: { key: string; roles: RoleSet } | undefined;

function rolesOf(job: CheckJob): RoleSet {
  const key = JSON.stringify(job.roles);
  if (lastRoles?.key !== key) lastRoles = { key, roles: roleSet(job.roles) };
  return lastRoles.roles;
}

export function runJob(job: CheckJob): CheckResult {
  const ctx = contextOf(job.rows, formsOf(job), job.directory, rolesOf(job));
  return job.kind === 'workflow' ? checkWorkflowText(ctx, job.id, job.text).result : checkFormText(job.choices, ctx, job.id, job.text).result;
}

const port = parentPort;
if (port) {
  port.on('message', (job: CheckJob) => {
    let reply: WorkerReply;
    try {
      reply = { result: runJob(job) };
    } catch (e) {
      reply = isLvzError(e) ? { error: { code: e.code, message: e.message } } : { error: { message: String((e as Error)?.message ?? e) } };
    }
    port.postMessage(reply);
  });
  port.postMessage({ ready: true });
}
