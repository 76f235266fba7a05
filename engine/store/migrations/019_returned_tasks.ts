// 019_returned_tasks.ts: a task made by a 退回 (send-back) says so on its row (`returned`), so 待办
// marks it 退回 from the row it already reads, with no look into the history per row (issue 14).
// The runtime sets it on the tasks of the step a return re-enters (actions.ts, returnTask). Open
// tasks made by a return before this migration are found once here: the latest move into their
// step at or before the task was made is a `task.returned` event.

import type { Knex } from 'knex';
import type { Migration } from './migration.ts';

async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('tasks', (t) => {
    t.boolean('returned').notNullable().defaultTo(false);
  });
  await db.raw(`update tasks set returned = ? where status in ('open', 'waiting') and kind = 'task' and (
    select e.type from events e
    where e.instance_id = tasks.instance_id and e.to_state = tasks.state and (e.from_state is null or e.from_state <> tasks.state)
      and e.at <= tasks.created_at
    order by e.seq desc limit 1
  ) = 'task.returned'`, [true]);
}

async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('tasks', (t) => {
    t.dropColumn('returned');
  });
}

export const returnedTasks: Migration = { up, down };
