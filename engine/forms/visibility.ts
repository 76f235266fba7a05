// visibility.ts: which fields visible_when shows for some data, and that data with hidden values dropped.
//
// Repeated until nothing changes: hiding one field can hide another whose condition reads it. All passes
// together run under one budget (MAX_OPERATION_STEPS): a page render never evaluates without end.

import { asOneOperation, isTrue } from '../expr/index.ts';
import type { CompiledForm } from './types.ts';

export interface Visibility {
  /** false for fields whose visible_when does not hold; fields without one are absent (always visible). */
  visible: Map<string, boolean>;
  /** The data with hidden fields' values removed. */
  data: Record<string, unknown>;
}

export function evaluateVisibility(form: CompiledForm, data: Record<string, unknown>): Visibility {
  return asOneOperation(() => visibilityOf(form, data), `表单“${form.def.title}”的显示条件`);
}

function visibilityOf(form: CompiledForm, data: Record<string, unknown>): Visibility {
  const merged: Record<string, unknown> = { ...data };
  const visible = new Map<string, boolean>();
  for (let pass = 0; pass <= form.visible.size; pass++) {
    let changed = false;
    for (const [name, expr] of form.visible) {
      const isVisible = isTrue(expr, { data: merged });
      visible.set(name, isVisible);
      if (!isVisible && merged[name] !== undefined) {
        delete merged[name];
        changed = true;
      }
    }
    if (!changed) break;
  }
  return { visible, data: merged };
}
