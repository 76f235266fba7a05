// ballot-view.ts: the render models of the ballot pages (表决): one ballot's cast form by kind, what the
// voter is told about where they stand, the chair's console, and the result. Templates only place them.
//
// Everything here offers; the engine decides (who may vote, sign in, open, close; what a cast may be).

import type { FastifyRequest } from 'fastify';
import type { Actor, BallotView, BallotSummary } from '../engine/runtime/types.ts';
import { resultSheet, choiceLabel, type ResultSheet } from './ballot-sheet.ts';
import { formatDateTime } from './render.ts';

type T = (key: string, params?: Record<string, unknown>) => string;

export function ballotUrl(id: string, tail = ''): string {
  return `/ballots/${encodeURIComponent(id)}${tail}`;
}

/** A sitting's 投屏 link (no login; the token is the engine's). */
export function screenUrl(id: string, token: string, tail = ''): string {
  return `/screen/${encodeURIComponent(id)}/${encodeURIComponent(token)}${tail}`;
}

/** A refused cast: the message, and what was ticked or typed, kept. */
export interface CastFailure {
  ballotId: string;
  message: string;
  choice: string[];
}

/** The ballot's title on its pages: an item's title (an appointee), else the step's. */
export function ballotTitle(b: BallotSummary): string {
  return b.itemTitle ?? b.stepTitle;
}

/** The cast form of one ballot: radios, a score box or checkboxes, each a big box to tap. */
export function castForm(t: T, view: BallotView, failed?: CastFailure) {
  const id = view.ballotId;
  const kept = failed?.ballotId === id ? failed.choice : [];
  const error = failed?.ballotId === id ? failed.message : undefined;
  const q = view.question;
  const base = {
    ballotId: id, action: ballotUrl(id, '/cast'), fieldId: `c-${id}`, error, errorId: `c-${id}-error`,
    note: view.secret ? t('ballot.cast.secretNote') : t('ballot.cast.namedNote'),
  };
  if (q.kind === 'score') {
    const stepText = q.step !== 1 ? t('ballot.cast.scoreStep', { step: q.step }) : '';
    return { ...base, isScore: true, min: q.min, max: q.max, step: q.step, value: kept[0] ?? '', hint: t('ballot.cast.scoreHint', { min: q.min, max: q.max, stepText }) };
  }
  const items = q.options.map((o, i) => ({ id: i === 0 ? base.fieldId : `${base.fieldId}-${i}`, value: o.value, label: o.label, checked: kept.includes(o.value) }));
  if (q.kind === 'choose') {
    const max = q.exactly ?? q.upTo ?? q.options.length;
    const hint = q.exactly !== undefined ? t('ballot.cast.chooseExactly', { n: q.exactly }) : t('ballot.cast.chooseUpTo', { n: max });
    return { ...base, isMulti: true, items, hint, max, countLabel: t('ballot.cast.chooseCount'), isMany: items.length > 4 };
  }
  return { ...base, isSingle: true, items, hint: t(q.kind === 'rating' ? 'ballot.cast.ratingHint' : 'ballot.cast.forAgainstHint'), isMany: items.length > 4 };
}

/** What the viewer is told instead of (or beside) a form: voted, not signed in, not in the electorate, not open, closed. */
function standing(t: T, view: BallotView, actor: Actor) {
  const you = view.you;
  if (you.hasVoted) {
    const mine = view.casts?.find((c) => c.userId === actor.userId);
    if (mine) return { kind: 'voted', text: t('ballot.cast.alreadyVotedNamed', { choice: choiceText(t, view, mine.choice) }) };
    return { kind: 'voted', text: t('ballot.cast.alreadyVoted'), hint: t('ballot.cast.alreadyVotedHint') };
  }
  if (view.status === 'closed') return you.isMember ? { kind: 'closed', text: t('ballot.cast.closed') } : undefined;
  if (!you.isMember) return you.mayChair ? undefined : { kind: 'outside', text: t('ballot.cast.notEligible') };
  if (view.status === 'draft') return { kind: 'draft', text: you.isPresent ? t('ballot.cast.notOpen') : t('ballot.cast.notPresent') };
  if (!you.isPresent) return { kind: 'absent', text: t('ballot.cast.notPresent') };
  return undefined;
}

