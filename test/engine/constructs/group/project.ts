// project.ts (test helper): a project folder with the repository's forms and calendars and the
// group-step workflows the group tests run (docs/group-steps.md).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const head = (id: string, title: string): string => `id: ${id}
version: 1
title: ${title}
roles: [deputy, presidium, handling_unit]
starters: [presidium]
record: bill
title_from: data.title
initial: draft
`;

const draft = `  draft:
    task: { assignee: initiator, fields: { edit: [title, content] } }
    on: { submit: ask }
`;

const talk = `  talk:
    title: 个别沟通
    task: { role: presidium }
    on: { done: decide }
`;

const tail = `  decide:
    title: 主席团决定
    task: { role: presidium }
    on: { done: closed }
  closed: { final: true }
`;

/** 会签 of every deputy, closable early by the presidium and by its deadline; 有意见 over a third goes to talk. */
export const CONSULT = `${head('consult', '征求代表意见')}states:
${draft}  ask:
    title: 征求意见
    group:
      to: { deputies: {} }
      outcomes: [{ id: agree, label: 同意 }, { id: object, label: 有意见 }]
      opinion: optional
      complete_when: all
      close_by: [presidium]
      actions: [remind]
    deadline: { after: 5 days, close: true }
    on:
      done:
        - { when: "tally.ask.object * 3.0 > tally.ask.done", to: talk }
        - { to: decide }
${talk}${tail}`;

/** 票签: three agreeing deputies are enough. */
export const QUORUM = `${head('quorum', '三人同意即可')}states:
${draft}  ask:
    group:
      to: { deputies: {} }
      outcomes: [{ id: agree, label: 同意 }, { id: decline, label: 不同意 }]
      complete_when: { count: 3 }
    on: { done: decide }
${tail}`;

/** 或签: the first answer closes the step. */
export const ANYONE = `${head('anyone', '一人答复即可')}states:
${draft}  ask:
    group:
      to: { deputies: {} }
      complete_when: any
    on: { done: decide }
${tail}`;

/** Every government unit replies through its handling_unit. */
export const UNITS = `${head('units', '征求部门意见')}states:
${draft}  ask:
    group:
      to: { orgs: { kind: unit } }
      role: handling_unit
      outcomes: [{ id: agree, label: 无意见 }, { id: object, label: 有修改意见 }]
      complete_when: "tally.ask.open == 0"
    on: { done: decide }
${tail}`;

export function groupProject(): string {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'lvzhi-group-'));
  const root = path.resolve(import.meta.dirname, '../../../..');
  for (const dir of ['calendars', 'forms', 'directory']) fs.cpSync(path.join(root, dir), path.join(project, dir), { recursive: true });
  fs.mkdirSync(path.join(project, 'workflows'));
  for (const [id, text] of Object.entries({ consult: CONSULT, quorum: QUORUM, anyone: ANYONE, units: UNITS })) {
    fs.writeFileSync(path.join(project, 'workflows', `${id}.yaml`), text);
  }
  return project;
}
