// 007_holder_workflows.ts: which workflows each holder has ever had a task in. The instance list
// of someone who sees whole workflows (the review office: every suggestion) and is involved in a
// few other instances reads instances newest first and, for each outside those workflows, asks
// whether they hold, held or completed a task of it (process/instances.ts). Instances of a
// workflow they never had a task in (a busy run of bills, for the review office) can now be
// passed over without asking: at a million instances with 9,000 bills just changed, a page took
// 30 ms, mostly those questions.
//
// The rows are written by triggers on `tasks`, so no write path can forget them, in the same
// transaction as the task: `u:<user>` for an assignee or whoever completed it, `r:<role>@<org>`
// (org empty when none) for a task offered to a role. A row is never removed: one left over only
// means asking again, as before.

import type { Knex } from 'knex';
import type { Migration } from './migration.ts';

/** The holder keys of the task row NEW, as a union of one-column selects (the same SQL on both databases). */
const KEYS = [
  `select 'u:' || new.assignee_id as holder where new.assignee_id is not null`,
  `select 'u:' || new.completed_by where new.completed_by is not null`,
  `select 'r:' || new.role || '@' || coalesce(new.org_id, '') where new.assignee_id is null and new.role is not null`,
].join(' union all ');

const NOTE = `select k.holder, i.workflow_id from (${KEYS}) k join instances i on i.id = new.instance_id`;

async function up(db: Knex): Promise<void> {
  await db.schema.createTable('holder_workflows', (t) => {
    t.string('holder', 200).notNullable();
    t.string('workflow_id', 100).notNullable();
    t.primary(['holder', 'workflow_id']);
  });
  const backfill = `insert into holder_workflows (holder, workflow_id)
    select distinct k.holder, i.workflow_id from (
      select 'u:' || assignee_id as holder, instance_id from tasks where assignee_id is not null
      union select 'u:' || completed_by, instance_id from tasks where completed_by is not null
      union select 'r:' || role || '@' || coalesce(org_id, ''), instance_id from tasks where assignee_id is null and role is not null
    ) k join instances i on i.id = k.instance_id`;
  if (db.client.config.client === 'pg') {
    await db.raw(backfill);
    await db.raw(`create function lvz_note_holders() returns trigger language plpgsql as $$
      begin
        insert into holder_workflows (holder, workflow_id) ${NOTE} on conflict do nothing;
        return null;
      end $$`);
    await db.raw(`create trigger tasks_holders_ins after insert on tasks for each row execute function lvz_note_holders()`);
    await db.raw(`create trigger tasks_holders_upd after update of assignee_id, completed_by, role, org_id on tasks for each row execute function lvz_note_holders()`);
    return;
  }
  await db.raw(backfill);
  const body = `insert or ignore into holder_workflows (holder, workflow_id) ${NOTE};`;
  await db.raw(`create trigger tasks_holders_ins after insert on tasks begin ${body} end`);
  await db.raw(`create trigger tasks_holders_upd after update of assignee_id, completed_by, role, org_id on tasks begin ${body} end`);
}

async function down(db: Knex): Promise<void> {
  await db.raw('drop trigger if exists tasks_holders_upd' + (db.client.config.client === 'pg' ? ' on tasks' : ''));
  await db.raw('drop trigger if exists tasks_holders_ins' + (db.client.config.client === 'pg' ? ' on tasks' : ''));
  if (db.client.config.client === 'pg') await db.raw('drop function if exists lvz_note_holders()');
  await db.schema.dropTableIfExists('holder_workflows');
}

export const holderWorkflows: Migration = { up, down };
