// sheets.ts: the import file's format, as data: its sheets, their columns (matched by the Chinese
// header, in any order), and the Chinese words for org kinds, deputy levels and states. The
// reader (records.ts), the template (template.ts) and docs/directory.md follow this one table.

import type { OrgRow } from '../../../store/types.ts';
import { ORG_KINDS } from '../rules.ts';

export type SheetId = 'orgs' | 'people' | 'groups' | 'members' | 'roles';

export interface ColumnDef {
  key: string;
  header: string;
  required: boolean;
  example: string;
  hint: string;
}

export interface SheetDef {
  id: SheetId;
  name: string;
  about: string;
  columns: ColumnDef[];
}

const col = (key: string, header: string, required: boolean, example: string, hint: string): ColumnDef => ({ key, header, required, example, hint });

export const SHEETS: SheetDef[] = [
  {
    id: 'roles', name: '角色', about: '可选：声明 directory/roles.yaml 以外的新角色；已有的角色不必列出',
    columns: [
      col('id', '编码', true, 'liaison', '英文小写字母、数字和下划线，以字母开头；导入后不可改'),
      col('label', '名称', true, '民情联络员', '页面上显示的名称'),
      col('description', '说明', false, '协助代表联系群众', '这个角色做什么'),
    ],
  },
  {
    id: 'orgs', name: '组织机构', about: '每行一个组织；编码是它的固定标识，再次导入时按编码更新',
    columns: [
      col('id', '编码', true, 'zhangdian-hongqi', '英文字母、数字、点、下划线或连字符；导入后不可改'),
      col('name', '名称', true, '张店区红旗街道人大工委', ''),
      col('kind', '类型', true, '乡镇人大', '市人大常委会、区县人大常委会、乡镇人大、办公室、专门委员会、政府部门、代表团'),
      col('parentId', '上级编码', false, 'zhangdian', '上级组织的编码；最上级留空'),
      col('sort', '排序', false, '10', '同一上级下的顺序，整数，小的在前'),
      col('status', '状态', false, '在用', '在用或停用；留空为在用'),
    ],
  },
  {
    id: 'people', name: '人员', about: '每行一人；用户名是登录名，再次导入时按用户名更新',
    columns: [
      col('id', '用户名', true, 'wangjianguo', '登录名：2–40 个英文字母、数字、点、下划线或连字符'),
      col('name', '姓名', true, '王建国', ''),
      col('orgId', '组织编码', true, 'zhangdian-delegation', '所属组织的编码（代表填所在代表团）'),
      col('roles', '角色', false, '人大代表', '角色名称或编码，多个用顿号“、”或逗号分隔'),
      col('phone', '手机', false, '13800000000', ''),
      col('deputyLevel', '代表层级', false, '市', '人大代表填：全国、省、市、县、乡；其他人留空'),
      col('constituency', '选区', false, '张店区第三选区', '选区或选举单位'),
      col('status', '状态', false, '在用', '在用或停用；留空为在用'),
    ],
  },
  {
    id: 'groups', name: '分组', about: '可选：常委会组成人员、民情联络员等名单',
    columns: [
      col('id', '编码', true, 'liaisons', '英文小写字母、数字和下划线，以字母开头；导入后不可改'),
      col('name', '名称', true, '民情联络员', ''),
      col('description', '说明', false, '协助代表联系群众的联络员', ''),
    ],
  },
  {
    id: 'members', name: '分组成员', about: '可选：每行一名成员；导入只增加或更新成员，不删除文件中没有的成员',
    columns: [
      col('groupId', '分组编码', true, 'liaisons', '“分组”表或系统中已有分组的编码'),
      col('userId', '用户名', true, 'lianluo1', '“人员”表或系统中已有人员的用户名'),
      col('worksFor', '服务代表用户名', false, 'wangjianguo', '这名成员服务的代表（民情联络员填）；须是人大代表'),
    ],
  },
];

export function sheetById(id: SheetId): SheetDef {
  return SHEETS.find((s) => s.id === id)!;
}

/** The 类型 words of the template: rules.ts's labels of the org kinds. */
export const KIND_LABELS = ORG_KINDS;

/** The words a 类型 cell may hold: the labels above, their ids and a few names offices use. */
const KIND_WORDS: Record<string, OrgRow['kind']> = {
  ...Object.fromEntries(Object.entries(KIND_LABELS).map(([k, v]) => [v, k])),
  ...Object.fromEntries(Object.keys(KIND_LABELS).map((k) => [k, k])),
  区人大常委会: 'district', 县人大常委会: 'district', 乡镇人大主席团: 'town', 街道人大工委: 'town', 乡镇人大街道人大工委: 'town',
  工作委员会: 'office', 主席团: 'office', 承办单位: 'unit',
} as Record<string, OrgRow['kind']>;

export function kindOf(word: string): OrgRow['kind'] | undefined {
  return KIND_WORDS[word.replace(/\s/g, '')];
}

/** 在用 / 停用; undefined for anything else (a blank cell is 在用). */
export function disabledOf(word: string): boolean | undefined {
  if (word === '' || word === '在用' || word === '启用') return false;
  if (word === '停用') return true;
  return undefined;
}
