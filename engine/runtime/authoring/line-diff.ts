// line-diff.ts: two versions' texts as a line diff (jsdiff's diffLines), numbered, both unified and
// side by side (a removed block faces the added block that replaced it).

import { diffLines } from 'diff';
import type { DiffLine, DiffRow, DiffView } from './types.ts';

function linesOf(value: string): string[] {
  const lines = value.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function lineDiff(oldText: string, newText: string, from: number, to: number): DiffView {
  const unified: DiffLine[] = [];
  let oldNo = 0;
  let newNo = 0;
  for (const part of diffLines(oldText, newText)) {
    for (const text of linesOf(part.value)) {
      if (part.added) unified.push({ kind: 'add', newNo: ++newNo, text });
      else if (part.removed) unified.push({ kind: 'del', oldNo: ++oldNo, text });
      else unified.push({ kind: 'same', oldNo: ++oldNo, newNo: ++newNo, text });
    }
  }
  return {
    from, to, unified, split: sideBySide(unified),
    added: unified.filter((l) => l.kind === 'add').length,
    removed: unified.filter((l) => l.kind === 'del').length,
  };
}

function sideBySide(lines: DiffLine[]): DiffRow[] {
  const rows: DiffRow[] = [];
  let i = 0;
  while (i < lines.length) {
    const l = lines[i]!;
    if (l.kind === 'same') {
      rows.push({ left: { no: l.oldNo!, text: l.text, kind: 'same' }, right: { no: l.newNo!, text: l.text, kind: 'same' } });
      i++;
      continue;
    }
    const dels: DiffLine[] = [];
    const adds: DiffLine[] = [];
    while (i < lines.length && lines[i]!.kind === 'del') dels.push(lines[i++]!);
    while (i < lines.length && lines[i]!.kind === 'add') adds.push(lines[i++]!);
    for (let k = 0; k < Math.max(dels.length, adds.length); k++) {
      const d = dels[k];
      const a = adds[k];
      rows.push({
        ...(d && { left: { no: d.oldNo!, text: d.text, kind: 'del' as const } }),
        ...(a && { right: { no: a.newNo!, text: a.text, kind: 'add' as const } }),
      });
    }
  }
  return rows;
}
