// ballots.ts: the ballot page (表决): a member's cast form (one per item of a sitting), the receipt shown
// once after a secret cast, 您已投票 on a repeat, the chair's console (签到, 开始表决, 结束表决), and
// 核对我的投票 (a POST: no receipt code in a URL or a log line).
//
// A cast does not go through the submission keys (`_once`): their rows would keep the voter beside a
// fingerprint of the choice (docs/ballots.md, Secrecy). The engine's has-voted mark is the replay guard.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isLvzError, type LvzError } from '../../engine/errors.ts';
import type { Actor, BallotView, Engine } from '../../engine/runtime/types.ts';
import { ballotModel, ballotTitle, ballotUrl, consoleModel, factsOf, screenUrl, type CastFailure } from '../ballot-view.ts';
import { attendanceHref, attendanceModel, attendanceQuery, matchingMembers } from '../ballot-attendance.ts';
import { statusOf } from '../error-status.ts';
import { isHtmx } from '../page.ts';
import { requireActor } from '../session.ts';
import { seeOther } from './tasks.ts';
import { textOf } from '../form-post.ts';

type IdParams = { Params: { id: string } };
type Body = Record<string, unknown>;

export const BALLOT_ASSETS = { pageStyles: ['/static/ballot.css'], pageScripts: ['/static/ballot.js'] };

function list(v: unknown): string[] {
  return (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]).filter((x): x is string => typeof x === 'string');
}

const text = (v: unknown, max = 2000): string => textOf(v, max);

/**
 * Every ballot of the sitting the id names (one, or one per item of the roster), in the roster's order.
 * Attendance, opening and closing act on the sitting; a cast on one ballot.
 */
export async function sittingOf(engine: Engine, actor: Actor, id: string): Promise<BallotView[]> {
  const view = await engine.ballotView(actor, id);
  if (view.itemIndex === undefined) return [view];
  const siblings = (await engine.ballotsOf(actor, view.instanceId)).filter((b) => b.setId === view.setId && b.ballotId !== view.ballotId);
  const others = await Promise.all(siblings.map((b) => engine.ballotView(actor, b.ballotId)));
  return [view, ...others].sort((a, b) => (a.itemIndex ?? 0) - (b.itemIndex ?? 0));
}

/** A refusal shown on the ballot page itself: the error summary first, the form (and what was chosen) kept. */
interface PageProblem {
  cast?: CastFailure;
  /** A message about the page as a whole (签到, opening), linked to the console's section. */
  general?: { id: string; message: string };
  close?: { message: string; reason: string };
}

async function sendBallotPage(request: FastifyRequest, reply: FastifyReply, id: string, problem: PageProblem = {}, status = 200) {
  const actor = requireActor(request);
  const { engine, renderer: { t } } = request.server;
  const views = await sittingOf(engine, actor, id);
  const main = views.find((v) => v.ballotId === id) ?? views[0]!;
  const errors = [
    ...(problem.cast ? [{ id: `c-${problem.cast.ballotId}`, message: problem.cast.message }] : []),
    ...(problem.general ? [problem.general] : []),
    ...(problem.close ? [{ id: 'close-reason', message: problem.close.message }] : []),
  ];
  const isItems = main.itemIndex !== undefined;
  return reply.page('ballot', {
    ...BALLOT_ASSETS,
    title: isItems ? main.stepTitle : ballotTitle(main),
    main,
    isItems,
    heading: isItems ? main.stepTitle : ballotTitle(main),
    statusText: t(`ballot.statuses.${main.status}`),
    facts: isItems ? factsOf(t, main).filter((_, i) => i !== 3) : factsOf(t, main),
    items: views.map((v) => ballotModel(t, actor, v, problem.cast)),
    errors,
    selfSignIn: main.status === 'draft' && main.you.isMember && !main.you.isPresent && !main.you.mayChair,
    console: main.you.mayChair ? {
      ...consoleModel(request, main, problem.close),
      screen: await screenModel(request, actor, main.ballotId),
      ...(main.status === 'draft' && { attendance: attendanceModel(t, main, attendanceQuery(request.query as Record<string, unknown>), request.csrfToken) }),
    } : undefined,
    links: {
      live: ballotUrl(id, '/live'),
      result: ballotUrl(id, '/result'),
      verify: main.secret && main.status === 'closed' ? ballotUrl(id, '/verify') : undefined,
      instance: `/instances/${encodeURIComponent(main.instanceId)}`,
    },
  }, status);
}

/** The chair's 投屏链接 box: the link when it is on (absolute, to copy to the meeting room PC). */
async function screenModel(request: FastifyRequest, actor: Actor, id: string) {
  const token = await request.server.engine.screenLink(actor, id);
  return { action: ballotUrl(id, '/screen'), url: token ? `${request.protocol}://${request.host}${screenUrl(id, token)}` : undefined };
}

