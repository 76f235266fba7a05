// types.ts: the admin studio as the server sees it (engine.studio). Every call checks the actor:
// admins only; a district's admin may change only definitions its district owns (LVZ_AUTH_FORBIDDEN).

import type { FormModel } from '../../forms/types.ts';
import type { Actor } from '../../model/actor.ts';
import type { DiagramModel } from '../../model/diagram.ts';
import type { Once } from '../idempotency.ts';

export type StudioKind = 'workflow' | 'form';

/** One finding of a check, placed for the editor. `isOwnFile` is false for a problem in an inherited (city's) part. */
export interface StudioFinding {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  line: number;
  col: number;
  file: string;
  isOwnFile: boolean;
  path?: string;
}

export interface StudioEntry {
  kind: StudioKind;
  id: string;
  title: string;
  latestVersion: number;
  /** Org id of the owner; `city` when the definition names none. */
  owner: string;
  ownerName: string;
  /** For a district's definition: the workflow it extends. */
  extendsId?: string;
  /** Districts' definitions that extend this one. */
  extendedBy: { id: string; title: string; ownerName: string }[];
  /** Running instances, all versions. */
  running: number;
  canEdit: boolean;
  updatedAt: string;
  authorName?: string;
  /** Created in the studio and not yet published (version 0): only the studio shows it. */
  isNew?: boolean;
  /** 停用: no new starts (workflows). */
  disabled?: { at: string; byName: string };
}

/** 新建流程 / 新建表单: blank, or a copy of the published definition `from` of the same kind. */
export interface NewDefinitionInput {
  kind: StudioKind;
  id: string;
  title: string;
  from?: string;
}

/** A line of the studio's own history beside the versions: created, disabled (停用), enabled (启用). */
export interface AuditLine {
  action: 'create' | 'disable' | 'enable';
  at: string;
  actorName: string;
  note: string | null;
}

export interface VersionInfo {
  version: number;
  createdAt: string;
  /** null: shipped with the product (seeded from workflows/ or forms/). */
  authorName: string | null;
  message: string | null;
  running: number;
  parent?: { id: string; version: number };
}

export interface StudioDefinition {
  entry: StudioEntry;
  /** The newest version's editable text (a district's own file, not its effective definition). */
  text: string;
  latestVersion: number;
  /** The actor's saved draft, if any. */
  draft?: { text: string; baseVersion: number; updatedAt: string };
  versions: VersionInfo[];
  canEdit: boolean;
  /** Created, disabled and enabled, oldest first. */
  audit: AuditLine[];
}

export interface CheckResult {
  ok: boolean;
  errors: StudioFinding[];
  warnings: StudioFinding[];
  /** Workflows: paths from the start to an end (lvzhi check's count). */
  paths?: number;
  /** Workflows: the diagram of the effective definition. */
  diagram?: DiagramModel;
  /** Forms: the page it renders, every field editable (the live preview). */
  preview?: FormModel;
  title?: string;
  /** A district's effective definition as YAML (what runs). */
  effectiveText?: string;
}

export interface PublishInput {
  text: string;
  message: string;
  /** The version the editor started from; another publish since then gives LVZ_RUN_CONFLICT. */
  baseVersion: number;
}

/** Whether a district's overrides still apply to the city's newest version. */
export interface DistrictStatus {
  id: string;
  title: string;
  ownerName: string;
  /** `extends: suggestion@1`: keeps running on that version whatever the city publishes. */
  pinnedTo?: number;
  /** The city version its newest version was merged from. */
  basedOn?: number;
  status: 'ok' | 'conflict';
  findings: StudioFinding[];
}

export interface PublishResult {
  kind: StudioKind;
  id: string;
  version: number;
  districts: DistrictStatus[];
}

export interface DiffLine {
  kind: 'same' | 'add' | 'del';
  oldNo?: number;
  newNo?: number;
  text: string;
}

export interface DiffRow {
  left?: { no: number; text: string; kind: 'same' | 'del' };
  right?: { no: number; text: string; kind: 'same' | 'add' };
}

export interface DiffView {
  from: number;
  to: number;
  unified: DiffLine[];
  split: DiffRow[];
  added: number;
  removed: number;
}

export interface DistrictDifference {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  from?: string;
  to?: string;
}

