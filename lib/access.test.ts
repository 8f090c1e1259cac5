import { describe, expect, it } from 'vitest';
import { ACTIONS, ACTOR_ROLES, can, RULES, type Actor, type ActorRole } from './access';

const ORG_A = '00000000-0000-4000-8000-00000000000a';
const ORG_B = '00000000-0000-4000-8000-00000000000b';

function actorOf(role: ActorRole): Actor | null {
  if (role === 'public') return null;
  return { userId: `user-${role}`, orgId: ORG_A, orgSlug: 'a', orgName: 'A', email: `${role}@a.example`, role, via: 'session' };
}

// The expected answer, written independently of lib/access.ts's table, so a wrong edit there fails here.
const who = {
  everyone: ['public', 'researcher', 'caseworker', 'reviewer', 'admin'],
  signedIn: ['researcher', 'caseworker', 'reviewer', 'admin'],
  staff: ['caseworker', 'reviewer', 'admin'],
  seniors: ['reviewer', 'admin'],
  aggregates: ['researcher', 'caseworker', 'reviewer', 'admin'],
  admin: ['admin'],
} as const;
const EXPECTED: Record<string, { roles: readonly string[]; crossOrg: boolean }> = {
  'summary.readPublished': { roles: who.everyone, crossOrg: true },
  'source.readPublic': { roles: who.everyone, crossOrg: true },
  'account.manage': { roles: who.signedIn, crossOrg: false },
  'token.createOwn': { roles: who.signedIn, crossOrg: false },
  'token.revokeOwn': { roles: who.signedIn, crossOrg: false },
  'aggregate.read': { roles: who.aggregates, crossOrg: true },
  'testimony.read': { roles: who.staff, crossOrg: false },
  'testimony.create': { roles: who.staff, crossOrg: false },
  'testimony.update': { roles: who.staff, crossOrg: false },
  'testimony.import': { roles: who.staff, crossOrg: false },
  'testimony.export': { roles: who.seniors, crossOrg: false },
  'testimony.approve': { roles: who.seniors, crossOrg: false },
  'quote.approve': { roles: who.seniors, crossOrg: false },
  'source.read': { roles: who.staff, crossOrg: false },
  'source.create': { roles: who.staff, crossOrg: false },
  'source.update': { roles: who.staff, crossOrg: false },
  'claim.create': { roles: who.staff, crossOrg: false },
  'summary.read': { roles: who.seniors, crossOrg: false },
  'summary.author': { roles: who.seniors, crossOrg: false },
  'summary.edit': { roles: who.seniors, crossOrg: false },
  'summary.approve': { roles: who.seniors, crossOrg: false },
  'user.list': { roles: who.admin, crossOrg: false },
  'user.create': { roles: who.admin, crossOrg: false },
  'user.update': { roles: who.admin, crossOrg: false },
  'token.list': { roles: who.admin, crossOrg: false },
  'token.revoke': { roles: who.admin, crossOrg: false },
  'audit.read': { roles: who.admin, crossOrg: false },
  'aggregate.budget': { roles: who.admin, crossOrg: false },
};

describe('can(): every role × action × organisation', () => {
  it('the expectation covers exactly the actions of the table', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ACTIONS].sort());
  });

  for (const action of ACTIONS) {
    for (const role of ACTOR_ROLES) {
      for (const where of ['own', 'other'] as const) {
        const exp = EXPECTED[action]!;
        const allowed = exp.roles.includes(role) && (where === 'own' || exp.crossOrg);
        it(`${role} ${allowed ? 'may' : 'may not'} ${action} in ${where} organisation`, () => {
          const actor = actorOf(role);
          const self = RULES[action].scope === 'self';
          const resource = self
            ? { ownerId: where === 'own' ? actor?.userId : 'someone-else' }
            : { orgId: where === 'own' ? ORG_A : ORG_B, ...('onlyBy' in RULES[action] ? { authorId: actor?.userId } : {}) };
          expect(can(actor, action, resource)).toBe(allowed);
        });
      }
    }
  }

  it('an organisation-scoped action with no organisation given is refused', () => {
    expect(can(actorOf('admin'), 'user.list', {})).toBe(false);
  });

  it('a reviewer may not approve a testimony they entered, nor a summary they wrote', () => {
    const reviewer = actorOf('reviewer')!;
    expect(can(reviewer, 'testimony.approve', { orgId: ORG_A, enteredBy: reviewer.userId })).toBe(false);
    expect(can(reviewer, 'testimony.approve', { orgId: ORG_A, enteredBy: 'another' })).toBe(true);
    expect(can(reviewer, 'summary.approve', { orgId: ORG_A, authorId: reviewer.userId })).toBe(false);
    expect(can(reviewer, 'summary.approve', { orgId: ORG_A, authorId: 'another' })).toBe(true);
    expect(can(reviewer, 'quote.approve', { orgId: ORG_A, proposedBy: reviewer.userId })).toBe(false);
    expect(can(reviewer, 'quote.approve', { orgId: ORG_A, proposedBy: 'another' })).toBe(true);
    // A draft is edited by its author only; the approver is someone else (the rule above).
    expect(can(reviewer, 'summary.edit', { orgId: ORG_A, authorId: reviewer.userId })).toBe(true);
    expect(can(reviewer, 'summary.edit', { orgId: ORG_A, authorId: 'another' })).toBe(false);
  });
});
