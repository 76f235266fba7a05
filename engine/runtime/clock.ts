// clock.ts: the only place that reads the system clock; everything else is handed `now`.
//
// LVZHI_FAKE_NOW (an ISO time) is for tests that drive separate server processes (crash and
// timer tests): the clock starts at that instant and runs on in real time. `lvzhi serve`
// announces it on start, so it cannot go unnoticed in a real deployment.

export type Clock = () => Date;

function fromEnvironment(): Clock {
  const fake = process.env.LVZHI_FAKE_NOW;
  if (!fake) return () => new Date();
  const start = Date.parse(fake);
  if (Number.isNaN(start)) throw new Error(`LVZHI_FAKE_NOW=${fake} is not an ISO time (e.g. 2026-03-02T01:00:00Z): unset it`);
  const startedAt = Date.now();
  return () => new Date(start + (Date.now() - startedAt));
}

export const systemClock: Clock = fromEnvironment();

/** A line for the start-up log when the clock is not the system's, else undefined. */
export function clockNotice(): string | undefined {
  return process.env.LVZHI_FAKE_NOW ? `LVZHI_FAKE_NOW is set: the clock started at ${process.env.LVZHI_FAKE_NOW} (for tests only; unset it in production)` : undefined;
}
