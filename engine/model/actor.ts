// actor.ts: who acts: a signed-in person with their organisation and roles, and what a role is.

/**
 * A role id declared in directory/roles.yaml (`deputy`, `review_office`, …): data, not a list in code.
 * Workflows are checked against the declared set when they compile; the engine's own roles are named
 * constants (ADMIN_ROLE, HANDLING_UNIT_ROLE in engine/dsl/roles.ts).
 */
export type Role = string;

export interface Actor {
  userId: string;
  username: string;
  name: string;
  orgId: string;
  orgName: string;
  roles: Role[];
  /** Set when acting for someone under an out-of-office delegation (代理). */
  onBehalfOf?: { userId: string; name: string };
}
