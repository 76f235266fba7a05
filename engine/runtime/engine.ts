// engine.ts: the Engine the server calls (types.ts), wired from the runtime's modules.

import type { Knex } from 'knex';
import { login, logout, sessionInfo } from '../auth/sessions.ts';
import { apiTokenAuth, createApiToken } from '../auth/api-tokens.ts';
import { createLoginGuard } from '../auth/login-guard.ts';
import type { LoginLimits } from '../auth/throttle.ts';
import { validateField } from '../forms/validate.ts';
import { buildFormModel } from '../forms/model.ts';
import { LvzError } from '../errors.ts';
import { ping } from '../store/db.ts';
import { addPhrase, listOrgs } from '../store/directory.ts';
import { demoAccounts } from '../store/seed/demo.ts';
import { demoRecords } from './directory/import/demo-files.ts';
import { getTask, updateTask, writeTx } from '../store/process/index.ts';
import type { Engine, TaskButton } from './types.ts';
import { taskAction } from './actions.ts';
import { completeTask } from './complete.ts';
import { stateOf, workflowOf, groupOf, type RuntimeContext } from './runtime-context.ts';
import { accessOf, isDraftable, mergeData, stepForm, resolveUploads } from './step-input.ts';
import { fileFor, upload, uploadAll } from './files.ts';
import { fireDueTimers } from './fire-timers.ts';
import { ballotRuntime, groupRuntime, spawnRuntime } from '../constructs/runs.ts';
import { sweepOrphanUploads } from './orphan-files.ts';
import { cancelInstance, moveInstance, remindInstance, terminateInstance, withdraw } from './instance-actions.ts';
import { ensureStartable, startInstance } from './start.ts';
import { saveOutOfOffice, settingsActions, settingsView } from './settings.ts';
import { taskView } from './task-view.ts';
import { pickerSearch } from './picker-search.ts';
import { inbox, inboxCounts, instanceView, instances } from './views.ts';
import { ensureOpen, ensurePlainText, loadTask } from './load.ts';
import { moves } from './advance.ts';
import { validateInput } from '../forms/validate.ts';
import { buildStudio } from './authoring/index.ts';
import { buildDirectoryAdmin } from './directory/admin.ts';
import { changePassword } from '../auth/password-change.ts';
import { buildDirectoryImport } from './directory/import/index.ts';
import { orgTree } from './authoring/access.ts';
import { ensureDistrictStarter, startableFor } from './authoring/districts.ts';
import { refreshRegistry } from './authoring/registry.ts';
import { ensureEnabled, withoutDisabled } from './authoring/disable.ts';
import { calendarWarnings } from './deferred.ts';
import { unloadableWarnings } from './definitions.ts';
import { calendarAdmin, refreshCalendar } from './calendar-years.ts';
import { refreshRoles } from './directory/roles.ts';
import { applyDirectoryChanges } from './directory/changes.ts';
import { engineMetrics, retryTimer, timerOverview } from './monitoring.ts';
import { sweepExpiredKeys } from './idempotency.ts';
import { FIRST_ADMIN_HINT, firstAdminProbe } from './first-admin.ts';
import { isRehearsalDatabase } from './rehearsal.ts';
import type { RehearsalAnchor } from './clock.ts';

/** How the install was started: demo accounts, the rehearsal clock's anchor (engine/index.ts). */
export interface InstallOptions {
  demo: boolean;
  rehearsal?: RehearsalAnchor;
}

/** Start-up notices about the install itself: no administrator yet, a rehearsal database at real time. */
async function installWarnings(rc: RuntimeContext, install: InstallOptions, needsAdmin: () => Promise<boolean>): Promise<string[]> {
  const out: string[] = [];
  if (!install.demo && await needsAdmin()) out.push(FIRST_ADMIN_HINT);
  if (!install.rehearsal && await isRehearsalDatabase(rc.db)) {
    out.push('这个数据库是演练环境（其中的时间快于实际时间），现在却按实际时间运行：正式使用请换一个新的数据库并用 npx lvzhi admin create 创建管理员');
  }
  return out;
}

/**
 * Instances may run on a version another server process published after this one loaded its
 * definitions: on "no such workflow version", refresh from the table and try once more. The
 * common path costs nothing; the first request after a foreign publish pays one small query.
 */
async function withFreshRegistry<T>(rc: RuntimeContext, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof LvzError) || e.code !== 'LVZ_RUN_NOT_FOUND' || e.params.workflow === undefined) throw e;
    await refreshRegistry(rc);
    return run();
  }
}

/**
 * How long the readiness probe waits for the database: below a balancer's usual probe timeout
 * (Kubernetes: 1 s by default, raised in docs/deploy.md; HAProxy, nginx: several seconds), well
 * above a healthy `select 1`.
 */
const PING_MS = 2_000;

