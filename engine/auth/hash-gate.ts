// hash-gate.ts: at most a few password hashes at once, with a short bounded queue behind them.
//
// scrypt runs on libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE says otherwise), the
// same pool the sqlite3 driver and file reads use. A flood of logins hashing at once filled it
// and made every other request wait for seconds; with at most `slots` hashes running, the rest of
// the pool stays free for the database whatever arrives.

export interface HashGateLoad {
  running: number;
  queued: number;
  queueMax: number;
}

/** A place in the gate: `ready` once a slot is ours; `release()` gives it back (or leaves the queue). */
export interface HashTicket {
  ready: Promise<void>;
  release(): void;
}

export interface HashGate {
  /** A ticket, or undefined when the queue is full (the caller answers "busy" without hashing). */
  enter(): HashTicket | undefined;
  load(): HashGateLoad;
}

export function createHashGate(slots = 2, queueMax = 16): HashGate {
  let running = 0;
  const waiting: (() => void)[] = [];

  function next(): void {
    const wake = waiting.shift();
    if (wake) wake();
    else running--;
  }

  return {
    enter() {
      if (running < slots) {
        running++;
        return ticket(Promise.resolve(), undefined);
      }
      if (waiting.length >= queueMax) return undefined;
      let wake!: () => void;
      const ready = new Promise<void>((resolve) => { wake = resolve; });
      waiting.push(wake);
      return ticket(ready, wake);
    },
    load: () => ({ running, queued: waiting.length, queueMax }),
  };

  /** `wake`: our queue entry while we wait; a slot is handed over by calling (and dequeuing) it. */
  function ticket(ready: Promise<void>, wake: (() => void) | undefined): HashTicket {
    let done = false;
    return {
      ready,
      release() {
        if (done) return;
        done = true;
        const i = wake ? waiting.indexOf(wake) : -1;
        if (i >= 0) waiting.splice(i, 1); // never got a slot: just leave the queue
        else next(); // we hold a slot (given at once, or handed over by next()): pass it on
      },
    };
  }
}
