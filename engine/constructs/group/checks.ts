// checks.ts: what the schema cannot say about a `group:` step, read from the YAML as written, each
// problem LVZ_DSL_BAD_GROUP with a message saying what to write instead; the roles it names (close_by, a
// selector's role), which dsl/checks/unknown-role.ts holds to the workflow's roles:; and `lvzhi check`'s
// finding of an expression reading data.<step> (LVZ_DSL_GROUP_NOT_IN_DATA).

import { LvzError } from '../../errors.ts';
import type { Source } from '../../yaml/source.ts';
import type { CheckContext, NamedRole, SiteView } from '../types.ts';
import { q } from '../../yaml/zh.ts';
import { GROUP_ACTIONS, MAX_OUTCOMES, type GroupStepFields } from './types.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- raw YAML, already shaped by the schema */
type Raw = Record<string, any>;

const KINDS = ['group', 'role', 'deputies', 'orgs', 'each'] as const;

function problems(name: string, s: Raw): { at: string; message: string }[] {
  const g = s.group as Raw;
  const out: { at: string; message: string }[] = [];
  if (s.task !== undefined || s.tasks !== undefined) {
    out.push({ at: 'group', message: `步骤${q(name)}同时写了“group”和“task/tasks”：一个步骤只能有一种任务，请删去其中一个` });
  }
  const to = (g.to ?? {}) as Raw;
  const kinds = KINDS.filter((k) => to[k] !== undefined);
  if (kinds.length !== 1) {
    out.push({ at: 'group/to', message: `步骤${q(name)}的 to: 要写且只写一种对象（group、role、deputies、orgs、each 之一），现在写了${kinds.length === 0 ? '零' : kinds.join('、')}种：请只保留一种` });
  } else if (to.as !== undefined && kinds[0] !== 'each') {
    out.push({ at: 'group/to/as', message: `步骤${q(name)}的 to: 中“as”只用于 each：请删去 as，或改用 each` });
  } else if (to.district !== undefined && kinds[0] !== 'role') {
    out.push({ at: 'group/to/district', message: `步骤${q(name)}的 to: 中“district”与 role 同用；deputies 和 orgs 请写在其中，如 { deputies: { district: data.district } }` });
  }
  const byOrg = kinds[0] === 'orgs' || (kinds[0] === 'each' && to.as === 'org');
  if (byOrg && g.role === undefined) {
    out.push({ at: 'group/to', message: `步骤${q(name)}按单位征求，每个单位由哪个角色办理？请在 group: 中写 role:，如 role: handling_unit` });
  }
  if (Array.isArray(g.outcomes) && g.outcomes.length > MAX_OUTCOMES) {
    out.push({ at: 'group/outcomes', message: `步骤${q(name)}有 ${g.outcomes.length} 个选项，群组步骤最多计 ${MAX_OUTCOMES} 个：请合并选项` });
  }
  (Array.isArray(g.actions) ? g.actions as string[] : []).forEach((a, i) => {
    if (!(GROUP_ACTIONS as readonly string[]).includes(a)) {
      out.push({ at: `group/actions/${i}`, message: `群组步骤${q(name)}不能提供“${a}”：成员的退回、加签会重新打开计数；可用的只有 ${GROUP_ACTIONS.join('、')}` });
    }
  });
  if (g.complete_when === 'sequential') {
    out.push({ at: 'group/complete_when', message: `群组步骤${q(name)}不能依次办理：依次办理请用 tasks:（适用于少数人），群组步骤请写 all、any、{ count: N }、{ ratio: r } 或表达式` });
  }
  return out;
}

/** The problems of one `group:` step (the YAML of its state, as written). */
export function checkGroupStep(state: string, src: Source): LvzError[] {
  const raw = (src.value ?? {}) as Raw;
  const s = ((raw.states ?? {}) as Record<string, Raw>)[state];
  if (!s || typeof s !== 'object' || s.group === undefined) return [];
  return problems(state, s).map((p) => {
    const path = `/states/${state}/${p.at}`;
    return new LvzError('LVZ_DSL_BAD_GROUP', p.message, { where: src.at(path), path, params: { state } });
  });
}

/** The roles a group step names of its own: who may close it early, and the role its `to:` asks. */
export function groupRoles(d: GroupStepFields, { state, path }: SiteView): NamedRole[] {
  const out = d.close_by.map((role, i) => ({ role, path: `${path}/close_by/${i}`, what: `步骤${q(state.name)}的 close_by: ` }));
  if ('role' in d.to) out.push({ role: d.to.role, path: `${path}/to/role`, what: `步骤${q(state.name)}的 to: ` });
  return out;
}

/**
 * `lvzhi check`: an expression reading data.<step> of a group step. The members' answers stay on their tasks
 * (thousands of them) and never enter the record, so such a read is the record field of that name (compiling
 * refused it when there is none): surely meant as the answers, which are counted in tally.<step>.
 */
export function groupReadAsData(_d: GroupStepFields, { state }: SiteView, { src, reads }: CheckContext): LvzError[] {
  const name = state.name;
  return reads.filter((r) => r.refs.includes(`data.${name}`)).map((r) => new LvzError('LVZ_DSL_GROUP_NOT_IN_DATA',
    `表达式${q(r.source)}读取 data.${name}，但群组步骤${q(name)}的答复记在各成员的任务上，不写入表单，这里读到的只是表单中同名的字段：要按答复情况判断，请改用 tally.${name}（total、open、done 及各选项的计数，如 tally.${name}.done）；确实要读表单字段的，请给步骤改名以免混淆`,
    { where: src.at(r.path), path: r.path, params: { state: name } }));
}