export function buildEngine(rc: RuntimeContext, onClose: () => Promise<void>, loginLimits: Partial<LoginLimits> = {}, install: InstallOptions = { demo: false }): Engine {
  const db: Knex = rc.db;
  const needsFirstAdmin = firstAdminProbe(rc.reads);
  const fresh = <T>(run: () => Promise<T>): Promise<T> => withFreshRegistry(rc, run);
  // A spawned child that ends writes a report for its parent: once committed, the timer loop is woken (spawn.ts).
  const timerListeners = new Set<() => void>();
  const wakeTimers = (): void => { for (const listen of timerListeners) listen(); };
  const reporting = <T>(run: () => Promise<T>): Promise<T> => spawnRuntime.wakingOnReports(() => fresh(run), wakeTimers);
  // Per process, in memory: login rate limits and the password-hash gate (docs/deploy.md).
  const guard = createLoginGuard(loginLimits);
  return {
    login: (u, p, from) => login(db, u, p, rc.now(), { address: from?.address ?? '', guard }),
    authLoad: () => ({ ...guard.gate.load(), checks: guard.checks }),
    session: (id) => sessionInfo(db, id, rc.now(), rc.reads),
    logout: (id) => logout(db, id),
    apiTokenAuth: (t) => apiTokenAuth(db, t, rc.now()),
    createApiToken: (a, opts) => createApiToken(db, a.userId, rc.now(), opts),
    demoAccounts: async () => (await demoAccounts(db, demoRecords().people.map((p) => p.id))).map((a) => ({ username: a.username, password: a.password, name: a.name, role: a.roles.map(rc.registry.roles.labelOf).join('、'), org: a.org, isMain: a.isMain })),
    pickerSearch: (actor, query) => pickerSearch(rc, actor, query),
    orgTree: async () => (await listOrgs(db)).map((o) => ({ id: o.id, name: o.name, kind: o.kind, parentId: o.parentId })),
    setOutOfOffice: (actor, input) => saveOutOfOffice(rc, actor, input),
    clearOutOfOffice: (actor, id) => settingsActions.clearOutOfOffice(rc, actor, id),
    deletePhrase: (actor, id) => settingsActions.deletePhrase(rc, actor, id),
    deleteApiToken: (actor, id) => settingsActions.deleteApiToken(rc, actor, id),
    settings: (actor) => settingsView(rc, actor),
    changePassword: (actor, sessionId, input) => changePassword(db, actor.userId, sessionId, input),
    async savePhrase(actor, text) {
      ensurePlainText(text, '常用语', 'text');
      const t = String(text ?? '').trim();
      if (!t || t.length > 500) throw new LvzError('LVZ_RUN_BAD_REQUEST', '常用语不能为空，也不能超过 500 个字', {});
      await addPhrase(db, { userId: actor.userId, text: t, now: rc.now() });
    },

    async startable(actor) {
      await refreshRegistry(rc);
      return (await withoutDisabled(rc, startableFor(rc, actor, await orgTree(db))))
        .map((wf) => ({ workflowId: wf.def.id, title: wf.def.title, ...(wf.def.description && { description: wf.def.description }) }));
    },
    async startForm(actor, workflowId, typed) {
      await refreshRegistry(rc);
      const wf = workflowOf(rc, workflowId);
      ensureStartable(wf, actor);
      ensureDistrictStarter(wf, actor, await orgTree(db));
      await ensureEnabled(rc, wf);
      const s = stateOf(wf, wf.def.initial);
      const g = s.tasks[0];
      if (!g) throw new LvzError('LVZ_RUN_NOT_STARTABLE', `“${wf.def.title}”的第一步没有表单，不能手工发起`, {});
      const form = stepForm(rc, wf, g);
      const access = accessOf(form, g);
      const buttons: TaskButton[] = g.outcomes.map((o) => ({ event: o.id, label: o.label, reason: 'none' }));
      // What was typed comes back with the files this user uploaded into it (添加一项 keeps them).
      const raw = typed && (await resolveUploads(db, form, access, typed, {}, [actor.userId])).raw;
      return { title: wf.def.title, form: buildFormModel(form, {}, access, [], await rc.directory(), raw), buttons };
    },
    async start(actor, workflowId, input) {
      // A version published by another server process is what new instances start on.
      await refreshRegistry(rc);
      const wf = workflowOf(rc, workflowId);
      ensureDistrictStarter(wf, actor, await orgTree(db));
      // 停用 stops new starts only: running instances go on through complete() as before.
      await ensureEnabled(rc, wf);
      return startInstance(rc, actor, workflowId, input);
    },

    inbox: (actor, list, query) => inbox(rc, actor, list, query),
    inboxCounts: (actor) => inboxCounts(rc, actor),
    instances: (actor, query) => instances(rc, actor, query),
    instance: (actor, id, progress) => fresh(() => instanceView(rc, actor, id, progress)),
    task: (actor, id) => fresh(() => taskView(rc, actor, id)),
    complete: (actor, taskId, input) => reporting(() => completeTask(rc, actor, taskId, input)),
    async saveDraft(actor, taskId, input, opinion) {
      await writeTx(db, async (tx) => {
        const l = await loadTask(rc, tx, actor, taskId);
        ensureOpen(l.task, l.inst);
        const g = groupOf(l.wf, l.task.state, l.task.grp);
        if (!isDraftable(g, l.task.kind)) {
          throw new LvzError('LVZ_RUN_EVENT_NOT_ALLOWED', '这一步没有需要填写的内容，不能保存草稿：请直接选择办理结果', { params: { action: 'draft' } });
        }
        const form = stepForm(rc, l.wf, g);
        const access = accessOf(form, g);
        const current = { ...l.inst.data, ...(l.task.draft ?? {}) };
        const resolved = await resolveUploads(tx, form, access, input, current, [actor.userId]);
        // A draft may be incomplete: keep what parses, report nothing.
        const { data } = validateInput(form, resolved.raw, access, current, await rc.directory(tx));
        const draft = mergeData(l.task.draft ?? {}, Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined)));
        // The opinion travels with the draft under a name no field can have (field names start with a letter).
        const text = typeof opinion === 'string' ? opinion.trim().slice(0, 2000) : '';
        const { _opinion: _kept, ...fields } = draft;
        await updateTask(tx, l.task.id, { draft: text ? { ...fields, _opinion: text } : fields }, 'open');
      });
    },
    async checkField(actor, taskId, field, input) {
      const task = await getTask(db, taskId);
      const l = await loadTask(rc, db, actor, task?.id ?? taskId);
      const g = groupOf(l.wf, l.task.state, l.task.grp);
      const form = stepForm(rc, l.wf, g);
      const access = accessOf(form, g);
      const current = { ...l.inst.data, ...(l.task.draft ?? {}) };
      const dir = await rc.directory();
      const raw = (await resolveUploads(db, form, access, input, current, [actor.userId])).raw;
      const { errors } = validateField(form, field, raw, access, current, dir);
      // Every field of the step from what was typed, so conditions (visible_when) follow the answer;
      // only the checked field carries its message.
      return buildFormModel(form, current, access, errors, dir, raw);
    },
    taskAction: (actor, taskId, input, once) => reporting(() => taskAction(rc, actor, taskId, input, once)),
    withdraw: (actor, id, input) => reporting(() => withdraw(rc, actor, id, input.version)),
    cancel: (actor, id, input) => reporting(() => cancelInstance(rc, actor, id, input)),
    terminate: (actor, id, input) => reporting(() => terminateInstance(rc, actor, id, input)),
    move: (actor, id, input) => reporting(() => moveInstance(rc, actor, id, input)),
    remindInstance: (actor, id, message) => fresh(() => remindInstance(rc, actor, id, message)),
    closeGroup: (actor, id, input) => fresh(() => groupRuntime.closeEarly(rc, actor, id, input, moves)),

    upload: (actor, target, file) => upload(rc, actor, target, file),
    uploadAll: (actor, target, files) => uploadAll(rc, actor, target, files),
    file: (actor, id) => fileFor(rc, actor, id),

    warnings: async () => [...unloadableWarnings(rc.registry), ...await calendarWarnings(rc), ...await installWarnings(rc, install, needsFirstAdmin), ...ballotRuntime.secretWarnings(rc.dataDir, install.demo)],
    needsFirstAdmin,
    directoryApply: (who, set, opts) => applyDirectoryChanges(rc, who, set, opts),
    directoryImport: buildDirectoryImport(rc),
    rehearsal: () => (install.rehearsal ? { now: rc.now(), speed: install.rehearsal.speed } : undefined),
    async fireDueTimers(now) {
      // The timer tick also clears expired submission keys (at most hourly): one place that runs in every process.
      await sweepExpiredKeys(rc, now ?? rc.now());
      // A holiday-calendar year saved by another process applies here from this tick on.
      await refreshCalendar(rc);
      // So are the roles another process's admin declared.
      await refreshRoles(rc.reads, rc.registry);
      return fresh(() => fireDueTimers(rc, now ?? rc.now()));
    },
    sweepUploads: (now) => sweepOrphanUploads(rc, now ?? rc.now()),
    onTimersDue(listener) {
      timerListeners.add(listener);
      return () => { timerListeners.delete(listener); };
    },
    timers: {
      overview: (actor) => fresh(() => timerOverview(rc, actor)),
      retry: (actor, id) => retryTimer(rc, actor, id),
    },
    metrics: () => engineMetrics(rc),
    calendar: calendarAdmin(rc),
    studio: buildStudio(rc),
    directory: buildDirectoryAdmin(rc),
    ...ballotRuntime.buildBallotOps(rc, moves),
    // Through the read connections: on SQLite they never queue behind the one writer, so a long
    // write does not make the process look unready; on PostgreSQL they are the same pool.
    ping: () => ping(rc.reads, PING_MS),
    close: onClose,
  };
}
