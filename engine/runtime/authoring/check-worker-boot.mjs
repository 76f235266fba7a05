// check-worker-boot.mjs: under tsx (tests, LVZHI_NO_BUNDLE=1) a worker thread starts with Node's own loader:
// register tsx's first, then load the TypeScript worker (check-pool.ts). The bundle starts dist/check-worker.mjs.
import { register } from 'tsx/esm/api';

register();
await import('./check-worker.ts');
