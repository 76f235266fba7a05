// new-texts.ts: the first text of a new workflow or form: a minimal skeleton that passes every check
// (one step the initiator fills in, then the end; a form with a title field), or a copy of an existing
// definition renamed to the new id (version 1, its record form renamed with it, no owner or extends).

const SCHEMA = {
  workflow: '# yaml-language-server: $schema=../schema/workflow.schema.json',
  form: '# yaml-language-server: $schema=../schema/form.schema.json',
};

/** `title` is already a YAML scalar (create.ts `scalar`). */
export function blankWorkflow(id: string, title: string): string {
  return [
    SCHEMA.workflow,
    '# 在流程定义管理中新建。roles（参与的角色）、starters（可发起的角色）和 states（步骤）的写法见 docs/dsl.md。',
    `id: ${id}`,
    'version: 1',
    `title: ${title}`,
    'description: 请写明这个流程办理什么事项。',
    'roles: [staff]',
    'starters: [staff]        # 哪些角色可以发起',
    `record: ${id}            # 记录表单（表单“${id}”已一并创建）`,
    'title_from: data.title',
    'initial: draft',
    '',
    'states:',
    '  draft:',
    '    title: 填写',
    '    task:',
    '      assignee: initiator',
    '      fields: { edit: [title] }',
    '    on:',
    '      submit: { to: done, label: 提交 }',
    '',
    '  done:',
    '    title: 办结',
    '    final: true',
    '',
  ].join('\n');
}

export function blankForm(id: string, title: string): string {
  return [
    SCHEMA.form,
    '# 在流程定义管理中新建。字段（fields）的写法见 docs/forms.md。',
    `id: ${id}`,
    'version: 1',
    `title: ${title}`,
    'fields:',
    '  - name: title',
    '    type: text',
    '    label: 标题',
    '    required: true',
    '    max_length: 100',
    '',
  ].join('\n');
}

/** Replace a top-level key's line (the first one), keeping any comment after the value. */
function setTop(text: string, key: string, value: string): string {
  return text.replace(new RegExp(`^${key}:[ \\t]*[^#\\n]*?([ \\t]+#.*)?$`, 'm'), (_m, comment: string | undefined) => `${key}: ${value}${comment ?? ''}`);
}

/**
 * A copy under a new id. The source's record form is renamed with it (`record:`); forms named by
 * single steps (`form:`) stay shared. A district's effective text loses its `owner:`: the copy is the city's.
 * The source's `number:` is left as a hint to fill in: two workflows may not number alike (LVZ_DSL_NUMBER_CLASH).
 */
export function copiedText(text: string, to: { id: string; title: string; note: string; record?: string }): string {
  const isForm = !/^states:/m.test(text);
  // A text published from the browser's form has CRLF line ends (HTML form encoding).
  let out = text.replace(/\r\n?/g, '\n').replace(/^# yaml-language-server:.*\n/m, '').replace(/^(owner|extends):.*\n/gm, '');
  out = setTop(setTop(setTop(out, 'id', to.id), 'version', '1'), 'title', to.title);
  if (to.record) out = setTop(out, 'record', to.record);
  out = out.replace(/^number:.*$/m, '# number: 本流程自己的编号格式，例如 “来信 第{year}{seq:3}号”（不写则为 2026-0001 式；docs/dsl.md 编号）');
  return `${isForm ? SCHEMA.form : SCHEMA.workflow}\n# ${to.note}\n${out}`;
}
