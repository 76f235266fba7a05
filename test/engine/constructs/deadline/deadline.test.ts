// deadline.test.ts: the deadline construct (engine/constructs/deadline/) through the generic code that loops over
// the registry: its schema, normalisation, checks, expressions, diagram line, and the timers it asks for on entry.
// The firing of its timers runs against a real database in test/engine/runtime/timers.test.ts and timer-failures.test.ts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCalendar } from '../../../../engine/calendar/index.ts';
import { compileExpr, isTrue } from '../../../../engine/expr/index.ts';
import { deadline } from '../../../../engine/constructs/deadline/index.ts';
import { compileWorkflow } from '../../../../engine/dsl/compile.ts';
import { renderDiagram } from '../../../../engine/dsl/diagram.ts';
import { exprSites } from '../../../../engine/dsl/expr-sites.ts';
import { siteOf } from '../../../../engine/dsl/walk.ts';
import { shippedForms } from '../../dsl/load-shipped.ts';

const forms = shippedForms();
const cal = loadCalendar(readFileSync(new URL('../../../../calendars/cn.yaml', import.meta.url), 'utf8'), 'calendars/cn.yaml');

const yaml = (states: string): string => `id: fx-deadline
version: 1
title: 期限
roles: [deputy, handling_unit]
record: suggestion
initial: draft
states:
${states}`;

function errorsOf(text: string): string[] {
  const r = compileWorkflow(text, 'fx.yaml', { forms });
  return r.ok ? [] : r.errors.map((e) => `${e.code} ${e.path}`);
}

describe('deadline', () => {
  it('normalises both shorthands, under a state and under a group', () => {
    const r = compileWorkflow(yaml(`  draft:
    task: { assignee: initiator, deadline: { after: 5 working days, remind: 2 working days } }
    deadline:
      after: [{ when: "data.title == 'x'", after: 6 months }, { after: 3 months }]
      remind: [10 working days]
      escalate: late
    on: { submit: closed, late: closed }
  closed: { final: true }
`), 'fx.yaml', { forms });
    if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
    const s = r.workflow.def.states.draft!;
    expect(s.deadline).toEqual({
      after: [{ when: "data.title == 'x'", duration: { text: '6 months', amount: 6, unit: 'months' } }, { duration: { text: '3 months', amount: 3, unit: 'months' } }],
      remind: [{ text: '10 working days', amount: 10, unit: 'working_days' }],
      escalate: 'late',
    });
    expect(s.tasks[0]!.deadline).toEqual({ after: [{ duration: { text: '5 working days', amount: 5, unit: 'working_days' } }], remind: [{ text: '2 working days', amount: 2, unit: 'working_days' }] });
    // escalate is sent by the deadline, not pressed: it is no button of the single task.
    expect(s.tasks[0]!.outcomes.map((o) => o.id)).toEqual(['submit']);
    expect(exprSites(r.workflow.def).filter((x) => x.path.includes('/deadline/')).map((x) => [x.path, x.source])).toEqual([
      ['/states/draft/deadline/after/0/when', "data.title == 'x'"],
    ]);
    expect(renderDiagram(r.workflow.def)).toContain('限时 6个月 / 3个月');
  });

  it('reports a final state with a deadline, a case without when before the last, and an escalate nobody handles', () => {
    expect(errorsOf(yaml(`  draft:
    task: { assignee: initiator }
    deadline: { after: [{ after: 3 days }, { when: "data.title == 'x'", after: 5 days }] }
    on: { submit: handle }
  handle:
    tasks: [{ id: units, role: handling_unit, deadline: { after: 1 month, escalate: timeout } }]
    on: { done: closed }
  closed: { final: true, deadline: { after: 1 day } }
`))).toEqual([
      'LVZ_DSL_SCHEMA /states/draft/deadline/after/0',
      'LVZ_DSL_DEADLINE_NO_HANDLER /states/handle/tasks/0/deadline/escalate',
      'LVZ_DSL_SCHEMA /states/closed/deadline',
    ]);
  });

  it('checks the expressions of its cases with the others', () => {
    expect(errorsOf(yaml(`  draft:
    task: { assignee: initiator }
    deadline: { after: [{ when: "data.title ==", after: 3 days }, { after: 5 days }] }
    on: { submit: closed }
  closed: { final: true }
`))).toEqual(['LVZ_EXPR_SYNTAX /states/draft/deadline/after/0/when']);
  });

  it('on entry asks for the deadline of the first case that holds, and the reminders not yet past', () => {
    const r = compileWorkflow(yaml(`  draft:
    task: { assignee: initiator }
    deadline:
      after: [{ when: "data.is_complex == '是'", after: 10 working days }, { after: 3 days }]
      remind: [2 working days, 1 month]
      escalate: late
    on: { submit: closed, late: closed }
  closed: { final: true }
`), 'fx.yaml', { forms });
    if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
    const s = r.workflow.def.states.draft!;
    const now = new Date('2026-12-01T02:00:00Z'); // a Tuesday, 10:00 in Beijing
    const entered = (data: Record<string, unknown>) =>
      deadline.entered!(s.deadline!, siteOf(s, 'deadline'), { now, calendar: cal, isTrue: (src) => isTrue(compileExpr(src), { data }) });

    const big = entered({ is_complex: '是' });
    expect(big.timers!.map((t) => [t.kind, t.fireAt.toISOString(), t.payload])).toEqual([
      ['deadline', '2026-12-15T15:59:59.999Z', { escalate: 'late' }],
      // 10 working days: the end of the tenth (Beijing); the reminder 2 working days before; the month before is already past.
      ['remind', '2026-12-11T15:59:59.999Z', { before: '2 working days', remind: { text: '2 working days', amount: 2, unit: 'working_days' } }],
    ]);
    expect(big.due).toEqual({ at: new Date('2026-12-15T15:59:59.999Z'), provisional: false });
    expect(big.timers!.every((t) => t.duration.text === '10 working days')).toBe(true);

    const small = entered({ is_complex: '否' });
    expect(small.timers!.map((t) => [t.kind, t.fireAt.toISOString()])).toEqual([
      ['deadline', '2026-12-04T15:59:59.999Z'],
      ['remind', '2026-12-02T15:59:59.999Z'],
    ]);
  });
});
