// seed.ts: the benchmark's data: a few instances the real engine runs through their steps (the
// templates), then engine/store/bench-seed.ts copies them into BENCH_INSTANCES plausible instances
// spread over three years, plus a pool of bills waiting for one last co-signer (the POST scenario).

import { createEngine } from '../engine/index.ts';
import type { Actor, Engine } from '../engine/runtime/types.ts';
import { openDb } from '../engine/store/db.ts';
import { DEMO_PASSWORD } from '../engine/store/seed/demo.ts';
import { addBenchDeputies, benchCounts, bulkLoad, cloneInstances, databaseVersion, type CloneSpec } from '../engine/store/bench-seed.ts';

export interface SeedResult {
  seconds: number;
  templateSeconds: number;
  cloneSeconds: number;
  counts: Record<string, number>;
  database: string;
  /** Open tasks of the POST pool: bills whose last co-signer (`submitUser`) has not answered yet. */
  pool: { taskId: string; instanceId: string }[];
  submitUser: string;
  /** Closed suggestions for the instance page. */
  pageInstances: string[];
  /** The user of the inbox, instance and list scenarios. */
  viewUser: string;
}

const COSIGNERS = Array.from({ length: 10 }, (_, i) => `deputy${i + 2}`);
const LAST_COSIGNER = COSIGNERS[COSIGNERS.length - 1]!;

const TOPICS = [
  '加快老旧小区加装电梯', '增设社区养老服务站', '优化城区公交线路', '加强农村饮用水安全保障', '推进垃圾分类',
  '改善中小学课后服务', '规范校外培训机构', '建设城市口袋公园', '治理黑臭水体', '缓解医院停车难',
  '提高基层医生待遇', '扶持小微企业融资', '完善农村道路养护', '保护历史文化街区', '加强食品安全监管',
  '推进智慧社区建设', '完善残疾人就业服务', '增加公共充电桩', '整治占道经营', '加强河道生态修复',
  '健全困难群众救助', '规范物业服务收费', '提升营商环境', '发展职业教育', '加强未成年人保护',
  '推进乡村振兴产业', '优化政务服务流程', '加强安全生产监管', '保障农民工工资支付', '完善城市排水防涝',
];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = ['建国', '秀英', '伟', '芳', '军', '丽', '海涛', '敏华', '强', '桂兰', '志明', '红梅', '德胜', '玉珍', '晓东', '静', '磊', '雪梅', '建平', '晓燕', '文斌', '丹', '国栋', '佳', '慧', '亮'];

function deputyName(i: number): string {
  return SURNAMES[i % SURNAMES.length]! + GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]!;
}

/** Drives one engine through the flows the templates need, on a clock that moves a day per step. */
class Driver {
  private actors = new Map<string, Actor>();

  constructor(readonly engine: Engine, readonly clock: { now: Date }) {}

  async as(user: string): Promise<Actor> {
    let a = this.actors.get(user);
    if (!a) this.actors.set(user, (a = (await this.engine.login(user, DEMO_PASSWORD)).actor));
    return a;
  }

  tick(): void {
    this.clock.now = new Date(this.clock.now.getTime() + 86_400_000);
  }

  async act(user: string, instanceId: string, event: string, input: Record<string, unknown> = {}, opinion?: string): Promise<void> {
    const actor = await this.as(user);
    const todo = await this.engine.inbox(actor, 'todo', { page: 1, pageSize: 100 });
    const task = todo.items.find((t) => t.instanceId === instanceId);
    if (!task?.taskId) throw new Error(`bench seed: ${user} has no open task on ${instanceId}`);
    const version = (await this.engine.instance(actor, instanceId)).version;
    this.tick();
    await this.engine.complete(actor, task.taskId, { event, input, version, ...(opinion && { opinion }) });
  }

  async suggestion(stage: 'draft' | 'review' | 'handle' | 'evaluate' | 'closed', lead: string, co: string[]): Promise<string> {
    const input = { title: '关于增设社区养老服务站的建议', category: '社会保障', content: '建议在老旧小区增设养老服务站，为高龄和失能老人提供日间照料、助餐和康复服务，所需用房由街道统筹解决。' };
    const { instanceId } = await this.engine.start(await this.as('deputy1'), 'suggestion', { event: 'submit', version: 0, input, draft: stage === 'draft' });
    if (stage === 'draft' || stage === 'review') return instanceId;
    await this.act('review1', instanceId, 'accept', { lead_unit: lead, co_units: co, is_complex: '否', is_key: '否' }, '同意交办');
    if (stage === 'handle') return instanceId;
    for (const unit of co) await this.act(`${unit.slice('city-'.length)}1`, instanceId, 'submit', { co_opinion: '同意主办单位意见，配合做好相关工作。' });
    await this.act(`${lead.slice('city-'.length)}1`, instanceId, 'submit', { reply: '已列入年度计划，年内在三个街道试点建设养老服务站。', grade: 'B' });
    if (stage === 'evaluate') return instanceId;
    await this.act('deputy1', instanceId, 'submit', { eval_attitude: '好', eval_method: '较好', eval_effect: '较好', eval_overall: '满意', eval_comment: '答复具体，希望抓紧落实。' });
    return instanceId;
  }

