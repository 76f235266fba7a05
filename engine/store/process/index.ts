// index.ts: the process repositories, one module per table.

export * from './types.ts';
export * from './instances.ts';
export * from './tasks.ts';
export * from './events.ts';
export * from './timers.ts';
export * from './files.ts';
export * from './definitions.ts';
export * from './studio.ts';
export { writeStats, writeTx, type WriteStats } from './tx.ts';
export * from './idempotency.ts';
export * from './calendar-years.ts';
export * from './new-definitions.ts';
export * from './groups.ts';
export * from './ballots.ts';
export * from './ballot-screens.ts';
