// migrations/index.ts: every schema migration, in order. Add a file and a line; never edit a
// published migration.

import type { Migration } from './migration.ts';
import { directory } from './001_directory.ts';
import { processes } from './002_process.ts';
import { studio } from './003_studio.ts';
import { inboxIndexes } from './004_inbox_indexes.ts';
import { involvementIndex } from './005_involvement_index.ts';
import { holderIndexes } from './006_holder_indexes.ts';
import { holderWorkflows } from './007_holder_workflows.ts';
import { coveringInboxIndexes } from './008_covering_inbox_indexes.ts';
import { timerFailures } from './009_timer_failures.ts';
import { loginFailures } from './010_login_failures.ts';
import { idempotency } from './011_idempotency.ts';
import { authLimits } from './012_auth_limits.ts';
import { uploadQuota } from './013_upload_quota.ts';
import { provisionalDeadlines } from './014_provisional_deadlines.ts';
import { newProcesses } from './015_new_processes.ts';
import { installMode } from './016_install_mode.ts';
import { directoryData } from './017_directory_data.ts';
import { instanceNumbers } from './018_instance_numbers.ts';
import { returnedTasks } from './019_returned_tasks.ts';
import { groupSteps } from './020_group_steps.ts';
import { spawnChildren } from './022_spawn_children.ts';
import { ballots } from './021_ballots.ts';
import { ballotScreens } from './023_ballot_screens.ts';
import { roleInboxOrder } from './024_role_inbox_order.ts';

export type { Migration } from './migration.ts';

export const migrations: Record<string, Migration> = {
  '001_directory': directory,
  '002_process': processes,
  '003_studio': studio,
  '004_inbox_indexes': inboxIndexes,
  '005_involvement_index': involvementIndex,
  '006_holder_indexes': holderIndexes,
  '007_holder_workflows': holderWorkflows,
  '008_covering_inbox_indexes': coveringInboxIndexes,
  '009_timer_failures': timerFailures,
  '010_login_failures': loginFailures,
  '011_idempotency': idempotency,
  '012_auth_limits': authLimits,
  '013_upload_quota': uploadQuota,
  '014_provisional_deadlines': provisionalDeadlines,
  '015_new_processes': newProcesses,
  '016_install_mode': installMode,
  '017_directory_data': directoryData,
  '018_instance_numbers': instanceNumbers,
  '019_returned_tasks': returnedTasks,
  '020_group_steps': groupSteps,
  '022_spawn_children': spawnChildren,
  '021_ballots': ballots,
  '023_ballot_screens': ballotScreens,
  '024_role_inbox_order': roleInboxOrder,
};
