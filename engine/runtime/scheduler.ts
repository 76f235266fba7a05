// scheduler.ts: fire due timers on an interval. The first tick runs at once, so timers that fell
// due while the server was down fire on start (they are rows, not setTimeouts).

export interface TimerFiring {
  fireDueTimers(now?: Date): Promise<number>;
}

export function startScheduler(engine: TimerFiring, options: { intervalMs: number; onError?: (e: unknown) => void }): () => void {
  let stopped = false;
  let running: Promise<unknown> | undefined;
  const tick = (): void => {
    if (stopped || running) return;
    running = engine.fireDueTimers().catch((e) => options.onError?.(e)).finally(() => { running = undefined; });
  };
  tick();
  const handle = setInterval(tick, options.intervalMs);
  handle.unref?.();
  return () => {
    stopped = true;
    clearInterval(handle);
  };
}
