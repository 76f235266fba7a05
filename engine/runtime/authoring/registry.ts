// registry.ts: keep the in-memory compiled definitions in step with the `definitions` table. A
// publish installs its version at once in this process; other processes (several servers on one
// PostgreSQL) notice it through refreshRegistry(), which compares the newest version numbers (one
// small query per kind) before anything is started.

import { compileWorkflow } from '../../dsl/compile.ts';
import type { CompiledWorkflow } from '../../dsl/types.ts';
import { compileForm } from '../../forms/compile.ts';
import type { CompiledForm } from '../../forms/types.ts';
import { definitionVersions, latestVersions } from '../../store/process/index.ts';
import type { RuntimeContext } from '../runtime-context.ts';
import { noteUnloadable } from '../definitions.ts';

export function installWorkflow(rc: RuntimeContext, wf: CompiledWorkflow): void {
  const { id, version } = wf.def;
  rc.registry.workflows.set(`${id}@${version}`, wf);
  if ((rc.registry.latest.get(id)?.def.version ?? 0) <= version) rc.registry.latest.set(id, wf);
}

/** One version of a form runs: the newest. */
export function installForm(rc: RuntimeContext, form: CompiledForm): void {
  if ((rc.registry.forms.get(form.def.id)?.def.version ?? 0) <= form.def.version) rc.registry.forms.set(form.def.id, form);
}

export async function refreshRegistry(rc: RuntimeContext): Promise<void> {
  for (const [id, v] of await latestVersions(rc.db, 'form')) {
    if ((rc.registry.forms.get(id)?.def.version ?? 0) >= v) continue;
    const row = (await definitionVersions(rc.db, 'form', id)).pop()!;
    const r = compileForm(row.text, `definitions:${id}@${row.version}`);
    if (r.ok) installForm(rc, r.form);
    else noteUnloadable(rc.registry, 'form', `${id}@${row.version}`, r.errors);
  }
  for (const [id, v] of await latestVersions(rc.db, 'workflow')) {
    if ((rc.registry.latest.get(id)?.def.version ?? 0) >= v) continue;
    for (const row of await definitionVersions(rc.db, 'workflow', id)) {
      if (rc.registry.workflows.has(`${id}@${row.version}`)) continue;
      const r = compileWorkflow(row.text, `definitions:${id}@${row.version}`, { forms: rc.registry.forms });
      if (r.ok) installWorkflow(rc, r.workflow);
      else noteUnloadable(rc.registry, 'workflow', `${id}@${row.version}`, r.errors);
    }
  }
}
