// load-shipped.ts: the shipped forms and workflows, compiled, for the DSL tests.
import fs from 'node:fs';
import path from 'node:path';
import { compileWorkflow } from '../../../engine/dsl/compile.ts';
import { compileRoles, type RoleSet } from '../../../engine/dsl/roles.ts';
import type { CompiledWorkflow } from '../../../engine/dsl/types.ts';
import { compileForm } from '../../../engine/forms/compile.ts';
import type { CompiledForm } from '../../../engine/forms/types.ts';

export const ROOT = path.resolve(import.meta.dirname, '../../..');

export function yamlFiles(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  return fs.existsSync(abs) ? fs.readdirSync(abs).filter((f) => f.endsWith('.yaml')).sort().map((f) => path.join(dir, f)) : [];
}

export function read(file: string): string {
  return fs.readFileSync(path.join(ROOT, file), 'utf8');
}

/** directory/roles.yaml, compiled; a broken one fails here with its own errors. */
export function shippedRoles(): RoleSet {
  const r = compileRoles(read('directory/roles.yaml'), 'directory/roles.yaml');
  if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
  return r.roles;
}

/** Forms by id; a broken shipped form fails here with its own errors. */
export function shippedForms(): Map<string, CompiledForm> {
  const forms = new Map<string, CompiledForm>();
  for (const file of yamlFiles('forms')) {
    const r = compileForm(read(file), file);
    if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
    forms.set(r.form.def.id, r.form);
  }
  return forms;
}

export function shippedWorkflows(forms: Map<string, CompiledForm>): CompiledWorkflow[] {
  return yamlFiles('workflows').map((file) => {
    const r = compileWorkflow(read(file), file, { forms, roles: shippedRoles() });
    if (!r.ok) throw new Error(r.errors.map((e) => e.format()).join('\n'));
    return r.workflow;
  });
}
