// clock.ts: the only place that reads the system clock; everything else is handed `now`.
//
// LVZHI_FAKE_NOW (an ISO time) is for tests that drive separate server processes (crash and
// timer tests): the clock starts at that instant and runs on in real time. `lvzhi serve`
// announces it on start, so it cannot go unnoticed in a real deployment.
// LVZHI_REHEARSAL_START / LVZHI_REHEARSAL_SPEED are the operators' rehearsal clock (rehearsal.ts):
// read here, anchored in the database by the engine, and run `speed` times faster than real time.

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

export interface RehearsalSettings {
  /** Where the rehearsal clock starts (ms since the epoch). */
  start: number;
  /** Rehearsal time per real time: 60 = one real minute is one rehearsal hour. */
  speed: number;
}

/** Where the rehearsal clock stood (`at`) at the real instant `real`, and how fast it runs. */
export interface RehearsalAnchor {
  real: number;
  at: number;
  speed: number;
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** The rehearsal settings from the environment, undefined when LVZHI_REHEARSAL_START is unset. */
export function rehearsalSettings(env: NodeJS.ProcessEnv = process.env): RehearsalSettings | undefined {
  const raw = env.LVZHI_REHEARSAL_START;
  if (!raw) {
    if (env.LVZHI_REHEARSAL_SPEED) throw new Error('LVZHI_REHEARSAL_SPEED 只在演练模式下有效：请同时设置 LVZHI_REHEARSAL_START（如 2027-01-10T09:00:00+08:00），或去掉它');
    return undefined;
  }
  if (env.LVZHI_FAKE_NOW) throw new Error('LVZHI_FAKE_NOW（测试用）和 LVZHI_REHEARSAL_START（演练用）不能同时设置：请去掉 LVZHI_FAKE_NOW');
  const start = Date.parse(raw);
  if (!ISO_WITH_ZONE.test(raw) || Number.isNaN(start)) throw new Error(`LVZHI_REHEARSAL_START=${raw} 不是带时区的时间：请写成 2027-01-10T09:00:00+08:00`);
  const speed = env.LVZHI_REHEARSAL_SPEED ? Number(env.LVZHI_REHEARSAL_SPEED) : 60;
  if (!Number.isFinite(speed) || speed < 1 || speed > 10_000) throw new Error(`LVZHI_REHEARSAL_SPEED=${env.LVZHI_REHEARSAL_SPEED} 不可用：请写 1 到 10000 之间的数（60：实际 1 分钟 = 演练 1 小时；默认 60）`);
  return { start, speed };
}

/** The rehearsal time at the real instant `realMs` on this anchor. */
export function rehearsalTimeAt(anchor: RehearsalAnchor, realMs: number): number {
  return anchor.at + (realMs - anchor.real) * anchor.speed;
}

export function realNow(): number {
  return Date.now();
}

/** The clock of a rehearsal install: the anchor's time, run on `speed` times faster. */
export function rehearsalClock(anchor: RehearsalAnchor): Clock {
  return () => new Date(rehearsalTimeAt(anchor, Date.now()));
}