export interface DistrictView {
  id: string;
  title: string;
  latestVersion: number;
  parent: { id: string; title: string; newestVersion: number };
  canEdit: boolean;
  /** The district's effective definition against the city's newest. */
  differences: DistrictDifference[];
  status: DistrictStatus;
}

/** A district the actor may start customising a city workflow for, and the id it would get. */
export interface DistrictOption {
  district: string;
  name: string;
  id: string;
}

export interface MigrationInput {
  from: number;
  to: number;
  /** Old state -> new state; a state left out maps to the same name when the new version has it. */
  mapping: Record<string, string>;
}

export interface MigrationPlan {
  workflowId: string;
  title: string;
  from: number;
  to: number;
  versions: number[];
  toStates: { name: string; title: string }[];
  states: { state: string; title: string; count: number; target?: string; targetTitle?: string; problem?: string }[];
  instances: { instanceId: string; number: string; title: string; state: string; stateTitle: string; target?: string; targetTitle?: string; problem?: string }[];
  movable: number;
  stranded: number;
  ok: boolean;
}

export interface Studio {
  list(actor: Actor): Promise<StudioEntry[]>;
  definition(actor: Actor, kind: StudioKind, id: string): Promise<StudioDefinition>;
  versionText(actor: Actor, kind: StudioKind, id: string, version: number): Promise<{ text: string; info: VersionInfo }>;
  /** Compile + model-check a text without storing anything; `id` names the definition being edited. */
  check(actor: Actor, kind: StudioKind, id: string, text: string): Promise<CheckResult>;
  /** A new version N+1 (author, time, message); LVZ_DSL_INVALID with params.errors, LVZ_RUN_CONFLICT, LVZ_AUTH_FORBIDDEN. */
  publish(actor: Actor, kind: StudioKind, id: string, input: PublishInput): Promise<PublishResult>;
  saveDraft(actor: Actor, kind: StudioKind, id: string, input: { text: string; baseVersion: number }): Promise<void>;
  discardDraft(actor: Actor, kind: StudioKind, id: string): Promise<void>;
  diff(actor: Actor, kind: StudioKind, id: string, from: number, to: number): Promise<DiffView>;
  /** For a city workflow: each district extending it; for a district's: itself. */
  districts(actor: Actor, id: string): Promise<DistrictView[]>;
  /** Districts the actor may create a customisation of city workflow `id` for (its own only, for a district admin). */
  districtOptions(actor: Actor, id: string): Promise<DistrictOption[]>;
  /**
   * `<district>-<cityId>` as version 1, extending the city's workflow with no overrides yet (message 创建本区定制).
   * A district admin: his own district only (LVZ_AUTH_FORBIDDEN); a city admin names the district.
   * LVZ_RUN_CONFLICT when the district already customises it; LVZ_RUN_BAD_REQUEST for a district's own workflow.
   */
  createDistrict(actor: Actor, cityId: string, district?: string): Promise<PublishResult>;
  planMigration(actor: Actor, id: string, input: MigrationInput): Promise<MigrationPlan>;
  /** Moves every running instance of `from` in one transaction, or none (LVZ_RUN_MIGRATION_REFUSED). */
  migrate(actor: Actor, id: string, input: MigrationInput): Promise<{ moved: number; plan: MigrationPlan }>;
  /**
   * 新建: a stub the editor publishes as version 1 (a workflow's record form is published at once).
   * City admins only (LVZ_AUTH_FORBIDDEN); LVZ_RUN_ID_INVALID, LVZ_RUN_ID_TAKEN; a repeat of `once` replays.
   */
  createDefinition(actor: Actor, input: NewDefinitionInput, once?: Once): Promise<{ kind: StudioKind; id: string; replayed?: boolean }>;
  /** Published definitions of a kind a new one may copy; city admins only (LVZ_AUTH_FORBIDDEN). */
  newSources(actor: Actor, kind: StudioKind): Promise<{ id: string; title: string; version: number }[]>;
  /** 停用 (false) / 启用 (true) a workflow; `changed` false when it already was so. */
  setEnabled(actor: Actor, id: string, enabled: boolean): Promise<{ changed: boolean; disabled: boolean }>;
  /** Load versions another process published into this one's registry. */
  refresh(): Promise<void>;
}
