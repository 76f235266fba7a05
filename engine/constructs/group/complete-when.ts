// complete-when.ts: a group step's `complete_when` as one CEL expression over its running counts.
// The words stay as sugar: all (会签), any (或签), { count: N } and { ratio: r } (票签 on the first
// outcome, or once everyone answered); any other string is the expression itself.

/** The expression for `complete_when` of group `id`, whose first outcome is `first`. */
export function completeExpr(id: string, raw: unknown, first: string): string {
  const t = `tally.${id}`;
  if (raw === undefined || raw === 'all') return `${t}.open == 0`;
  if (raw === 'any') return `${t}.done >= 1`;
  if (typeof raw === 'string') return raw;
  const o = raw as { count?: number; ratio?: number };
  // Counts reach CEL as doubles: the ratio is compared in doubles, as isGroupComplete's ceil(r·n) would.
  if (o.count !== undefined) return `${t}.${first} >= ${o.count} || ${t}.open == 0`;
  const r = Number(o.ratio);
  return `${t}.${first} >= ${t}.total * ${Number.isInteger(r) ? r.toFixed(1) : String(r)} || ${t}.open == 0`;
}

/** The counts as `tally.<id>` sees them: total, open, done and one per outcome id. */
export function tallyOf(outcomes: readonly { id: string }[], c: { total: number; open: number; done: number; outcomes: number[] }): Record<string, number> {
  const row: Record<string, number> = { total: c.total, open: c.open, done: c.done };
  outcomes.forEach((o, i) => { row[o.id] = c.outcomes[i] ?? 0; });
  return row;
}
