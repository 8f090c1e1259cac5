import type { Role } from '@/db/schema';
import { Forbidden, Unauthenticated } from './errors';

/** Who is asking. `null` is the public: nobody signed in. */
export interface Actor {
  userId: string;
  orgId: string;
  orgSlug: string;
  orgName: string;
  email: string;
  role: Role;
  via: 'session' | 'token' | 'cli';
  tokenId?: string;
}

export type ActorRole = Role | 'public';
export const ROLES = ['researcher', 'caseworker', 'reviewer', 'admin'] as const satisfies readonly Role[];
export const ACTOR_ROLES: readonly ActorRole[] = ['public', ...ROLES];

/**
 * scope:
 *  - 'instance': not tied to an organisation (public pages, cross-organisation aggregates);
 *  - 'org': the resource's organisation must be the actor's;
 *  - 'self': the resource is the actor's own account or token.
 * notBy: the named field of the resource must not be the actor (two-person rules).
 * onlyBy: the named field of the resource must be the actor (a draft is edited by its author only).
 */
interface Rule {
  roles: readonly ActorRole[];
  scope: 'instance' | 'org' | 'self';
  notBy?: 'enteredBy' | 'authorId' | 'proposedBy';
  onlyBy?: 'authorId';
}

const staff = ['caseworker', 'reviewer', 'admin'] as const;
const seniors = ['reviewer', 'admin'] as const;
const signedIn = ROLES;

// The whole authorization table. Read it in one screen; the tests walk every cell.
export const RULES = {
  'summary.readPublished': { roles: ACTOR_ROLES, scope: 'instance' },
  'source.readPublic': { roles: ACTOR_ROLES, scope: 'instance' },
  'account.manage': { roles: signedIn, scope: 'self' },
  'token.createOwn': { roles: signedIn, scope: 'self' },
  'token.revokeOwn': { roles: signedIn, scope: 'self' },
  'aggregate.read': { roles: ['researcher', ...staff], scope: 'instance' },
  'testimony.read': { roles: staff, scope: 'org' },
  'testimony.create': { roles: staff, scope: 'org' },
  'testimony.update': { roles: staff, scope: 'org' },
  'testimony.import': { roles: staff, scope: 'org' },
  'testimony.export': { roles: seniors, scope: 'org' },
  'testimony.approve': { roles: seniors, scope: 'org', notBy: 'enteredBy' },
  'quote.approve': { roles: seniors, scope: 'org', notBy: 'proposedBy' },
  'source.read': { roles: staff, scope: 'org' },
  'source.create': { roles: staff, scope: 'org' },
  'source.update': { roles: staff, scope: 'org' },
  'claim.create': { roles: staff, scope: 'org' },
  'summary.read': { roles: seniors, scope: 'org' },
  'summary.author': { roles: seniors, scope: 'org' },
  'summary.edit': { roles: seniors, scope: 'org', onlyBy: 'authorId' },
  'summary.approve': { roles: seniors, scope: 'org', notBy: 'authorId' },
  'user.list': { roles: ['admin'], scope: 'org' },
  'user.create': { roles: ['admin'], scope: 'org' },
  'user.update': { roles: ['admin'], scope: 'org' },
  'token.list': { roles: ['admin'], scope: 'org' },
  'token.revoke': { roles: ['admin'], scope: 'org' },
  'audit.read': { roles: ['admin'], scope: 'org' },
  'aggregate.budget': { roles: ['admin'], scope: 'org' },
} as const satisfies Record<string, Rule>;

export type Action = keyof typeof RULES;
export const ACTIONS = Object.keys(RULES) as Action[];

/** What a rule needs to know about the thing acted on. */
export interface Resource {
  orgId?: string;
  ownerId?: string;
  enteredBy?: string | null;
  authorId?: string | null;
  proposedBy?: string | null;
}

export function roleOf(actor: Actor | null): ActorRole {
  return actor ? actor.role : 'public';
}

export function can(actor: Actor | null, action: Action, resource: Resource = {}): boolean {
  const rule: Rule = RULES[action];
  if (!rule.roles.includes(roleOf(actor))) return false;
  if (rule.scope === 'instance') return true;
  if (!actor) return false;
  if (rule.scope === 'self') return resource.ownerId === undefined || resource.ownerId === actor.userId;
  if (resource.orgId !== actor.orgId) return false;
  if (rule.notBy && resource[rule.notBy] === actor.userId) return false;
  if (rule.onlyBy && resource[rule.onlyBy] !== actor.userId) return false;
  return true;
}

/** Throws the error the caller should see: 401 for the public, 403 for a signed-in actor. */
export function assertCan(actor: Actor | null, action: Action, resource: Resource = {}): void {
  if (can(actor, action, resource)) return;
  if (!actor) throw new Unauthenticated();
  throw new Forbidden();
}
