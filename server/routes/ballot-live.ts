// ballot-live.ts: 投屏, the meeting room's full-screen view of a ballot (or a sitting of one ballot per
// item): title, 应到 / 实到 / 已投, status; the result only when the engine hands it over (after close, or
// live on a named ballot with `results: live`), with the seal's 校验码.
//
// It updates without reload through server-sent events (live-hub.ts: one poll of the engine's cheap
// counts per ballot, about a second, shared by every screen watching it, stopped once the sitting is
// closed or its last screen leaves); without script the page reloads itself every few seconds (a
// <noscript> meta refresh). `app.liveHub` tells how many streams and polls there are.

import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { isLvzError, LvzError } from '../../engine/errors.ts';
import type { BallotCounts, BallotView, Engine } from '../../engine/runtime/types.ts';
import { ballotTitle, ballotUrl, screenUrl, sheetOf } from '../ballot-view.ts';
import { createLiveHub } from '../live-hub.ts';
import type { Renderer } from '../render.ts';
import { requireActor } from '../session.ts';
import { sittingOf } from './ballots.ts';

type IdParams = { Params: { id: string } };
type ScreenParams = { Params: { id: string; token: string } };

export const LIVE_POLL_MS = 1000;
export const LIVE_HEARTBEAT_MS = 15_000;
/** Without script: how often the page reloads itself. */
const NO_SCRIPT_REFRESH_S = 5;

/** A view brought up to date with a poll's counts (the rest of the view does not change while open). */
function withCounts(view: BallotView, c: BallotCounts): BallotView {
  const { tally: _old, ...rest } = view;
  return { ...rest, status: c.status, members: c.members, present: c.present, castCount: c.castCount, quorumMet: c.quorumMet, ...(c.tally && { tally: c.tally }) };
}

/** The panel's model: the same for every screen of the ballot, so it is rendered once per change. */
export function livePanel(t: Renderer['t'], views: BallotView[]) {
  const main = views[0]!;
  const isItems = main.itemIndex !== undefined;
  const status = main.status;
  const anyShown = views.some((v) => v.tally);
  return {
    title: isItems ? main.stepTitle : ballotTitle(main),
    caption: main.instanceTitle,
    status,
    statusText: t(status === 'draft' ? 'ballot.live.waiting' : status === 'open' ? 'ballot.live.voting' : 'ballot.live.closed'),
    counts: [
      { label: t('ballot.facts.members'), value: main.members },
      { label: t('ballot.facts.present'), value: main.present },
      // A sitting's items share 应到 and 实到; 已投 is each item's, listed below.
      { label: t('ballot.facts.cast'), value: isItems ? Math.min(...views.map((v) => v.castCount)) : main.castCount },
    ],
    hasResults: anyShown,
    hiddenNote: status === 'open' && !anyShown ? t('ballot.live.hidden') : undefined,
    isItems,
    grid: isItems ? itemsGrid(t, views) : undefined,
    items: views.map((v) => {
      const sheet = sheetOf(t, v);
      return { title: ballotTitle(v), index: v.itemIndex, castCount: v.castCount, present: v.present, sheet, code: v.seal?.code, head: v.seal?.head };
    }),
  };
}

/**
 * A sitting's results as one table, one row per item (an appointee) and one column per choice, so ten
 * appointees fit one screen: 满意 6（75.0%）. Only once every item is counted and they share their choices.
 */
function itemsGrid(t: Renderer['t'], views: BallotView[]) {
  const sheets = views.map((v) => sheetOf(t, v));
  if (sheets.some((x) => !x || x.isScore)) return undefined;
  const labels = sheets[0]!.rows.map((r) => r.label);
  if (sheets.some((x) => x!.rows.map((r) => r.label).join('|') !== labels.join('|'))) return undefined;
  // Counts only (a satisfaction vote with `pass: none`): no 结论 column to repeat 只计票 in every row.
  const hasVerdict = sheets.some((x) => x!.verdict !== 'none');
  return {
    columns: [t('ballot.result.item'), ...labels, ...(hasVerdict ? [t('ballot.result.verdict')] : [])],
    rows: views.map((v, i) => ({
      title: `${v.itemIndex ?? i + 1}. ${ballotTitle(v)}`,
      cells: sheets[i]!.rows.map((r) => (r.share ? `${r.count}（${r.share}）` : String(r.count))),
      ...(hasVerdict && { verdict: sheets[i]!.verdictText, verdictKind: sheets[i]!.verdict }),
    })),
    code: views.map((v) => v.seal?.code).filter(Boolean).join(' · '),
  };
}

/**
 * What a screen's shared poll keeps: how to read (as the viewer who opened it first, or through a screen
 * link's token) and the sitting as last read.
 */
interface Watch {
  counts(ballotId: string): Promise<BallotCounts>;
  full(ballotId: string): Promise<BallotView>;
  views: BallotView[];
}

