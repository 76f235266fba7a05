// clock.ts: the only place that reads the system clock; everything else is handed `now`.

export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
