// profile.ts: reads a V8 .cpuprofile (node --cpu-prof) and sums self time by module and by function,
// so docs/benchmarks.md can say where a request's CPU goes (xstate, knex/sqlite3, handlebars, JSON, ours).

import fs from 'node:fs';
import path from 'node:path';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number }

export interface ProfileSummary {
  /** Sampled time excluding idle, ms. */
  totalMs: number;
  idleMs: number;
  modules: { module: string; ms: number; share: number }[];
  functions: { fn: string; module: string; ms: number; share: number }[];
}

const REPO = path.resolve(import.meta.dirname, '..');
const JSON_FNS = new Set(['parse', 'stringify', 'JSONParse', 'JSONStringify']);

/** Which module a frame belongs to: a package, a node: area, our directory, or a V8 pseudo-frame. */
export function moduleOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName.startsWith('(')) return functionName; // (garbage collector), (program), (idle)
    if (JSON_FNS.has(functionName)) return 'JSON (V8)';
    return 'V8 builtins';
  }
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + '/node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[1] ?? url.slice(5)}`;
  const file = url.startsWith('file://') ? url.slice(7) : url;
  if (file.startsWith(REPO + '/')) {
    const rel = file.slice(REPO.length + 1).split('/');
    return `ours: ${rel.slice(0, rel[0] === 'engine' ? 2 : 1).join('/')}`;
  }
  return url;
}

/**
 * Self time by module and function; with `window` (µs on the monotonic clock, which V8 stamps
 * samples with), only the samples inside it: the measured run, not start-up and warm-up.
 */
export function summariseProfile(file: string, top = 25, window?: [number, number]): ProfileSummary {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let t = prof.startTime;
  for (let i = 0; i < prof.samples.length; i++) {
    const delta = prof.timeDeltas[i] ?? 0;
    t += delta;
    if (window && (t < window[0] || t > window[1])) continue;
    const id = prof.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + delta);
  }
  const modules = new Map<string, number>();
  const functions = new Map<string, { module: string; us: number }>();
  let idle = 0;
  let total = 0;
  for (const [id, us] of self) {
    const frame = byId.get(id)!.callFrame;
    const mod = moduleOf(frame);
    if (mod === '(idle)') {
      idle += us;
      continue;
    }
    total += us;
    modules.set(mod, (modules.get(mod) ?? 0) + us);
    const where = frame.url ? `${path.basename(frame.url)}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
    const f = functions.get(key) ?? { module: mod, us: 0 };
    f.us += us;
    functions.set(key, f);
  }
  const share = (us: number) => (total > 0 ? us / total : 0);
  return {
    totalMs: total / 1000,
    idleMs: idle / 1000,
    modules: [...modules].sort((a, b) => b[1] - a[1]).map(([module, us]) => ({ module, ms: us / 1000, share: share(us) })),
    functions: [...functions].sort((a, b) => b[1].us - a[1].us).slice(0, top)
      .map(([fn, f]) => ({ fn, module: f.module, ms: f.us / 1000, share: share(f.us) })),
  };
}

/**
 * The main thread's profile of process `pid`: node writes one file per thread, named
 * CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile, and tsx's loader runs in a worker thread.
 * Falls back to the largest file.
 */
export function mainThreadProfile(dir: string, pid: number): string | undefined {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')) : [];
  const main = files.find((f) => f.split('.')[3] === String(pid) && f.split('.')[4] === '0');
  if (main) return path.join(dir, main);
  files.sort((a, b) => fs.statSync(path.join(dir, b)).size - fs.statSync(path.join(dir, a)).size);
  return files[0] ? path.join(dir, files[0]) : undefined;
}

// `npx tsx bench/profile.ts file.cpuprofile` prints the summary.
if (import.meta.url === `file://${process.argv[1]}`) {
  const s = summariseProfile(process.argv[2]!);
  console.log(`total ${s.totalMs.toFixed(0)} ms (idle ${s.idleMs.toFixed(0)} ms)`);
  for (const m of s.modules.slice(0, 20)) console.log(`${(m.share * 100).toFixed(1).padStart(5)}%  ${m.module}`);
  console.log('');
  for (const f of s.functions) console.log(`${(f.share * 100).toFixed(1).padStart(5)}%  ${f.fn}  [${f.module}]`);
}