const isFinal = (views: BallotView[]): boolean => views.every((v) => v.status === 'closed');

/** A screen link's token: base64url, 22 characters; anything else is refused before the engine is asked. */
const TOKEN = /^[A-Za-z0-9_-]{22}$/;

export const ballotLiveRoutes = fp(async (app: FastifyInstance): Promise<void> => {
  const t = app.renderer.t;
  const engine: Engine = app.engine;

  const render = (views: BallotView[]) => ({ event: 'panel', data: app.renderer.fragment('fragments/ballot-live-panel', livePanel(t, views)), isFinal: isFinal(views) });

  const hub = createLiveHub<Watch>(async (_key, w) => {
    try {
      w.views = await Promise.all(w.views.map(async (v) => {
        if (v.status === 'closed') return v; // closed is final: the view (with its seal) is kept
        const c = await w.counts(v.ballotId);
        // Just closed: the seal and the sealed tally come with the full view, read once.
        return c.status === 'closed' ? w.full(v.ballotId) : withCounts(v, c);
      }));
    } catch (e) {
      // The ballot is gone (a draft dropped when its step was left), no longer visible, or the screen
      // link was changed or turned off: end the streams (the browser's reconnect then gets a 404).
      if (isLvzError(e) && e.code === 'LVZ_RUN_NOT_FOUND') return null;
      throw e;
    }
    return render(w.views);
  }, {
    pollMs: LIVE_POLL_MS,
    heartbeatMs: LIVE_HEARTBEAT_MS,
    onError: (key, error) => app.log.warn({ err: error, ballot: key }, 'live view poll failed'),
  });
  app.decorate('liveHub', hub);
  // Open streams would hold the server's close until they end: end them first.
  app.addHook('preClose', async () => hub.close());

  app.get<IdParams>('/ballots/:id/live', async (request, reply) => {
    const views = await sittingOf(engine, requireActor(request), request.params.id);
    const panel = livePanel(t, views);
    const html = app.renderer.page('ballot-live', {
      title: `${t('ballot.live.title')} · ${panel.title}`, panel, src: ballotUrl(request.params.id, '/live/events'),
      back: ballotUrl(request.params.id), bodyClass: 'live-view', refreshSeconds: NO_SCRIPT_REFRESH_S,
      pageStyles: ['/static/ballot.css'], pageScripts: ['/static/ballot.js'],
    }, { layout: 'print' });
    return reply.type('text/html; charset=utf-8').send(html);
  });

  app.get<IdParams>('/ballots/:id/live/events', async (request, reply) => {
    const actor = requireActor(request);
    const id = request.params.id;
    // Access is the engine's: a ballot the viewer may not see is a 404 here, before any stream starts.
    const views = await sittingOf(engine, actor, id);
    reply.hijack();
    // The first screen's watch starts the poll; a later one joins it (and its own read is sent first).
    hub.attach(id, reply.raw, render(views), {
      counts: (b) => engine.ballotCounts(actor, b), full: (b) => engine.ballotView(actor, b), views,
    });
  });

  // The screen link (screen.ts in the engine): the same page and stream without login, read through the
  // token; no way back to the ballot page, never cached, not indexed (the referrer stays same-origin).
  const screenViews = async (id: string, token: string) => {
    if (!TOKEN.test(token)) throw new LvzError('LVZ_RUN_NOT_FOUND', '投屏链接无效或已更换：请向会议主持人索取新的投屏链接', { params: {} });
    return engine.screenView(id, token);
  };
  const screenHeaders = { 'cache-control': 'no-store', 'x-robots-tag': 'noindex, nofollow' };

  app.get<ScreenParams>('/screen/:id/:token', async (request, reply) => {
    const { id, token } = request.params;
    const views = await screenViews(id, token);
    const panel = livePanel(t, views);
    const html = app.renderer.page('ballot-live', {
      title: `${t('ballot.live.title')} · ${panel.title}`, panel, src: screenUrl(id, token, '/events'),
      bodyClass: 'live-view', refreshSeconds: NO_SCRIPT_REFRESH_S, pageStyles: ['/static/ballot.css'], pageScripts: ['/static/ballot.js'],
    }, { layout: 'print' });
    return reply.headers(screenHeaders).type('text/html; charset=utf-8').send(html);
  });

  app.get<ScreenParams>('/screen/:id/:token/events', async (request, reply) => {
    const { id, token } = request.params;
    const views = await screenViews(id, token);
    reply.hijack();
    // One channel per link: a changed link is another key, and the old one's streams end at their next poll.
    hub.attach(`screen:${id}:${token}`, reply.raw, render(views), {
      counts: (b) => engine.screenCounts(b, token),
      full: async (b) => (await engine.screenView(b, token)).find((v) => v.ballotId === b)!,
      views,
    });
  });
});
