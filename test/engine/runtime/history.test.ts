// history.test.ts: each event reads as one natural line: the button's word, where it went, and
// in brackets what qualifies it (a return's reason, a note), never the label twice.

import { describe, expect, it } from 'vitest';
import type { CompiledWorkflow } from '../../../engine/dsl/types.ts';
import { historyOf } from '../../../engine/runtime/history.ts';
import type { EventRow } from '../../../engine/store/process/index.ts';

const state = (title: string) => ({ title, tasks: [] });
const wf = { def: { states: { draft: state('起草建议'), review: state('审查交办'), handle: state('承办答复'), evaluate: state('办理测评') } } } as unknown as CompiledWorkflow;
const viewer = { roles: [], fields: new Set<string>(), names: new Map([['deputy1', '王建国'], ['review1', '张敏'], ['staff1', '郑晓东']]), orgOf: new Map() };

let seq = 0;
function ev(type: string, from: string | null, to: string | null, payload: Record<string, unknown> = {}, actorId: string | null = 'review1', onBehalfOf: string | null = null): EventRow {
  return { seq: ++seq, instanceId: 'i', at: '2026-03-02T01:00:00Z', actorId, onBehalfOf, type, taskId: null, fromState: from, toState: to, payload } as EventRow;
}

describe('history lines', () => {
  it('reads naturally, with the qualifier in brackets', () => {
    const lines = historyOf([
      ev('task.completed', 'draft', 'review', { label: '提交' }, 'deputy1'),
      ev('task.returned', 'review', 'draft', { reason: '请补充具体路段', to: 'draft' }),
      ev('task.completed', 'review', 'handle', { label: '交办' }, 'staff1', 'review1'),
      ev('timer.remind', 'handle', 'handle', {}, null),
      ev('task.reminded', 'handle', 'handle', { count: 2 }, 'deputy1'),
      ev('task.completed', 'evaluate', 'handle', { label: '提交', note: '重新办理' }, 'deputy1'),
    ], wf, undefined, viewer);
    expect(lines.map((l) => (l.actorName === '系统' ? `系统 ${l.summary}` : l.summary))).toEqual([
      '提交 → 审查交办',
      '退回 → 起草建议（理由：请补充具体路段）',
      '交办 → 承办答复',
      '系统 催办',
      '催办 第 2 次',
      '提交 → 承办答复（重新办理）',
    ]);
    expect(lines[1]!.reasonInSummary).toBe(true);
    expect(lines[2]).toMatchObject({ actorName: '郑晓东', onBehalfOfName: '张敏（代理）', principalName: '张敏' });
  });
});
