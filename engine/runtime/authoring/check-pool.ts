// check-pool.ts: the studio's checks run in worker threads (check-worker.ts), a few at a time, each
// under a heap limit and a wall-time limit. A check that goes over either is stopped (the worker is
// terminated) and answered with a LVZ_DSL_CHECK_LIMIT finding, 检查超出上限; meanwhile the server's own
// event loop goes on answering everyone else (/healthz included). Too many checks waiting: the same.
//
// Under tsx (tests, LVZHI_NO_BUNDLE=1) the worker starts from check-worker-boot.mjs, which registers tsx's
// loader first; in the bundle (dist/server.mjs) from dist/check-worker.mjs, built beside it.

import { Worker } from 'node:worker_threads';
import type { Directory } from '../../dsl/model-check.ts';
import type { DirectoryOptions } from '../../forms/types.ts';
import { listDefinitions, type DefinitionRow } from '../../store/process/index.ts';
import type { RuntimeContext } from '../runtime-context.ts';
import { checkDirectory, fileOf } from './check.ts';
import type { CheckResult, StudioKind } from './types.ts';
import type { RoleDef } from '../../dsl/roles.ts';

/** What one check needs, as plain data: the worker has no database. */
export interface CheckJob {
  kind: StudioKind;
  id: string;
  text: string;
  /** Every stored workflow version (parents, spawn targets). */
  rows: DefinitionRow[];
  /** The newest stored text of each form. */
  forms: { id: string; version: number; text: string; hash: string }[];
  directory: Directory;
  /** directory/roles.yaml as plain data (the worker has no registry): checked against, and labels for the diagram. */
  roles: RoleDef[];
  /** Picker choices for the form preview. */
  choices: DirectoryOptions;
}

export type WorkerReply = { result: CheckResult } | { error: { code?: string; message: string } };

export interface CheckLimits {
  /** Checks that run at once (each in its own worker). */
  workers: number;
  /** V8 old-generation heap of a worker, MB. */
  heapMb: number;
  /** Wall time of one check, ms. */
  timeoutMs: number;
  /** Checks that may wait for a worker; one more is answered "busy". */
  queue: number;
}

function intEnv(raw: string | undefined, fallback: number, min: number, max: number): number {
  const n = Number(raw);
  return raw && Number.isInteger(n) && n >= min && n <= max ? n : fallback;
}

/** docs/deploy.md, "Expressions and checks". */
export function checkLimits(env: NodeJS.ProcessEnv = process.env): CheckLimits {
  const workers = intEnv(env.LVZHI_CHECK_WORKERS, 2, 1, 16);
  return {
    workers,
    heapMb: intEnv(env.LVZHI_CHECK_HEAP_MB, 128, 32, 4096),
    timeoutMs: intEnv(env.LVZHI_CHECK_TIMEOUT_MS, 10_000, 1, 600_000),
    queue: workers * 4,
  };
}

/** Starting a worker (loading the engine, under tsx compiling it too) is not part of a check's time. */
const BOOT_MS = 60_000;

export async function checkJob(rc: RuntimeContext, kind: StudioKind, id: string, text: string): Promise<CheckJob> {
  const [rows, formRows, directory, choices] = await Promise.all([
    listDefinitions(rc.db, 'workflow'), listDefinitions(rc.db, 'form'), checkDirectory(rc.db), rc.directory(),
  ]);
  const newest = new Map<string, DefinitionRow>();
  for (const r of formRows) newest.set(r.id, r); // ordered by version: the last is the newest
  return {
    kind, id, text, rows, choices, roles: [...rc.registry.roles.list],
    forms: [...newest.values()].map((r) => ({ id: r.id, version: r.version, text: r.text, hash: r.hash })),
    directory,
  };
}

function workerEntry(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('./check-worker-boot.mjs', import.meta.url) : new URL('./check-worker.mjs', import.meta.url);
}

