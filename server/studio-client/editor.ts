// editor.ts: the studio's YAML editor in the browser (bundled into server/public/studio/editor.js by
// `npm run build:studio`). It replaces the page's textarea with CodeMirror 6 and keeps the textarea's
// value in step, so the page's forms (检查, 保存草稿, 发布) post exactly what is shown. As the admin
// types it asks /admin/check (debounced) and shows the findings as lint marks and as the list under the
// editor, the diagram (workflows) or the form's preview (forms). Key completion comes from the JSON Schema.

import { autocompletion, completionKeymap, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import formSchema from '../../schema/form.schema.json' with { type: 'json' };
import districtSchema from '../../schema/workflow-district.schema.json' with { type: 'json' };
import workflowSchema from '../../schema/workflow.schema.json' with { type: 'json' };
import type { StudioFinding } from '../../engine/runtime/authoring/types.ts';
import { keyContextAt, keysAt, type JsonSchema } from './schema-complete.ts';

// Type only: erased by esbuild, so the bundle carries none of the engine.
type Finding = Omit<StudioFinding, 'path'>;

interface CheckReply {
  ok: boolean;
  errors: Finding[];
  warnings: Finding[];
  paths?: number;
  diagram?: string;
  steps?: { title: string; isFinal: boolean }[];
  previewHtml?: string;
}

const SCHEMAS: Record<string, JsonSchema> = {
  workflow: workflowSchema as JsonSchema,
  'workflow-district': districtSchema as JsonSchema,
  form: formSchema as JsonSchema,
};
const DEBOUNCE_MS = 500;

function schemaCompletion(schemaName: () => string) {
  return (ctx: CompletionContext): CompletionResult | null => {
    const line = ctx.state.doc.lineAt(ctx.pos);
    const lines = ctx.state.doc.toString().split('\n');
    const at = keyContextAt(lines, line.number - 1, ctx.pos - line.from);
    if (!at || (!ctx.explicit && at.typed === '')) return null;
    const keys = keysAt(SCHEMAS[schemaName()] ?? SCHEMAS.workflow!, at.path, at.siblings);
    if (keys.length === 0) return null;
    return {
      from: line.from + at.from,
      options: keys.map((k) => ({ label: k.key, apply: `${k.key}: `, type: 'property', detail: k.required ? '必填' : undefined, info: k.description })),
      validFor: /^[\w-]*$/,
    };
  };
}

function csrf(): string {
  return document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function mount(form: HTMLFormElement): void {
  const textarea = form.querySelector<HTMLTextAreaElement>('#studio-text');
  const host = form.querySelector<HTMLElement>('#studio-editor');
  if (!textarea || !host) return;
  const kind = form.dataset.kind ?? 'workflow';
  const id = form.dataset.id ?? '';
  let schema = form.dataset.schema ?? 'workflow';
  let timer: number | undefined;
  let seq = 0;

  const view = new EditorView({
    parent: host,
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        lineNumbers(), highlightActiveLineGutter(), history(), drawSelection(), indentOnInput(), bracketMatching(),
        highlightActiveLine(), syntaxHighlighting(defaultHighlightStyle, { fallback: true }), yaml(), lintGutter(),
        autocompletion({ override: [schemaCompletion(() => schema)] }),
        keymap.of([...defaultKeymap, ...historyKeymap, ...completionKeymap, indentWithTab]),
        EditorState.readOnly.of(textarea.readOnly),
        // Long lines wrap: the editor shares the width with the diagram, and on a phone has it alone.
        EditorView.lineWrapping,
        // The page's CSP allows CodeMirror's injected <style> only with this response's nonce.
        EditorView.cspNonce.of(form.dataset.styleNonce ?? ''),
        // tabindex: contenteditable is focusable anyway, but axe only counts a tabindex inside a scrolling region.
        EditorView.contentAttributes.of({ tabindex: '0', 'aria-label': document.querySelector('label[for="studio-text"]')?.textContent ?? 'YAML', 'aria-describedby': 'studio-text-hint studio-status' }),
        EditorView.updateListener.of((u) => {
          if (!u.docChanged) return;
          textarea.value = u.state.doc.toString();
          schema = kind === 'form' ? 'form' : /^extends:/m.test(textarea.value) ? 'workflow-district' : 'workflow';
          window.clearTimeout(timer);
          timer = window.setTimeout(() => void check(), DEBOUNCE_MS);
        }),
      ],
    }),
  });
  textarea.hidden = true;
  host.hidden = false;
  form.addEventListener('submit', () => { textarea.value = view.state.doc.toString(); });

  const jump = (line: number, col: number): void => {
    const n = Math.min(Math.max(1, line), view.state.doc.lines);
    const l = view.state.doc.line(n);
    const pos = Math.min(l.from + Math.max(0, col - 1), l.to);
    view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
    view.focus();
  };
  document.addEventListener('click', (e) => {
    const a = (e.target as HTMLElement).closest<HTMLAnchorElement>('a[data-line]');
    if (!a) return;
    e.preventDefault();
    jump(Number(a.dataset.line), Number(a.dataset.col));
  });

  async function check(): Promise<void> {
    const mine = ++seq;
    const res = await fetch('/admin/check', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf() },
      body: JSON.stringify({ kind, id, text: view.state.doc.toString() }),
    });
    if (mine !== seq || !res.ok) return; // a newer check is on its way, or the session ended
    const r = (await res.json()) as CheckReply;
    showFindings(view, r);
    showDiagram(r);
    showPreview(r);
  }
}

