// expr-sites.ts: the CEL a group step holds: its selector's district or list, and its completion rule.

import { type Selector } from '../../model/selector.ts';

/** Each expression and the JSON pointer of where it is written (`path`: the group's own). */
export function groupExprSites(to: Selector, completeExpr: string, path: string): { source: string; path: string }[] {
  const out: { source: string; path: string }[] = [{ source: completeExpr, path: `${path}/complete_when` }];
  if ('each' in to) out.push({ source: to.each, path: `${path}/to/each` });
  else if ('role' in to && to.district) out.push({ source: to.district, path: `${path}/to/district` });
  else if ('deputies' in to && to.deputies.district) out.push({ source: to.deputies.district, path: `${path}/to/deputies/district` });
  else if ('orgs' in to && to.orgs.district) out.push({ source: to.orgs.district, path: `${path}/to/orgs/district` });
  return out;
}
