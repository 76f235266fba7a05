// select.ts: a directory selector (a member group, a role's holders, deputies by level and district)
// resolved to people on the directory snapshot: who is asked by a group step, who votes in a ballot.
// Values that are CEL in the YAML (`district: data.district`) arrive already evaluated.

import type { DirectorySnapshot, DirPerson } from './snapshot.ts';

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