  async bill(stage: 'cosign' | 'last-cosigner' | 'presidium' | 'reported'): Promise<string> {
    const input = { title: '关于制定养老服务条例的议案', content: '我市老年人口占比逐年上升，现行规定分散，建议制定养老服务条例，明确政府责任、设施规划和服务标准。', cosigners: COSIGNERS };
    const { instanceId } = await this.engine.start(await this.as('deputy1'), 'bill', { event: 'submit', version: 0, input });
    if (stage === 'cosign') return instanceId;
    for (const u of COSIGNERS.slice(0, -1)) await this.act(u, instanceId, 'agree');
    if (stage === 'last-cosigner') return instanceId;
    await this.act(LAST_COSIGNER, instanceId, 'agree');
    if (stage === 'presidium') return instanceId;
    await this.act('presidium1', instanceId, 'accept', { presidium_decision: '交专门委员会审议', committee: 'city-cjw', presidium_note: '交财政经济委员会审议。' });
    await this.act('cjw1', instanceId, 'submit', { review_report: '委员会审议认为，制定条例条件基本成熟，建议列入立法计划。', review_result: '建议通过' });
    return instanceId;
  }
}

/** The templates, and how many copies of each make up `instances` (shares of a city's years of work). */
async function makeTemplates(d: Driver, instances: number, pool: number): Promise<{ background: CloneSpec[]; pool: CloneSpec }> {
  const mix: [make: () => Promise<string>, share: number, spreadDays: number, sample?: number][] = [
    [() => d.suggestion('closed', 'city-fgw', ['city-jyj']), 0.81, 3 * 365, 1000],
    [() => d.bill('reported'), 0.03, 3 * 365],
    [() => d.suggestion('review', '', []), 0.04, 30],
    [() => d.suggestion('handle', 'city-zjj', ['city-jtj', 'city-cgj']), 0.06, 30],
    [() => d.suggestion('evaluate', 'city-wjw', []), 0.03, 30],
    [() => d.suggestion('draft', '', []), 0.015, 30],
    [() => d.bill('cosign'), 0.005, 10],
    [() => d.bill('presidium'), 0.01, 30],
  ];
  const background: CloneSpec[] = [];
  let given = 0;
  for (const [i, [make, share, spreadDays, sample]] of mix.entries()) {
    // One after the other: each template runs on the shared clock.
    const templateId = await make();
    const count = i === mix.length - 1 ? instances - given : Math.round(instances * share);
    given += count;
    background.push({ templateId, count, spreadDays, sample: sample ?? 0 });
  }
  return { background, pool: { templateId: await d.bill('last-cosigner'), count: pool, spreadDays: 5, sample: pool } };
}

export async function seedBench(dataDir: string, opts: { instances: number; pool: number; deputies?: number }, log: (s: string) => void): Promise<SeedResult> {
  const t0 = performance.now();
  // Templates run on a fixed past clock (a Monday the holiday calendar covers); copies are then
  // shifted in time, so the system date plays no part in what gets seeded.
  const clock = { now: new Date('2026-03-02T01:00:00Z') };
  const engine = await createEngine({ dataDir, demo: true, now: () => clock.now });
  let specs: Awaited<ReturnType<typeof makeTemplates>>;
  try {
    specs = await makeTemplates(new Driver(engine, clock), opts.instances, opts.pool);
  } finally {
    await engine.close();
  }
  const t1 = performance.now();
  log(`seed: templates ready in ${((t1 - t0) / 1000).toFixed(1)} s; copying ${opts.instances.toLocaleString('en')} instances + a pool of ${opts.pool.toLocaleString('en')}`);
  const db = await openDb({ dataDir });
  try {
    const deputies = await addBenchDeputies(db, opts.deputies ?? 6000, 'deputy1', ['zhangdian-delegation', 'linzi-delegation'], deputyName);
    let lastShown = 0;
    const progress = (done: number, total: number) => {
      if (done === total || performance.now() - lastShown > 10_000) {
        lastShown = performance.now();
        log(`seed: ${done} / ${total} template rows copied (${((performance.now() - t1) / 1000).toFixed(0)} s)`);
      }
    };
    const now = new Date();
    const [background, pool] = await bulkLoad(db, async () => [
      await cloneInstances(db, { specs: specs.background, initiators: deputies, now, topics: TOPICS, seed: 1, onProgress: progress }),
      await cloneInstances(db, { specs: [specs.pool], initiators: deputies, now, topics: TOPICS, seed: 2 }),
    ], log);
    const t2 = performance.now();
    const counts = await benchCounts(db, 'review1', 'review_office');
    return {
      seconds: (t2 - t0) / 1000, templateSeconds: (t1 - t0) / 1000, cloneSeconds: (t2 - t1) / 1000, counts,
      database: await databaseVersion(db),
      pool: pool.samples.get(specs.pool.templateId)!.openTasks.filter((t) => t.assigneeId === LAST_COSIGNER),
      submitUser: LAST_COSIGNER,
      pageInstances: background.samples.get(specs.background[0]!.templateId)!.instanceIds,
      viewUser: 'review1',
    };
  } finally {
    await db.destroy();
  }
}
