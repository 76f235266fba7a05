// linear-regexp.ts: turns on V8's fallback to its linear-time regex engine for this process, on import.
//
// With the flag, a regex that backtracks more than 50,000 times (V8's default) is re-run by the linear
// engine: `^(a+)+$` on 28 a's and a '!' takes 1 ms instead of 10 s, a time that doubles with each further
// `a` (Node 20, V8 11.3). It takes no backreferences, lookarounds, `i` or `u` flag: such a regex still backtracks, which is why
// regex-check.ts refuses the shapes that blow up when a definition loads. The flag is process-wide (worker
// threads share it) and V8 reads it when a regex runs, so setting it here, at start-up, covers regexes
// compiled before too. bin/lvzhi.mjs passes it on the command line as well, the form V8 documents.
import v8 from 'node:v8';

export const LINEAR_FALLBACK_FLAG = '--enable-experimental-regexp-engine-on-excessive-backtracks';

v8.setFlagsFromString(LINEAR_FALLBACK_FLAG);
