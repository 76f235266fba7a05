// scheduler.ts: fire due timers on an interval. The first tick runs at once, so timers that fell
// due while the server was down fire on start (they are rows, not setTimeouts); a timer due at once
// (a spawned child's report to its parent) wakes it for a tick out of turn. Every server
// process runs one: on PostgreSQL they lease different timers (fire-timers.ts). Each tick then
// removes expired orphan uploads (orphan-files.ts), at most once a minute.

export interface TimerFiring {
  fireDueTimers(now?: Date): Promise<number>;
  sweepUploads?(now?: Date): Promise<number>;
  /** Timers due at once were just committed (a spawned child's report): tick now (Engine.onTimersDue). */
  onTimersDue?(listener: () => void): () => void;
}

/** Orphans expire after hours; looking once a minute is plenty and keeps the query off every tick. */
const SWEEP_EVERY_MS = 60_000;

/** Starts ticking; the returned stop() ends the ticks and resolves once a running tick has finished. */
export function startScheduler(engine: TimerFiring, options: { intervalMs: number; onError?: (e: unknown) => void }): () => Promise<void> {
  let stopped = false;
  let running: Promise<unknown> | undefined;
  // Woken while a tick runs: that tick may have read the due timers before the new one was committed.
  let again = false;
  let sweptAt = -Infinity;
  const sweep = async (): Promise<void> => {
    if (!engine.sweepUploads || performance.now() - sweptAt < SWEEP_EVERY_MS) return;
    sweptAt = performance.now();
    await engine.sweepUploads();
  };
  const tick = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = engine.fireDueTimers().catch((e) => options.onError?.(e))
      .then(() => sweep()).catch((e) => options.onError?.(e))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          tick();
        }
      });
  };
  tick();
  const handle = setInterval(tick, options.intervalMs);
  handle.unref?.();
  const unlisten = engine.onTimersDue?.(tick);
  return async () => {
    stopped = true;
    clearInterval(handle);
    unlisten?.();
    await running;
  };
}
