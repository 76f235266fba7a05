// records.ts: sheets of text -> records, each with its sheet and line. Finds what one row shows on
// its own (a missing name, a 类型 nobody knows, a 代表层级 that is not 全国/省/市/县/乡, unknown or
// missing columns); what needs other rows or the stored directory is check.ts's.

import { deputyLevelOf, GROUP_ID, ORG_ID, USERNAME } from '../rules.ts';
import { disabledOf, KIND_LABELS, kindOf, SHEETS, type SheetDef, type SheetId } from './sheets.ts';
import type { ImportProblem, ImportRecords, RawSheet, RowPlace } from './types.ts';

/** A role id, as changes.ts declares one. */
const ROLE_ID = /^[a-z][a-z0-9_]{0,63}$/;

const SHEET_NAMES = SHEETS.map((s) => s.name).join('、');

type Cells = Record<string, string>;

/** Which sheet a CSV holds: the name given, else one in its file name, else the one its header fits. */
function sheetOf(raw: RawSheet, problems: ImportProblem[]): SheetDef | undefined {
  if (raw.name) {
    const def = SHEETS.find((s) => s.name === raw.name);
    if (!def && raw.name !== '说明') problems.push({ sheet: raw.name, line: 0, message: `工作表“${raw.name}”不是通讯录的工作表：请改名为 ${SHEET_NAMES} 之一，或删去这个工作表（“说明”表会被忽略）` });
    return def;
  }
  const base = raw.file.replace(/^.*[\\/]/, '');
  const named = [...SHEETS].sort((a, b) => b.name.length - a.name.length).find((s) => base.includes(s.name));
  if (named) return named;
  const fits = SHEETS.filter((s) => s.columns.filter((c) => c.required).every((c) => raw.header.includes(c.header))
    && raw.header.every((h) => !h || s.columns.some((c) => c.header === h)));
  if (fits.length === 1) return fits[0];
  const why = fits.length > 1 ? `表头同时符合“${fits.map((s) => s.name).join('”和“')}”` : '表头不符合任何一种通讯录工作表';
  problems.push({ sheet: base, line: raw.headerLine || 1, message: `看不出“${base}”是哪一个工作表（${why}）：请在文件名中写明 ${SHEET_NAMES} 之一（例如“人员.csv”），或在命令行加 --sheet 人员` });
  return undefined;
}

/** Column index -> key, with a problem for each unknown, repeated or missing column. */
function columnsOf(def: SheetDef, raw: RawSheet, problems: ImportProblem[]): Map<number, string> | undefined {
  const at = { sheet: def.name, line: raw.headerLine || 1 };
  const out = new Map<number, string>();
  const unknown: string[] = [];
  raw.header.forEach((h, i) => {
    if (!h) return;
    const c = def.columns.find((x) => x.header === h);
    if (!c) unknown.push(h);
    else if ([...out.values()].includes(c.key)) problems.push({ ...at, message: `表头“${h}”出现了两次：请删去其中一列` });
    else out.set(i, c.key);
  });
  const allowed = def.columns.map((c) => c.header).join('、');
  if (unknown.length > 0) problems.push({ ...at, message: `表头中的“${unknown.join('”“')}”不是“${def.name}”表的列：这张表的列是 ${allowed}（顺序不限）；请改正表头或删去这些列` });
  const missing = def.columns.filter((c) => c.required && ![...out.values()].includes(c.key)).map((c) => c.header);
  if (missing.length > 0) problems.push({ ...at, message: `缺少必填的列“${missing.join('”“')}”：这张表的列是 ${allowed}` });
  return unknown.length > 0 || missing.length > 0 ? undefined : out;
}

interface Row {
  at: RowPlace;
  cells: Cells;
  /** Keys whose column is in the sheet (an absent optional column leaves the stored value alone). */
  has: Set<string>;
}

/** Reads every sheet of every file into records; a sheet given twice is a problem. */
export function readRecords(sheets: RawSheet[]): ImportRecords {
  const out: ImportRecords = { orgs: [], people: [], groups: [], members: [], roles: [], problems: [] };
  const seen = new Map<SheetId, string>();
  for (const raw of sheets) {
    const def = sheetOf(raw, out.problems);
    if (!def) continue;
    const from = raw.name || raw.file;
    if (seen.has(def.id)) {
      out.problems.push({ sheet: def.name, line: 0, message: `“${def.name}”表出现了两次（${seen.get(def.id)} 和 ${from}）：请合并为一张表` });
      continue;
    }
    seen.set(def.id, from);
    const columns = columnsOf(def, raw, out.problems);
    if (!columns) continue;
    const has = new Set(columns.values());
    for (const r of raw.rows) {
      const cells: Cells = {};
      for (const [i, key] of columns) cells[key] = r.cells[i] ?? '';
      READERS[def.id]({ at: { sheet: def.name, line: r.line }, cells, has }, out, def);
    }
  }
  return out;
}

type Reader = (row: Row, out: ImportRecords, def: SheetDef) => void;

