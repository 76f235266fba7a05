// roles.ts: how each role is named in zh-CN, shared by the login page's demo list and the
// holder of a task held by a role (办理人 in the inbox and on the instance page).

import type { Role } from './types.ts';

export const ROLE_LABELS: Record<Role, string> = {
  admin: '系统管理员',
  deputy: '人大代表',
  review_office: '审查交办（代表工委）',
  handling_unit: '承办单位',
  committee: '专门委员会',
  presidium: '主席团',
  leader: '督办领导',
  staff: '机关工作人员',
};

/** The zh-CN name of a role; an id the table lacks (a custom role) is shown as it is. */
export function roleLabel(role: string): string {
  return (ROLE_LABELS as Record<string, string>)[role] ?? role;
}
