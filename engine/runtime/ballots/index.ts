// index.ts: the Engine's ballot operations (ballot-types.ts), wired from this folder's modules.

import { LvzError } from '../../errors.ts';
import type { BallotOps } from '../ballot-types.ts';
import type { RuntimeContext } from '../runtime-context.ts';

const notBuilt = (): never => {
  throw new LvzError('LVZ_RUN_EVENT_NOT_ALLOWED', '表决功能尚未建成：请稍后再试', { params: { action: 'ballot' } });
};

export function buildBallotOps(_rc: RuntimeContext): BallotOps {
  return {
    ballotsOf: async () => notBuilt(),
    ballotsFor: async () => notBuilt(),
    ballotView: async () => notBuilt(),
    ballotCounts: async () => notBuilt(),
    signIn: async () => notBuilt(),
    openBallot: async () => notBuilt(),
    castBallot: async () => notBuilt(),
    closeBallot: async () => notBuilt(),
    checkReceipt: async () => notBuilt(),
    verifyBallots: async () => notBuilt(),
  };
}
