// group-answers.ts: the answers of `for_each` groups (data.<group>: one entry per task, e.g. each
// 协办单位's opinion) as read-only sections under the record, limited to the fields the viewer may
// read. The pages place this model as it is.

import type { CompiledWorkflow } from '../dsl/types.ts';
import { buildFormModel } from '../forms/model.ts';
import type { DirectoryOptions, FieldModel } from '../forms/types.ts';
import type { TaskRow } from '../store/process/index.ts';
import type { GroupAnswers } from './types.ts';
import type { Names, RuntimeContext } from './runtime-context.ts';
import { stepForm } from './step-input.ts';

export interface AnswersViewer {
  /** Fields the viewer may read at this point (the instance page's or the step's read set). */
  read: ReadonlySet<string>;
  roles: readonly string[];
}

interface Entry { task?: unknown; item?: unknown; by?: unknown; [field: string]: unknown }

function isBlank(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/** The org a for_each ran over (its item), else the person; ids the directory lacks are shown as they are. */
function nameOf(e: Entry, names: Names): string {
  const item = typeof e.item === 'string' ? e.item : undefined;
  const by = typeof e.by === 'string' ? e.by : undefined;
  return (item && (names.org.get(item) ?? names.user.get(item))) || (by && names.user.get(by)) || item || by || '';
}

/**
 * Fields only for_each groups fill in (co_opinion): their answers live in data.<group>, never in
 * the record itself, so a step that reads them shows the group sections rather than a blank field.
 */
export function perItemFields(wf: CompiledWorkflow): Set<string> {
  const perItem = new Set<string>();
  const single = new Set<string>();
  for (const s of Object.values(wf.def.states)) {
    for (const g of s.tasks) for (const f of g.fields.edit) (g.for_each ? perItem : single).add(f);
  }
  for (const f of single) perItem.delete(f);
  return perItem;
}

export function groupAnswers(
  rc: RuntimeContext, wf: CompiledWorkflow, data: Record<string, unknown>, tasks: TaskRow[],
  ctx: { names: Names; dir: DirectoryOptions; viewer: AnswersViewer },
): GroupAnswers[] {
  const out: GroupAnswers[] = [];
  const seen = new Set<string>();
  for (const s of Object.values(wf.def.states)) {
    for (const g of s.tasks) {
      const list = data[g.id];
      if (!g.for_each || seen.has(g.id) || !Array.isArray(list) || list.length === 0) continue;
      seen.add(g.id);
      const fields = new Set(g.fields.edit.filter((f) => ctx.viewer.read.has(f)));
      if (fields.size === 0) continue;
      const form = stepForm(rc, wf, g);
      const hidden = g.anonymous_to.some((r) => ctx.viewer.roles.includes(r));
      const answers = (list as Entry[]).flatMap((e) => {
        const models: FieldModel[] = buildFormModel(form, e, { edit: new Set(), read: fields }, [], ctx.dir).fields.filter((f) => !isBlank(f.value));
        if (models.length === 0) return [];
        const task = tasks.find((t) => t.id === e.task);
        const name = hidden ? '匿名' : nameOf(e, ctx.names);
        const by = !hidden && typeof e.by === 'string' ? ctx.names.user.get(e.by) : undefined;
        return [{ name, ...(by && by !== name && { byName: by }), ...(task?.completedAt && { at: task.completedAt }), fields: models }];
      });
      if (answers.length > 0) out.push({ group: g.id, title: g.title ?? s.title, answers });
    }
  }
  return out;
}