/** A finding in place of a result: the check did not finish. */
export function limitResult(job: Pick<CheckJob, 'kind' | 'id'>, why: string): CheckResult {
  const file = fileOf(job.kind, job.id);
  return {
    ok: false, warnings: [],
    errors: [{ severity: 'error', code: 'LVZ_DSL_CHECK_LIMIT', message: `检查超出上限：${why}`, line: 1, col: 1, file, isOwnFile: true }],
  };
}

export class CheckPool {
  private idle: Worker[] = [];
  private running = 0;
  private waiting: (() => void)[] = [];
  private closed = false;

  constructor(readonly limits: CheckLimits) {}

  async run(job: CheckJob): Promise<CheckResult> {
    if (this.running >= this.limits.workers) {
      if (this.waiting.length >= this.limits.queue) return limitResult(job, `同时进行的检查过多（${this.limits.workers} 个进行中，${this.limits.queue} 个等待）：请稍后再检查`);
      // Woken by a check that ended, which hands its slot over: `running` stays as it is.
      await new Promise<void>((wake) => this.waiting.push(wake));
    } else this.running++;
    try {
      const worker = this.idle.pop() ?? (await this.start());
      return await this.runOn(worker, job);
    } catch (e) {
      return limitResult(job, `检查未能完成（${(e as Error).message}）：请稍后再试；如一再出现，请把定义发给运维人员`);
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** Idle workers end now; running checks finish first and their workers are not reused. */
  close(): void {
    this.closed = true;
    for (const w of this.idle.splice(0)) void w.terminate();
  }

  private start(): Promise<Worker> {
    const worker = new Worker(workerEntry(), {
      resourceLimits: { maxOldGenerationSizeMb: this.limits.heapMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
    });
    worker.unref(); // an idle worker never keeps the process alive
    // Permanent listeners: an error after a check ended is never unhandled, and a worker that exits leaves the idle list.
    worker.on('error', () => undefined);
    worker.on('exit', () => (this.idle = this.idle.filter((w) => w !== worker)));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error('worker did not start')), BOOT_MS);
      const fail = (e: Error): void => {
        clearTimeout(timer);
        void worker.terminate();
        reject(e);
      };
      worker.once('error', fail);
      worker.once('message', () => {
        clearTimeout(timer);
        worker.off('error', fail);
        resolve(worker);
      });
    });
  }

  private runOn(worker: Worker, job: CheckJob): Promise<CheckResult> {
    const { timeoutMs, heapMb } = this.limits;
    return new Promise((resolve) => {
      const onMessage = (reply: WorkerReply): void => {
        if ('result' in reply) return done(reply.result, true);
        done(limitResult(job, `检查出错（${reply.error.message}）`), true);
      };
      const onError = (e: Error & { code?: string }): void => {
        const why = e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `检查占用的内存超过 ${heapMb} MB，已停止：请减少规则中的列表和嵌套后再检查` : `检查出错（${e.message}）`;
        done(limitResult(job, why), false);
      };
      const onExit = (): void => done(limitResult(job, '检查进程意外退出'), false);
      const done = (result: CheckResult, keep: boolean): void => {
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (keep && !this.closed) this.idle.push(worker);
        else void worker.terminate();
        resolve(result);
      };
      const timer = setTimeout(() => done(limitResult(job, `检查用时超过 ${timeoutMs / 1000} 秒，已停止：请减少互相连通的流转或规则的嵌套后再检查`), false), timeoutMs);
      worker.once('message', onMessage).once('error', onError).once('exit', onExit);
      worker.postMessage(job);
    });
  }
}

let shared: CheckPool | undefined;

/** The process's pool, with its environment's limits (read at each check: a changed limit starts a new pool). */
export function checkPool(): CheckPool {
  const limits = checkLimits();
  const same = shared && (Object.keys(limits) as (keyof CheckLimits)[]).every((k) => shared!.limits[k] === limits[k]);
  if (!same) {
    shared?.close();
    shared = new CheckPool(limits);
  }
  return shared!;
}