/** A named cast as the page names it: 赞成, a scale value, a score, or the options joined with 、. */
export function choiceText(t: T, view: Pick<BallotView, 'kind'>, choice: string | number | string[]): string {
  if (Array.isArray(choice)) return choice.length > 0 ? choice.join('、') : t('ballot.result.blank');
  return choiceLabel(t, view.kind, String(choice));
}

/** A named ballot's casts by name, as the page and the printed sheet list them. */
function namedOf(t: T, view: BallotView): { name: string; choice: string }[] | undefined {
  return view.casts?.map((c) => ({ name: c.name, choice: choiceText(t, view, c.choice) }));
}

/**
 * The result sheet of a counted ballot; `withNamed`: a named ballot's record voter by voter (the
 * printed 表决结果 and its .xlsx), never on the 投屏, which a room reads.
 */
export function sheetOf(t: T, view: BallotView, withNamed = false): ResultSheet | undefined {
  if (!view.tally) return undefined;
  const named = withNamed && !view.secret ? namedOf(t, view) : undefined;
  return resultSheet(t, {
    title: ballotTitle(view), tally: view.tally, seal: view.seal ?? null, closedAt: formatDateTime(view.closedAt),
    quorum: view.quorum, pass: view.pass, secret: view.secret, ...(named && { named }),
  });
}

/** One ballot of the page: its title, facts, the form or what stands instead, and the result once shown. */
export function ballotModel(t: T, actor: Actor, view: BallotView, failed?: CastFailure) {
  const sheet = sheetOf(t, view);
  return {
    view,
    title: ballotTitle(view),
    statusText: t(`ballot.statuses.${view.status}`),
    form: view.you.mayVote ? castForm(t, view, failed) : undefined,
    standing: standing(t, view, actor),
    sheet,
    // Named ballots list each voter's choice once the count is shown.
    named: sheet ? namedOf(t, view) : undefined,
  };
}

/** The chair's console: 签到 (its list is attendanceModel's, ballot-attendance.ts), 开始表决 with what it freezes, 结束表决. */
export function consoleModel(request: FastifyRequest, view: BallotView, closeError?: { message: string; reason: string }) {
  const t = request.server.renderer.t;
  const left = view.present - view.castCount;
  return {
    ballotId: view.ballotId,
    csrfToken: request.csrfToken,
    isDraft: view.status === 'draft',
    isOpen: view.status === 'open',
    isClosed: view.status === 'closed',
    presentText: t('ballot.console.presentCount', { present: view.present, members: view.members }),
    freezes: t('ballot.console.openFreezes', { members: view.members, present: view.present }),
    quorumText: view.quorumMet ? t('ballot.console.openQuorumMet') : t('ballot.console.openQuorumNotMet', { quorum: t(`ballot.quorum.${view.quorum}`) }),
    quorumMet: view.quorumMet,
    isEarly: left > 0,
    earlyText: t('ballot.console.closeEarlyHint', { left }),
    closeError,
  };
}

/** The facts line every ballot page shows: 表决方式, 应到, 实到, 已投, 状态. */
export function factsOf(t: T, view: BallotSummary) {
  return [
    { label: t('ballot.facts.mode'), value: view.secret ? t('ballot.secret') : t('ballot.named') },
    { label: t('ballot.facts.members'), value: view.members },
    { label: t('ballot.facts.present'), value: view.present },
    { label: t('ballot.facts.cast'), value: view.castCount },
    // The deadline (`closes: { after }`) that will close it, once it runs.
    ...(view.status === 'open' && view.closesAt ? [{ label: t('ballot.facts.closesAt'), value: formatDateTime(view.closesAt) }] : []),
  ];
}

/** Links to ballots (an instance's, or a member's open ones in 待办): one per sitting, the first ballot of each. */
export function ballotLinks(t: T, ballots: BallotSummary[]) {
  const seen = new Set<string>();
  return ballots.filter((b) => !seen.has(b.setId) && seen.add(b.setId)).map((b) => ({
    href: ballotUrl(b.ballotId),
    title: b.itemIndex !== undefined ? b.stepTitle : ballotTitle(b),
    caption: b.instanceTitle,
    statusText: t(`ballot.statuses.${b.status}`),
    isOpen: b.status === 'open',
  }));
}
