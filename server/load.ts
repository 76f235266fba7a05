// load.ts: is this process saturated? The readiness probe (routes/health.ts) asks, so a balancer
// sends new requests to another process while this one is busy hashing a login flood or its event
// loop is stalled; /healthz stays green meanwhile (restarting a busy process would not help).

import { monitorEventLoopDelay, type ELDHistogram } from 'node:perf_hooks';
import type { Engine } from '../engine/runtime/types.ts';

export interface LoadLimits {
  /** The largest event-loop delay tolerated over the last few seconds; 0 turns the check off. */
  maxLoopDelayMs: number;
}

export const DEFAULT_LOAD_LIMITS: LoadLimits = { maxLoopDelayMs: 1000 };

/** Why the process is saturated, or undefined when it is not. Pure, for the probe and its test. */
export function saturation(hash: { queued: number; queueMax: number }, loopDelayMs: number, limits: LoadLimits): 'password_hashing' | 'event_loop' | undefined {
  // Half the hash queue waiting: logins are arriving faster than they are checked.
  if (hash.queueMax > 0 && hash.queued * 2 >= hash.queueMax) return 'password_hashing';
  if (limits.maxLoopDelayMs > 0 && loopDelayMs >= limits.maxLoopDelayMs) return 'event_loop';
  return undefined;
}

export interface LoadMonitor {
  saturation(): ReturnType<typeof saturation>;
  close(): void;
}

// Delays are kept per window of this length; the probe looks at the last full window and the
// current one, so a stall is reported for 5-10 s and then forgotten.
const WINDOW_MS = 5_000;

export function createLoadMonitor(engine: Engine, limits: LoadLimits = DEFAULT_LOAD_LIMITS): LoadMonitor {
  const histogram: ELDHistogram = monitorEventLoopDelay({ resolution: 20 });
  histogram.enable();
  let previousMaxNs = 0;
  const rotate = setInterval(() => {
    previousMaxNs = histogram.max;
    histogram.reset();
  }, WINDOW_MS);
  rotate.unref();
  return {
    saturation: () => saturation(engine.authLoad(), Math.max(previousMaxNs, histogram.max) / 1e6, limits),
    close() {
      clearInterval(rotate);
      histogram.disable();
    },
  };
}
