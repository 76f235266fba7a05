// scheduler.ts: fire due timers on an interval. The first tick runs at once, so timers that fell
// due while the server was down fire on start (they are rows, not setTimeouts). Every server
// process runs one: on PostgreSQL they lease different timers (fire-timers.ts).

export interface TimerFiring {
  fireDueTimers(now?: Date): Promise<number>;
}

/** Starts ticking; the returned stop() ends the ticks and resolves once a running tick has finished. */
export function startScheduler(engine: TimerFiring, options: { intervalMs: number; onError?: (e: unknown) => void }): () => Promise<void> {
  let stopped = false;
  let running: Promise<unknown> | undefined;
  const tick = (): void => {
    if (stopped || running) return;
    running = engine.fireDueTimers().catch((e) => options.onError?.(e)).finally(() => { running = undefined; });
  };
  tick();
  const handle = setInterval(tick, options.intervalMs);
  handle.unref?.();
  return async () => {
    stopped = true;
    clearInterval(handle);
    await running;
  };
}
