// render.ts: compiles every template once at start, registers partials by path, and owns the label set.
//
// Templates only place values: wording comes from templates/labels/<lang>.yaml through `t`, and
// the few helpers here format what the engine hands over (dates, sizes). No template works out
// business rules.

import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { parse as parseYaml } from 'yaml';

export type Labels = Record<string, unknown>;

export interface Renderer {
  /** A page from templates/pages, wrapped in templates/layout.hbs (or layout-print.hbs: no header, nav or footer). */
  page(name: string, model: Record<string, unknown>, options?: { layout?: 'print' }): string;
  /** A fragment from templates/fragments (htmx swaps), or a partial by its path name, unwrapped. */
  fragment(name: string, model: Record<string, unknown>): string;
  /** Looks up a label by dotted key; `{name}` placeholders are filled from params. */
  t(key: string, params?: Record<string, unknown>): string;
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : e.name.endsWith('.hbs') ? [p] : [];
  });
}

/** `templates/partials/fields/text.hbs` -> `fields/text`; fragments keep their folder: `fragments/task-form`. */
function nameOf(root: string, file: string): string {
  return path.relative(root, file).replace(/\\/g, '/').replace(/\.hbs$/, '');
}

export function lookupLabel(labels: Labels, key: string): string | undefined {
  let node: unknown = labels;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

export function fillLabel(text: string, params: Record<string, unknown> = {}): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (params[k] === undefined ? m : String(params[k])));
}

const BEIJING_OFFSET_MS = 8 * 3_600_000; // UTC+8, no daylight saving (engine/calendar BUSINESS_ZONE)
const two = (n: number) => String(n).padStart(2, '0');

/** ISO instant -> `2026-03-02 14:05` in Beijing time (business times are shown as the office reads them). */
export function formatDateTime(iso: unknown, withTime = true): string {
  if (typeof iso !== 'string' || !iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const d = new Date(ms + BEIJING_OFFSET_MS); // read back with getUTC*: the wall clock in Beijing
  const day = `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
  return withTime ? `${day} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}` : day;
}

export function formatSize(bytes: unknown): string {
  const n = typeof bytes === 'number' ? bytes : Number(bytes);
  if (!Number.isFinite(n)) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function registerHelpers(hb: typeof Handlebars, t: Renderer['t']): void {
  hb.registerHelper('t', (key: string, options: Handlebars.HelperOptions) => t(key, options?.hash));
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('not', (a: unknown) => !a);
  hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hb.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hb.registerHelper('datetime', (iso: unknown) => formatDateTime(iso));
  hb.registerHelper('date', (iso: unknown) => formatDateTime(iso, false));
  hb.registerHelper('filesize', (n: unknown) => formatSize(n));
  // A list of names as one phrase, in the way Chinese lists them: 李秀英、张伟.
  hb.registerHelper('join', (items: unknown, sep: unknown) => (Array.isArray(items) ? items.map(String).join(typeof sep === 'string' ? sep : '、') : ''));
  // `{{> (partialOf this) this}}`: the FieldModel names its partial; a missing one fails loudly at render.
  hb.registerHelper('partialOf', (field: { partial?: string }) => field?.partial ?? 'fields/missing');
}

export interface RendererOptions {
  templatesDir: string;
  lang?: string;
}

/**
 * How every template is compiled: only the helpers registered on `hb` (the built-in ones and
 * registerHelpers'), so `{{title}}` compiles to a property read instead of first asking whether a
 * helper of that name exists, for every value of every row (docs/benchmarks.md, "What we tried").
 * A template naming another helper fails to compile (test/server/render.test.ts compiles them all).
 */
export function compileOptions(hb: typeof Handlebars): CompileOptions {
  return { strict: false, preventIndent: true, knownHelpers: Object.fromEntries(Object.keys(hb.helpers).map((h) => [h, true])), knownHelpersOnly: true };
}

/** Handlebars' compile options, as its own types name them. */
type CompileOptions = NonNullable<Parameters<typeof Handlebars.compile>[1]>;

/** A Handlebars environment with our helpers, for compileOptions (the renderer makes its own). */
export function withHelpers(t: Renderer['t'] = (key) => key): typeof Handlebars {
  const hb = Handlebars.create();
  registerHelpers(hb, t);
  return hb;
}

/** How many label keys the renderer keeps looked up (the shipped set has fewer; a key made from data is looked up each time past it). */
const LABELS_KEPT = 10_000;

/** Reads and compiles every template under templatesDir once; later calls only run compiled functions. */
export function createRenderer(options: RendererOptions): Renderer {
  const root = options.templatesDir;
  const labels = parseYaml(fs.readFileSync(path.join(root, 'labels', `${options.lang ?? 'zh-CN'}.yaml`), 'utf8')) as Labels;
  // A label's text by key, looked up once: the label file is read at start and never changes, and a
  // list page asks for the same dozen labels on every row (docs/benchmarks.md, "What we tried").
  const texts = new Map<string, string | undefined>();
  const textOf = (key: string): string | undefined => {
    if (texts.has(key)) return texts.get(key);
    const text = lookupLabel(labels, key);
    if (texts.size < LABELS_KEPT) texts.set(key, text);
    return text;
  };
  const t: Renderer['t'] = (key, params) => {
    const text = textOf(key);
    // A missing label shows its key in brackets so a page test or a reviewer spots it, without a 500.
    if (text === undefined) return `⟦${key}⟧`;
    return text.includes('{') ? fillLabel(text, params) : text;
  };
  const hb = withHelpers(t);
  const compiling = compileOptions(hb);
  const compile = (file: string) => hb.compile(fs.readFileSync(file, 'utf8'), compiling);

  for (const file of walk(path.join(root, 'partials'))) hb.registerPartial(nameOf(path.join(root, 'partials'), file), compile(file));
  const fragments = new Map<string, HandlebarsTemplateDelegate>();
  for (const file of walk(path.join(root, 'fragments'))) {
    const name = nameOf(root, file);
    const tpl = compile(file);
    fragments.set(name, tpl);
    hb.registerPartial(name, tpl);
  }
  const pages = new Map<string, HandlebarsTemplateDelegate>();
  for (const file of walk(path.join(root, 'pages'))) pages.set(nameOf(path.join(root, 'pages'), file), compile(file));
  const layout = compile(path.join(root, 'layout.hbs'));
  const printLayout = compile(path.join(root, 'layout-print.hbs'));

  const run = (tpl: HandlebarsTemplateDelegate | undefined, name: string, model: Record<string, unknown>): string => {
    if (!tpl) throw new Error(`template ${name} does not exist under ${root}`);
    return tpl({ ...model, labels }, { allowProtoPropertiesByDefault: false });
  };
  return {
    t,
    page(name, model, options) {
      // The page body is our own compiled template output, so the layout places it unescaped.
      const body = run(pages.get(name), `pages/${name}`, model);
      return options?.layout === 'print' ? run(printLayout, 'layout-print', { ...model, body }) : run(layout, 'layout', { ...model, body });
    },
    fragment(name, model) {
      const tpl = fragments.get(name) ?? (hb.partials[name] as HandlebarsTemplateDelegate | undefined);
      const fn = typeof tpl === 'string' ? hb.compile(tpl, compiling) : tpl;
      return run(fn, name, model);
    },
  };
}
