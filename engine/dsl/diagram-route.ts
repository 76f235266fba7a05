// diagram-route.ts: the path of each arrow, from the points dagre placed it through.
//
// dagre puts every box, every arrow label and every bend of a long arrow in a layer (a horizontal band),
// and keeps the things in one band apart. Its own polyline joins those points with slanted lines that can
// cut through a neighbour in the band (a label beside the arrow's own). So an arrow here runs straight up
// or down through each band, in the column dagre kept free for it, and slants only in the empty gap
// between two bands: nothing it does not join can lie in its way. Where an arrow meets a box, the arrows
// on that side are spread along it, so two never share a point.

export interface Point {
  x: number;
  y: number;
}

/** A rectangle by its top-left corner. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Band {
  top: number;
  bottom: number;
}

/** An arrow as dagre placed it: the two boxes it joins and the points it passes between them (top to bottom or back). */
export interface Chain {
  from: string;
  to: string;
  via: Point[];
}

/** The band each placed rectangle lies in, found by its centre line (dagre centres a layer's rectangles on one line). */
export function bandsOf(rects: Iterable<Rect>): (y: number) => Band {
  const bands = new Map<number, Band>();
  for (const r of rects) {
    const key = Math.round(r.y + r.h / 2);
    const b = bands.get(key) ?? { top: r.y, bottom: r.y + r.h };
    bands.set(key, { top: Math.min(b.top, r.y), bottom: Math.max(b.bottom, r.y + r.h) });
  }
  return (y) => bands.get(Math.round(y)) ?? { top: y, bottom: y };
}

// An arrow meets a box at least this far from its corners; on the left, clear of the 当前 tag (diagram.ts) on its corner.
const PORT_INSET = { left: 46, right: 12 };
const PORT_GAP = 12; // and this far from the next arrow on the same side

interface Port {
  chain: number;
  end: 'from' | 'to';
  want: number;
  x?: number;
}

/** The polyline of each chain, in the order given. */
export function route(chains: Chain[], rects: Map<string, Rect>, bandAt: (y: number) => Band): Point[][] {
  const cy = (r: Rect): number => r.y + r.h / 2;
  const sides = new Map<string, Port[]>();
  const attach = (node: string, down: boolean, port: Port): void => {
    const key = `${node} ${down ? 'bottom' : 'top'}`;
    sides.set(key, [...(sides.get(key) ?? []), port]);
  };
  const ends = chains.map((c) => {
    const [f, t] = [rects.get(c.from)!, rects.get(c.to)!];
    const first = c.via[0] ?? { x: t.x + t.w / 2, y: cy(t) };
    const last = c.via[c.via.length - 1] ?? { x: f.x + f.w / 2, y: cy(f) };
    return { f, t, leaveDown: first.y > cy(f), enterDown: last.y < cy(t), first, last };
  });
  const ports = chains.map((c, i) => {
    const e = ends[i]!;
    const out: Port = { chain: i, end: 'from', want: e.first.x };
    const inn: Port = { chain: i, end: 'to', want: e.last.x };
    attach(c.from, e.leaveDown, out);
    attach(c.to, !e.enterDown, inn);
    return { out, inn };
  });
  for (const [key, list] of sides) spread(list, rects.get(key.slice(0, key.indexOf(' ')))!);

  return chains.map((c, i) => {
    const { f, t, leaveDown, enterDown } = ends[i]!;
    const { out, inn } = ports[i]!;
    const pts: Point[] = [];
    const fb = bandAt(cy(f));
    pts.push({ x: out.x!, y: leaveDown ? f.y + f.h : f.y }, { x: out.x!, y: leaveDown ? fb.bottom : fb.top });
    let down = leaveDown;
    c.via.forEach((v, k) => {
      const next = c.via[k + 1] ?? { y: cy(t) };
      const b = bandAt(v.y);
      pts.push({ x: v.x, y: down ? b.top : b.bottom });
      down = next.y > v.y;
      pts.push({ x: v.x, y: down ? b.bottom : b.top });
    });
    const tb = bandAt(cy(t));
    pts.push({ x: inn.x!, y: enterDown ? tb.top : tb.bottom }, { x: inn.x!, y: enterDown ? t.y : t.y + t.h });
    return pts.filter((p, k) => k === 0 || p.x !== pts[k - 1]!.x || p.y !== pts[k - 1]!.y);
  });
}

/** Where each arrow meets one side of a box: under the point it heads for, or evenly spaced when that would crowd them. */
function spread(list: Port[], r: Rect): void {
  const [lo, hi] = [r.x + Math.min(PORT_INSET.left, r.w / 2), r.x + r.w - Math.min(PORT_INSET.right, r.w / 2)];
  list.sort((a, b) => a.want - b.want || a.chain - b.chain);
  list.forEach((p) => (p.x = Math.min(hi, Math.max(lo, p.want))));
  const crowded = list.some((p, i) => i > 0 && p.x! - list[i - 1]!.x! < PORT_GAP);
  if (crowded) list.forEach((p, i) => (p.x = Math.round(lo + ((hi - lo) * (i + 1)) / (list.length + 1))));
}
