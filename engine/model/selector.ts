// selector.ts: who a group step (or a ballot's electorate) reaches, as data (docs/group-steps.md
// "The YAML"). `district` is CEL over the record (data.district), evaluated once at entry; the other
// values are literal names checked against the directory.

export const DEPUTY_LEVEL_NAMES = ['national', 'provincial', 'city', 'county', 'township'] as const;

export type Selector =
  | { group: string }
  | { role: string; district?: string }
  | { deputies: { level?: (typeof DEPUTY_LEVEL_NAMES)[number]; district?: string } }
  | { orgs: { kind: string; district?: string } }
  /** A list in the record (today's for_each): each element a person id (`as: person`, the default) or an org id. */
  | { each: string; as?: 'person' | 'org' };

/** The kind of a selector: its one key besides `as`. */
export function selectorKind(s: Selector): 'group' | 'role' | 'deputies' | 'orgs' | 'each' {
  if ('group' in s) return 'group';
  if ('role' in s) return 'role';
  if ('deputies' in s) return 'deputies';
  if ('orgs' in s) return 'orgs';
  return 'each';
}

/** The CEL expressions a selector holds (district, each), for the expression checks. */
export function selectorExprs(s: Selector): string[] {
  if ('each' in s) return [s.each];
  if ('role' in s) return s.district ? [s.district] : [];
  if ('deputies' in s) return s.deputies.district ? [s.deputies.district] : [];
  if ('orgs' in s) return s.orgs.district ? [s.orgs.district] : [];
  return [];
}
