// admin-paths.ts: what every studio page shares: the kinds in its URLs (/admin/workflows/<id>,
// /admin/forms/<id>) and the studio's stylesheet. Kept apart from admin.ts so the studio's other
// route files (versions, timers, calendar, new) import it without importing the page that registers them.

import type { StudioKind } from '../../engine/runtime/authoring/types.ts';

const KINDS: Record<string, StudioKind> = { workflows: 'workflow', forms: 'form' };

export function kindOf(segment: string): StudioKind {
  const k = KINDS[segment];
  if (!k) throw Object.assign(new Error('not found'), { statusCode: 404 });
  return k;
}

export function adminUrl(kind: StudioKind, id: string, rest = ''): string {
  return `/admin/${kind === 'form' ? 'forms' : 'workflows'}/${encodeURIComponent(id)}${rest}`;
}

/** The studio's stylesheet on every studio page; the editor's bundle (npm run build:studio) on the editor. */
export const STUDIO_CSS = { pageStyles: ['/static/studio/studio.css'] };