function diagnosticsOf(view: EditorView, r: CheckReply): Diagnostic[] {
  const doc = view.state.doc;
  return [...r.errors, ...r.warnings].filter((f) => f.isOwnFile).map((f) => {
    const line = doc.line(Math.min(Math.max(1, f.line), doc.lines));
    const from = Math.min(line.from + Math.max(0, f.col - 1), line.to);
    return { from, to: Math.max(from, line.to), severity: f.severity, message: `${f.code} ${f.message}` };
  });
}

function showFindings(view: EditorView, r: CheckReply): void {
  view.dispatch(setDiagnostics(view.state, diagnosticsOf(view, r)));
  const box = document.getElementById('studio-findings');
  if (!box) return;
  const labels = box.dataset;
  box.replaceChildren();
  const status = el('p', r.ok ? `${labels.ok ?? '检查通过'}${r.paths ? `（${r.paths} 条路径）` : ''}` : `${(labels.bad ?? '有 {n} 处错误').replace('{n}', String(r.errors.length))}`, r.ok ? 'studio-ok' : 'studio-bad');
  status.id = 'studio-status';
  box.append(status);
  for (const [list, cls] of [[r.errors, 'error'], [r.warnings, 'warning']] as const) {
    if (list.length === 0) continue;
    if (cls === 'warning') box.append(el('h3', labels.warnings ?? '提醒', 'studio-subhead'));
    const ol = el('ol', undefined, 'studio-errors');
    for (const f of list) {
      const li = el('li', undefined, `studio-finding studio-finding--${cls}`);
      const a = el('a', f.isOwnFile ? `第 ${f.line} 行第 ${f.col} 列` : `${f.file}:${f.line}:${f.col}`);
      a.href = '#studio-text';
      a.dataset.line = String(f.isOwnFile ? f.line : 1);
      a.dataset.col = String(f.isOwnFile ? f.col : 1);
      li.append(a, ' ', el('code', f.code), ` ${f.message}`);
      ol.append(li);
    }
    box.append(ol);
  }
}

function showDiagram(r: CheckReply): void {
  const img = document.getElementById('studio-diagram') as HTMLImageElement | null;
  const steps = document.getElementById('studio-steps');
  if (!img || !r.diagram) return;
  img.src = r.diagram;
  img.hidden = false;
  if (steps && r.steps) steps.replaceChildren(...r.steps.map((s) => el('li', s.isFinal ? `${s.title}（结束）` : s.title)));
}

function showPreview(r: CheckReply): void {
  const box = document.getElementById('studio-preview');
  // Safe: the server rendered it with its own field partials, every value escaped there.
  if (box && r.previewHtml !== undefined) box.innerHTML = r.previewHtml;
}

const form = document.getElementById('studio-form');
if (form instanceof HTMLFormElement) mount(form);
