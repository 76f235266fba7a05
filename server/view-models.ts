// view-models.ts: small shapes the pages place as they are (deadline text, pager links), worked out
// here so templates stay free of arithmetic.

import { COUNT_CAP } from '../engine/runtime/types.ts';
import { formatDateTime, type Renderer } from './render.ts';

export interface DeadlineView {
  text: string;
  isOverdue: boolean;
  isSoon: boolean;
  dueAt?: string;
  /** Counted on weekdays into a year the holiday calendar lacks: the page says 暂按工作日估算. */
  provisional?: boolean;
}

/** 剩余N个工作日 / 今日到期 / 已逾期N个工作日; undefined when there is no deadline. */
export function deadlineView(
  t: Renderer['t'],
  d: { dueAt?: string; workingDaysLeft?: number; isOverdue: boolean; provisional?: true },
): DeadlineView | undefined {
  const v = deadlineText(t, d);
  return v && d.provisional ? { ...v, provisional: true } : v;
}

function deadlineText(t: Renderer['t'], d: { dueAt?: string; workingDaysLeft?: number; isOverdue: boolean }): DeadlineView | undefined {
  if (!d.dueAt && d.workingDaysLeft === undefined && !d.isOverdue) return undefined;
  const left = d.workingDaysLeft;
  if (d.isOverdue || (left !== undefined && left < 0)) {
    const n = left === undefined ? undefined : Math.max(1, -left);
    const text = n === undefined ? t('deadline.overdueNoCount') : t('deadline.overdue', { n });
    return { text, isOverdue: true, isSoon: false, dueAt: d.dueAt };
  }
  // Only a date is known (open tasks of an instance): say "by <date>" rather than count.
  if (left === undefined) return { text: t('deadline.until', { date: formatDateTime(d.dueAt, false) }), isOverdue: false, isSoon: false };
  if (left === 0) return { text: t('deadline.today'), isOverdue: false, isSoon: true, dueAt: d.dueAt };
  return { text: t('deadline.left', { n: left }), isOverdue: false, isSoon: left <= 3, dueAt: d.dueAt };
}

/** A count as office systems show one: the number, or `999+` (cap 1,000) once it reached the cap. */
export function countText(n: number, cap = COUNT_CAP, isCapped = n >= cap): string {
  return isCapped ? `${n - 1}+` : String(n);
}

export interface Pager {
  page: number;
  /** Pages known so far (all of them unless capped). */
  pages: number;
  total: number;
  /** The count stopped at the cap; the texts then read `50+` / `999+` (共 999+ 条). */
  isCapped: boolean;
  pagesText: string;
  totalText: string;
  hasPages: boolean;
  prevHref?: string;
  nextHref?: string;
}

/** Links keep every other query value (list, q, filters), so paging never loses the search. */
/**
 * A capped total (999+) still pages by offset: the last known page grows with the page the
 * viewer is on, and 下一页 shows while the current page came back full.
 */
export function pager(base: string, query: Record<string, string | undefined>, p: { page: number; pageSize: number; total: number; isCapped?: boolean; items?: unknown[] }): Pager {
  const isCapped = p.isCapped ?? false;
  const known = Math.max(1, Math.ceil(p.total / p.pageSize));
  const pages = isCapped ? Math.max(known, p.page) : known;
  const hasNext = isCapped ? p.page < known || (p.items ? p.items.length >= p.pageSize : true) : p.page < pages;
  const href = (page: number) => {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v) qs.set(k, v);
    if (page > 1) qs.set('page', String(page));
    const s = qs.toString();
    return s ? `${base}?${s}` : base;
  };
  return {
    page: p.page,
    pages,
    total: p.total,
    isCapped,
    pagesText: isCapped ? `${pages}+` : String(pages),
    totalText: countText(p.total, p.total, isCapped),
    hasPages: pages > 1,
    prevHref: p.page > 1 ? href(Math.min(p.page - 1, pages)) : undefined,
    nextHref: hasNext ? href(p.page + 1) : undefined,
  };
}

export interface DemoAccountView {
  username: string;
  name: string;
  org: string;
  /** The login page again with this user name filled in (and the page's `next` kept): no script needed. */
  href: string;
  /** Only when the accounts do not all share one password (then the intro gives it once). */
  password?: string;
}

export interface DemoAccountsView {
  /** One per role, in the engine's order (the main accounts first): its main accounts shown, the rest folded. */
  groups: { role: string; main: DemoAccountView[]; more: DemoAccountView[] }[];
  /** The password every demo account shares, said once above the list. */
  password?: string;
}

/** The login page's demo accounts, grouped by role so that a phone shows one short line per role. */
export function demoAccountsView(
  accounts: { username: string; password: string; name: string; role: string; org: string; isMain?: boolean }[],
  next: string,
): DemoAccountsView {
  const shared = accounts.length > 0 && accounts.every((a) => a.password === accounts[0]!.password) ? accounts[0]!.password : undefined;
  const groups = new Map<string, { role: string; main: DemoAccountView[]; more: DemoAccountView[] }>();
  for (const a of accounts) {
    const query = new URLSearchParams({ username: a.username, ...(next !== '/inbox' && { next }) });
    const view: DemoAccountView = { username: a.username, name: a.name, org: a.org, href: `/login?${query}#password`, ...(!shared && { password: a.password }) };
    let group = groups.get(a.role);
    if (!group) groups.set(a.role, group = { role: a.role, main: [], more: [] });
    // A role with no main account shows its first one.
    (a.isMain !== false || group.main.length === 0 ? group.main : group.more).push(view);
  }
  return { groups: [...groups.values()], ...(shared && { password: shared }) };
}
