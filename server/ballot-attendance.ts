// ballot-attendance.ts: the chair's 签到 list at the scale of a congress (6,007 deputies): counts first
// (应到 / 已签到 / 未签到, each a filter), a search by name or unit, and 50 names a page. The query is plain
// GET (`q`, `show`, `page`) so it works without script; with htmx the search swaps only the list
// (GET …/attendance, fragments/ballot-attendance). The engine decides who may sign whom in.

import type { BallotMember, BallotView } from '../engine/runtime/types.ts';
import { pageNumber, textOf } from './form-post.ts';
import { ballotUrl } from './ballot-view.ts';
import { pager } from './view-models.ts';

type T = (key: string, params?: Record<string, unknown>) => string;

export const ATTENDANCE_PAGE = 50;

export type AttendanceShow = '' | 'present' | 'absent';

/** What the chair asked to see: a search text, 已签到 / 未签到 only, and a page. */
export interface AttendanceQuery {
  q: string;
  show: AttendanceShow;
  page: number;
}

/** From a GET query or a posted form (the 签到 form carries the list's query back, to return to it). */
export function attendanceQuery(v: Record<string, unknown> | undefined): AttendanceQuery {
  const show = textOf(v?.show, 10);
  return { q: textOf(v?.q, 100), show: show === 'present' || show === 'absent' ? show : '', page: pageNumber(v?.page) };
}

/** The members the query selects, on every page: what 全部签到 signs in when a search or filter is on. */
export function matchingMembers(all: readonly BallotMember[], query: Pick<AttendanceQuery, 'q' | 'show'>): BallotMember[] {
  const needle = query.q.toLowerCase();
  return all.filter((m) => (query.show === '' || m.present === (query.show === 'present'))
    && (needle === '' || `${m.name} ${m.org ?? ''}`.toLowerCase().includes(needle)));
}

/** The page's own address with the query (for links, the redirect after saving and htmx's address bar). */
export function attendanceHref(ballotId: string, query: AttendanceQuery, anchor = '#attendance'): string {
  const qs = new URLSearchParams();
  if (query.q) qs.set('q', query.q);
  if (query.show) qs.set('show', query.show);
  if (query.page > 1) qs.set('page', String(query.page));
  const s = qs.toString();
  return `${ballotUrl(ballotId)}${s ? `?${s}` : ''}${anchor}`;
}

/** The 签到 section's model: counts, the search, one page of names, the pager and what 全部签到 will do. */
export function attendanceModel(t: T, view: BallotView, query: AttendanceQuery, csrfToken: string) {
  const all = view.electorate ?? [];
  const present = all.filter((m) => m.present).length;
  const matched = matchingMembers(all, query);
  const pages = Math.max(1, Math.ceil(matched.length / ATTENDANCE_PAGE));
  // Saving on the last page of 未签到 can empty it: show the last page that is left.
  const page = Math.min(query.page, pages);
  const shown = matched.slice((page - 1) * ATTENDANCE_PAGE, page * ATTENDANCE_PAGE);
  const isFiltered = query.q !== '' || query.show !== '';
  const absentMatched = matched.filter((m) => !m.present).length;
  // A count lists exactly what it counts: the whole electorate, no search.
  const link = (show: AttendanceShow) => attendanceHref(view.ballotId, { q: '', show, page: 1 });
  const p = pager(ballotUrl(view.ballotId), { q: query.q, show: query.show }, { page, pageSize: ATTENDANCE_PAGE, total: matched.length });
  return {
    ballotId: view.ballotId,
    csrfToken,
    listUrl: ballotUrl(view.ballotId, '/attendance'),
    counts: [
      { label: t('ballot.console.countMembers'), value: all.length, href: link(''), isCurrent: query.show === '' },
      { label: t('ballot.console.countPresent'), value: present, href: link('present'), isCurrent: query.show === 'present' },
      { label: t('ballot.console.countAbsent'), value: all.length - present, href: link('absent'), isCurrent: query.show === 'absent' },
    ],
    q: query.q,
    shows: (['', 'absent', 'present'] as const).map((value) => ({ value, label: t(`ballot.console.show.${value || 'all'}`), isSelected: value === query.show })),
    show: query.show,
    page,
    members: shown.map((m) => ({ ...m, id: `m-${m.userId}` })),
    shownText: matched.length === 0 ? t('ballot.console.attendanceNone')
      : t('ballot.console.attendanceShown', { total: matched.length, from: (page - 1) * ATTENDANCE_PAGE + 1, to: (page - 1) * ATTENDANCE_PAGE + shown.length }),
    hasMembers: shown.length > 0,
    // 全部签到 signs in everyone the query selects, on every page; nothing to do when all are in.
    hasAll: absentMatched > 0,
    allText: isFiltered ? t('ballot.console.attendanceAllShown', { n: absentMatched }) : t('ballot.console.attendanceAll', { n: absentMatched }),
    pager: { ...p, prevHref: p.prevHref && `${p.prevHref}#attendance`, nextHref: p.nextHref && `${p.nextHref}#attendance` },
  };
}
