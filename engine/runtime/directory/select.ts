// select.ts: a selector (model/selector.ts) resolved against the operation's DirectorySnapshot into
// members, with no CEL per member. Shared by group steps and ballots' electorates; disabled people
// and orgs are left out. The caller evaluates the selector's expressions (district, each) first.
// selectPeople is the ballots' variant (people only, sorted by id).

import type { Selector } from '../../model/selector.ts';
import type { DirectorySnapshot, DirPerson } from './snapshot.ts';

/** One member: a person (assigneeId) or an org (orgId, for a role in it), and the unit they count under. */
export interface SelectedMember {
  assigneeId: string | null;
  orgId: string | null;
  unit: string | null;
  item: unknown;
}

/** The selector's expression values, worked out by the caller: `district` (null: the city's own, undefined: any) and `each`'s list. */
export interface SelectorValues {
  district?: string | null;
  list?: unknown[];
}

const person = (p: DirPerson): SelectedMember => ({ assigneeId: p.id, orgId: null, unit: p.orgId, item: null });

function inDistrict(d: string | null | undefined, at: string | null): boolean {
  return d === undefined || at === d;
}

/** The members a selector names today, in a stable order (the group's order, else the directory's). */
export function selectMembers(sel: Selector, v: SelectorValues, dir: DirectorySnapshot): SelectedMember[] {
  if ('group' in sel) {
    const g = dir.groups.get(sel.group);
    if (!g || g.disabled) return [];
    return g.members.map((id) => dir.people.get(id)).filter((p): p is DirPerson => !!p && !p.disabled).map(person);
  }
  if ('role' in sel) {
    return [...dir.people.values()].filter((p) => !p.disabled && p.roles.includes(sel.role) && inDistrict(v.district, p.district)).map(person);
  }
  if ('deputies' in sel) {
    const { level } = sel.deputies;
    return [...dir.people.values()]
      .filter((p) => !p.disabled && p.roles.includes('deputy') && (!level || p.deputyLevel === level) && inDistrict(v.district, p.district))
      .map(person);
  }
  if ('orgs' in sel) {
    return [...dir.orgs.values()].filter((o) => !o.disabled && o.kind === sel.orgs.kind && inDistrict(v.district, o.district))
      .map((o) => ({ assigneeId: null, orgId: o.id, unit: o.id, item: null }));
  }
  const seen = new Set<string>();
  const out: SelectedMember[] = [];
  for (const item of v.list ?? []) {
    if (typeof item !== 'string' || !item || seen.has(item)) continue;
    seen.add(item);
    if (sel.as === 'org') {
      const o = dir.orgs.get(item);
      if (!o || o.disabled) continue;
      out.push({ assigneeId: null, orgId: item, unit: item, item });
    } else {
      const p = dir.people.get(item);
      if (!p || p.disabled) continue;
      out.push({ ...person(p), item });
    }
  }
  return out;
}

export type PeopleSelector =
  | { group: string }
  | { role: string; district?: string }
  | { deputies: { level?: string; district?: string } }
  | { each: string[] };

/** Active people the selector names, sorted by id (duplicates and unknown ids dropped). */
export function selectPeople(dir: DirectorySnapshot, sel: PeopleSelector): DirPerson[] {
  const out = new Map<string, DirPerson>();
  const take = (p: DirPerson | undefined): void => {
    if (p && !p.disabled) out.set(p.id, p);
  };
  if ('group' in sel) {
    const g = dir.groups.get(sel.group);
    if (g && !g.disabled) for (const id of g.members) take(dir.people.get(id));
  } else if ('role' in sel) {
    for (const p of dir.people.values()) if (p.roles.includes(sel.role) && (sel.district === undefined || p.district === sel.district)) take(p);
  } else if ('deputies' in sel) {
    const { level, district } = sel.deputies;
    for (const p of dir.people.values()) {
      if (p.deputyLevel === null) continue;
      if (level !== undefined && p.deputyLevel !== level) continue;
      if (district !== undefined && p.district !== district) continue;
      take(p);
    }
  } else {
    for (const id of sel.each) take(dir.people.get(id));
  }
  return [...out.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
