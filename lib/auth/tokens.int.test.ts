import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execRows } from '@/db';
import { apiToken } from '@/db/schema';
import { actorOf, auditActionsFor, makeOrg, makeUser, userRow, type TestUser } from '@/test/fixtures';
import { freshDatabase, testDbKind, type TestDatabase } from '@/test/db';
import type { Actor } from '../access';
import { revokeToken } from '../account';
import { changeRole, disableUser, operatorDisableUser } from '../users';
import { actorForToken, issueToken } from './tokens';

let database: TestDatabase;
let org: { id: string; slug: string; name: string };
let admin: Actor;
beforeAll(async () => {
  database = await freshDatabase();
  org = await makeOrg('tokens');
  admin = await actorOf((await makeUser(org, 'admin')).id);
});
afterAll(() => database.drop());

async function issue(user: TestUser, days = 30) {
  const owner = await userRow(user.id);
  return database.db.transaction((tx) => issueToken(tx, null, owner, 'test token', days));
}
const resolve = (token: string) => database.db.transaction((tx) => actorForToken(tx, token));

describe(`API tokens on ${testDbKind}`, () => {
  it("acts as its owner, with the owner's role and organisation", async () => {
    const user = await makeUser(org, 'reviewer');
    const { id, token } = await issue(user);
    expect(await resolve(token)).toEqual({
      userId: user.id,
      orgId: org.id,
      orgSlug: org.slug,
      orgName: org.name,
      email: user.email,
      role: 'reviewer',
      via: 'token',
      tokenId: id,
    });
    const [row] = await database.db.select().from(apiToken).where(eq(apiToken.id, id));
    expect(row?.lastUsedAt).not.toBeNull();
    expect(await auditActionsFor(id)).toEqual(['token.create']);
  });

  it('has the tl_ prefix and 43 base64url characters (256 random bits); no two alike', async () => {
    const user = await makeUser(org, 'caseworker');
    const tokens = await Promise.all(Array.from({ length: 20 }, () => issue(user).then((t) => t.token)));
    for (const token of tokens) expect(token).toMatch(/^tl_[A-Za-z0-9_-]{43}$/);
    // 43 base64url characters carry 258 bits; the issue asks for at least 128.
    expect(tokens[0]!.length - 'tl_'.length).toBeGreaterThanOrEqual(Math.ceil(128 / 6));
    expect(new Set(tokens).size).toBe(tokens.length);
    // 860 random characters show nearly all 64 letters; a narrowed alphabet would not.
    expect(new Set(tokens.flatMap((t) => [...t.slice(3)])).size).toBeGreaterThan(50);
  });

  it('is stored only as its SHA-256 digest: no row anywhere holds the token', async () => {
    const user = await makeUser(org, 'caseworker');
    const { id, token } = await issue(user);
    const [row] = await database.db.select().from(apiToken).where(eq(apiToken.id, id));
    expect(row?.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    const secretPart = token.slice(7, -4); // the hint shows the first 7 and last 4 characters, never the middle
    const tables = await execRows<{ name: string }>(
      database.db,
      sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    );
    expect(tables.map((t) => t.name)).toContain('api_token');
    for (const { name } of tables) {
      const rows = await execRows<{ text: string }>(database.db, sql`select t::text as text from ${sql.identifier(name)} t`);
      for (const r of rows) expect(r.text, `a row of ${name}`).not.toContain(secretPart);
    }
  });

  it('refuses malformed and unknown tokens', async () => {
    const user = await makeUser(org, 'caseworker');
    const { token } = await issue(user);
    for (const bad of ['', 'tl_', 'tl_short', token.slice(0, -1), `${token}x`, token.replace('tl_', 'xx_'), ` ${token}`, token.slice(3)]) {
      expect(await resolve(bad), JSON.stringify(bad)).toBeNull();
    }
    const unknown = `tl_${'A'.repeat(43)}`;
    expect(await resolve(unknown)).toBeNull();
  });

  it('stops at once when revoked, by its owner or by an admin', async () => {
    const user = await makeUser(org, 'caseworker');
    const own = await issue(user);
    const other = await issue(user);
    await revokeToken(await actorOf(user.id), own.id);
    await revokeToken(admin, other.id);
    expect(await resolve(own.token)).toBeNull();
    expect(await resolve(other.token)).toBeNull();
    expect(await auditActionsFor(own.id)).toEqual(['token.create', 'token.revoke']);
  });

  it('stops when expired', async () => {
    const user = await makeUser(org, 'caseworker');
    const { id, token } = await issue(user);
    expect(await resolve(token)).not.toBeNull();
    await database.db.execute(sql`update api_token set expires_at = now() - interval '1 second' where id = ${id}`);
    expect(await resolve(token)).toBeNull();
  });

  it('expires after the number of days asked for', async () => {
    const user = await makeUser(org, 'caseworker');
    const before = Date.now();
    const { expiresAt } = await issue(user, 7);
    const after = Date.now();
    // Seven days from the moment it was issued, somewhere between the two readings of the clock
    // (however long the issue took on a loaded machine).
    expect(expiresAt.getTime()).toBeGreaterThanOrEqual(before + 7 * 86_400_000);
    expect(expiresAt.getTime()).toBeLessThanOrEqual(after + 7 * 86_400_000);
  });

  it('stops at once when an admin disables the owner', async () => {
    const user = await makeUser(org, 'caseworker');
    const { token } = await issue(user);
    await disableUser(admin, user.id);
    expect(await resolve(token)).toBeNull();
  });

  it('stops at once when the operator disables the owner', async () => {
    const user = await makeUser(org, 'caseworker');
    const { token } = await issue(user);
    await operatorDisableUser(user.email);
    expect(await resolve(token)).toBeNull();
  });

  it('stops when the owner is marked disabled by any path, even with the token unrevoked', async () => {
    const user = await makeUser(org, 'caseworker');
    const { token } = await issue(user);
    await database.db.execute(sql`update app_user set disabled_at = now() where id = ${user.id}`);
    expect(await resolve(token)).toBeNull();
  });

  it("stops when the owner's role changes (a token never outlives the rights it was issued under)", async () => {
    const user = await makeUser(org, 'reviewer');
    const { token } = await issue(user);
    await changeRole(admin, user.id, 'caseworker');
    expect(await resolve(token)).toBeNull();
    // A token issued after the change acts with the new role.
    const fresh = await issue(user);
    expect((await resolve(fresh.token))?.role).toBe('caseworker');
  });
});