/** Problems for required cells left empty and cells over their length; false when any. */
function ensureCells(row: Row, def: SheetDef, out: ImportRecords, lengths: Record<string, number>): boolean {
  const before = out.problems.length;
  for (const c of def.columns) {
    const v = row.cells[c.key] ?? '';
    if (c.required && !v) out.problems.push({ ...row.at, message: `“${c.header}”不能为空：请填写${c.hint ? `（${c.hint}）` : ''}` });
    const max = lengths[c.key] ?? 200;
    if (v.length > max) out.problems.push({ ...row.at, message: `“${c.header}”超过 ${max} 个字：请缩短` });
  }
  return out.problems.length === before;
}

const problem = (out: ImportRecords, row: Row, message: string): void => { out.problems.push({ ...row.at, message }); };

function status(row: Row, out: ImportRecords): boolean | undefined {
  if (!row.has.has('status')) return undefined;
  const d = disabledOf(row.cells.status!);
  if (d === undefined) problem(out, row, `状态“${row.cells.status}”不对：请填“在用”或“停用”（留空为在用）`);
  return d;
}

const optional = (row: Row, key: string): string | null | undefined => (row.has.has(key) ? row.cells[key] || null : undefined);

const READERS: Record<SheetId, Reader> = {
  roles(row, out, def) {
    if (!ensureCells(row, def, out, { id: 40, label: 100, description: 500 })) return;
    const { id, label, description } = row.cells as Required<Cells>;
    if (!ROLE_ID.test(id!)) return problem(out, row, `角色编码“${id}”不可用：请用英文小写字母、数字和下划线，以字母开头（例如 liaison）`);
    out.roles.push({ at: row.at, id: id!, label: label!, description: description ?? '' });
  },
  orgs(row, out, def) {
    if (!ensureCells(row, def, out, { id: 64, parentId: 64, sort: 9 })) return;
    const c = row.cells;
    const kind = kindOf(c.kind!);
    const sort = c.sort ? Number(c.sort) : undefined;
    const disabled = status(row, out);
    if (!ORG_ID.test(c.id!)) problem(out, row, `组织编码“${c.id}”不可用：请用英文字母、数字、点、下划线或连字符（例如 zhangdian-hongqi）`);
    if (!kind) problem(out, row, `类型“${c.kind}”不认识：请填 ${Object.values(KIND_LABELS).join('、')} 之一`);
    if (sort !== undefined && !Number.isInteger(sort)) problem(out, row, `排序“${c.sort}”不是整数：请填整数，或留空`);
    if (!kind || !ORG_ID.test(c.id!) || (sort !== undefined && !Number.isInteger(sort)) || (row.has.has('status') && disabled === undefined)) return;
    out.orgs.push({
      at: row.at, id: c.id!, name: c.name!, kind, parentId: c.parentId || null,
      ...(sort !== undefined && { sort }), ...(disabled !== undefined && { disabled }),
    });
  },
  people(row, out, def) {
    if (!ensureCells(row, def, out, { id: 40, orgId: 64, roles: 500, phone: 32 })) return;
    const c = row.cells;
    const before = out.problems.length;
    if (!USERNAME.test(c.id!)) problem(out, row, `用户名“${c.id}”不可用：请用 2–40 个英文字母、数字、点、下划线或连字符，以字母或数字开头（例如 zhangsan）`);
    const level = c.deputyLevel ? deputyLevelOf(c.deputyLevel) : null;
    if (level === undefined) problem(out, row, `代表层级“${c.deputyLevel}”不对：请填 全国、省、市、县、乡 之一，不是代表请留空`);
    const disabled = status(row, out);
    if (out.problems.length > before) return;
    out.people.push({
      at: row.at, id: c.id!, name: c.name!, orgId: c.orgId!, roles: splitRoles(c.roles ?? ''),
      ...(row.has.has('phone') && { phone: c.phone || null }),
      ...(row.has.has('deputyLevel') && { deputyLevel: level ?? null }),
      ...(row.has.has('constituency') && { constituency: optional(row, 'constituency') ?? null }),
      ...(disabled !== undefined && { disabled }),
    });
  },
  groups(row, out, def) {
    if (!ensureCells(row, def, out, { id: 64, description: 500 })) return;
    const c = row.cells;
    if (!GROUP_ID.test(c.id!)) return problem(out, row, `分组编码“${c.id}”不可用：请用英文小写字母、数字和下划线，以字母开头（例如 liaisons）`);
    out.groups.push({ at: row.at, id: c.id!, name: c.name!, ...(row.has.has('description') && { description: c.description ?? '' }) });
  },
  members(row, out, def) {
    if (!ensureCells(row, def, out, { groupId: 64, userId: 40, worksFor: 40 })) return;
    const c = row.cells;
    out.members.push({ at: row.at, groupId: c.groupId!, userId: c.userId!, worksFor: c.worksFor || null });
  },
};

/** 人大代表、民情联络员 / deputy,liaison: split on 、 , ， ; ； and blanks, each once. */
export function splitRoles(cell: string): string[] {
  return [...new Set(cell.split(/[、,，;；\s]+/).map((r) => r.trim()).filter(Boolean))];
}