/** The choice as the engine takes it: a list for choose (also one tick, or none), else the one value sent. */
function choiceOf(view: BallotView, body: Body): unknown {
  const values = list(body.choice);
  if (view.question.kind === 'choose') return values;
  return values[0] ?? '';
}

const PAGE_CODES = new Set(['LVZ_BALLOT_NOT_OPEN', 'LVZ_BALLOT_NOT_ELIGIBLE', 'LVZ_BALLOT_NOT_PRESENT', 'LVZ_BALLOT_NOT_CHAIR', 'LVZ_BALLOT_NO_QUORUM', 'LVZ_BALLOT_TAMPERED', 'LVZ_BALLOT_BAD_ATTENDANCE']);

/** An engine refusal the ballot page can show in place (status from error-status.ts); anything else goes to the error page. */
function isPageRefusal(e: unknown): e is LvzError {
  return isLvzError(e) && PAGE_CODES.has(e.code);
}

export async function ballotRoutes(app: FastifyInstance): Promise<void> {
  const t = app.renderer.t;

  app.get<IdParams>('/ballots/:id', async (request, reply) => sendBallotPage(request, reply, request.params.id));

  app.post<IdParams>('/ballots/:id/cast', async (request, reply) => {
    const actor = requireActor(request);
    const id = request.params.id;
    const view = await app.engine.ballotView(actor, id);
    const choice = choiceOf(view, (request.body ?? {}) as Body);
    let receipt: string | undefined;
    try {
      ({ receipt } = await app.engine.castBallot(actor, id, choice));
    } catch (e) {
      if (!isLvzError(e)) throw e;
      const status = statusOf(e.code);
      // 您已投票 (a second click, a replay): the page says so from the engine's answer, never with the receipt.
      if (e.code === 'LVZ_BALLOT_ALREADY_VOTED') return sendBallotPage(request, reply, id, {}, status);
      if (e.code === 'LVZ_BALLOT_BAD_CHOICE') {
        return sendBallotPage(request, reply, id, { cast: { ballotId: id, message: e.message, choice: list((request.body as Body)?.choice) } }, status);
      }
      if (isPageRefusal(e)) return sendBallotPage(request, reply, id, { general: { id: `ballot-${id}`, message: e.message } }, status);
      throw e;
    }
    if (!receipt) {
      // 记名表决: no receipt; back to the page, which shows the member's recorded choice.
      reply.flash(t('ballot.done.counted'));
      return seeOther(request, reply, `${ballotUrl(id)}#ballot-${id}`);
    }
    // The receipt is in this response only: no redirect (a URL or a cookie would keep it), never cached.
    reply.header('Cache-Control', 'no-store');
    return reply.page('ballot-done', {
      ...BALLOT_ASSETS, title: t('ballot.done.title'), view, itemTitle: ballotTitle(view), receipt,
      back: `${ballotUrl(id)}#ballot-${id}`, verify: ballotUrl(id, '/verify'),
    });
  });

  // The 签到 list alone, for htmx's search (the page's address follows it); a plain GET goes to the page.
  app.get<IdParams>('/ballots/:id/attendance', async (request, reply) => {
    const actor = requireActor(request);
    const id = request.params.id;
    const query = attendanceQuery(request.query as Record<string, unknown>);
    const view = await app.engine.ballotView(actor, id);
    const href = attendanceHref(id, query);
    if (!isHtmx(request) || !view.you.mayChair || view.status !== 'draft') return seeOther(request, reply, href);
    reply.header('HX-Replace-Url', attendanceHref(id, query, ''));
    return reply.fragment('fragments/ballot-attendance', attendanceModel(t, view, query, request.csrfToken));
  });

  app.post<IdParams>('/ballots/:id/attendance', async (request, reply) => {
    const actor = requireActor(request);
    const id = request.params.id;
    const body = (request.body ?? {}) as Body;
    // The list's search and page, posted back by its form: saving returns to the same page of it.
    const query = attendanceQuery(body);
    try {
      if (text(body._self) === '1') {
        await app.engine.signIn(actor, id, [actor.userId], { present: true });
      } else {
        const view = await app.engine.ballotView(actor, id);
        if (!view.you.mayChair) {
          // Not the chair: no list was offered; what was posted goes to the engine as it came, which refuses it.
          const posted = [...new Set([...list(body._listed), ...list(body.present)])];
          if (posted.length > 0) await app.engine.signIn(actor, id, posted, { present: true });
          return seeOther(request, reply, ballotUrl(id));
        }
        const all = view.electorate ?? [];
        const wasPresent = new Set(all.filter((m) => m.present).map((m) => m.userId));
        // 全部签到: everyone the search selects, on every page. Else only the names the page listed
        // (one page of one search): ticked ones in, unticked ones out.
        const listed = new Set(list(body._listed));
        const isAll = text(body._all) === '1';
        const ticked = isAll ? new Set(matchingMembers(all, query).map((m) => m.userId)) : new Set(list(body.present).filter((u) => listed.has(u)));
        const out = isAll ? [] : [...listed].filter((u) => !ticked.has(u) && wasPresent.has(u));
        const added = [...ticked].filter((u) => !wasPresent.has(u));
        if (added.length > 0) await app.engine.signIn(actor, id, added, { present: true });
        if (out.length > 0) await app.engine.signIn(actor, id, out, { present: false });
      }
    } catch (e) {
      if (!isPageRefusal(e)) throw e;
      return sendBallotPage(request, reply, id, { general: { id: 'attendance', message: e.message } }, statusOf(e.code));
    }
    const view = await app.engine.ballotView(actor, id);
    reply.flash(t('ballot.console.attendanceSaved', { present: view.present }));
    return seeOther(request, reply, text(body._self) === '1' ? ballotUrl(id) : attendanceHref(id, query));
  });

  // 投屏链接: on (a new link, ending the old one) or off; the engine refuses anyone but the chair.
  app.post<IdParams>('/ballots/:id/screen', async (request, reply) => {
    const actor = requireActor(request);
    const id = request.params.id;
    const on = text((request.body as Body)?.action) !== 'off';
    try {
      await app.engine.setScreenLink(actor, id, on);
    } catch (e) {
      if (!isPageRefusal(e)) throw e;
      return sendBallotPage(request, reply, id, { general: { id: 'screen', message: e.message } }, statusOf(e.code));
    }
    reply.flash(t(on ? 'ballot.screen.made' : 'ballot.screen.stopped'));
    return seeOther(request, reply, `${ballotUrl(id)}#screen`);
  });

  app.post<IdParams>('/ballots/:id/open', async (request, reply) => {
    const actor = requireActor(request);
    const id = request.params.id;
    try {
      await app.engine.openBallot(actor, id);
    } catch (e) {
      if (!isPageRefusal(e)) throw e;
      return sendBallotPage(request, reply, id, { general: { id: 'open', message: e.message } }, statusOf(e.code));
    }
    reply.flash(t('ballot.console.opened'));
    return seeOther(request, reply, ballotUrl(id));
  });

  app.post<IdParams>('/ballots/:id/close', async (request, reply) => {
    const actor = requireActor(request);
    const id = request.params.id;
    const reason = text((request.body as Body)?.reason);
    try {
      await app.engine.closeBallot(actor, id, reason || undefined);
    } catch (e) {
      if (isLvzError(e) && (e.code === 'LVZ_RUN_REASON_REQUIRED' || e.params.field === 'reason')) {
        return sendBallotPage(request, reply, id, { close: { message: e.message, reason } }, statusOf(e.code));
      }
      if (!isPageRefusal(e)) throw e;
      return sendBallotPage(request, reply, id, { general: { id: 'close', message: e.message } }, statusOf(e.code));
    }
    reply.flash(t('ballot.console.closed'));
    return seeOther(request, reply, ballotUrl(id));
  });

  // 核对我的投票: the code travels in a POST body only; the answer names the row, never the choice.
  const verifyPage = async (request: FastifyRequest<IdParams>, reply: FastifyReply, extra: Record<string, unknown> = {}, status = 200) => {
    const view = await app.engine.ballotView(requireActor(request), request.params.id);
    return reply.page('ballot-verify', {
      ...BALLOT_ASSETS, title: t('ballot.verify.title'), view, itemTitle: ballotTitle(view),
      action: ballotUrl(view.ballotId, '/verify'), back: ballotUrl(view.ballotId), isClosed: view.status === 'closed',
      ...(typeof extra.error === 'string' && { errors: [{ id: 'code', message: extra.error }] }), ...extra,
    }, status);
  };

  app.get<IdParams>('/ballots/:id/verify', async (request, reply) => verifyPage(request, reply));

  app.post<IdParams>('/ballots/:id/verify', async (request, reply) => {
    const actor = requireActor(request);
    const code = text((request.body as Body)?.code, 100);
    reply.header('Cache-Control', 'no-store');
    if (!code) return verifyPage(request, reply, { error: t('ballot.verify.empty') }, 400);
    try {
      const check = await app.engine.checkReceipt(actor, request.params.id, code);
      return verifyPage(request, reply, { check, digestShort: check.digest?.slice(0, 16) });
    } catch (e) {
      if (!isLvzError(e) || !['LVZ_BALLOT_BAD_RECEIPT', 'LVZ_BALLOT_NOT_OPEN'].includes(e.code)) throw e;
      // The typed code is not put back into the page: whoever looks over the shoulder later sees nothing.
      return verifyPage(request, reply, { error: e.code === 'LVZ_BALLOT_NOT_OPEN' ? t('ballot.verify.notClosed') : e.message }, statusOf(e.code));
    }
  });
}
