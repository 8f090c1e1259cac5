// The attacker is a database superuser (a stolen admin connection string, a rogue operator) who wants
// events gone from the audit log. The triggers refuse UPDATE and DELETE, but a superuser turns them
// off (`session_replication_role = replica`), deletes, and recomputes the chain with plain SHA-256:
// the hash has no key. What stops them is the signed checkpoints (the key is not in the database) and,
// for the newest events, a checkpoint exported off-site.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { execRows, type Db, type Tx } from '@/db';
import { audit, checkpointNow, verifyChain, verifyLog } from '@/lib/audit';
import { eventHash, GENESIS } from '@/lib/audit/chain';
import { checkpointStatement, type SignedCheckpoint } from '@/lib/audit/checkpoint';
import { ed25519FromSeed, ed25519Sign } from '@/lib/crypto/ed25519';
import { spareDatabase, testDbKind, type TestDatabase } from '@/test/db';

// A small schedule, so a dozen events make three checkpoints (at events 1, 6 and 11).
vi.hoisted(() => {
  process.env.AUDIT_CHECKPOINT_EVENTS = '5';
});

const open: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((d) => d.drop()));
});

/** A fresh database whose log holds `events` caseworker reads, one transaction each. */
async function logOf(events: number): Promise<Db> {
  const database = await spareDatabase();
  open.push(database);
  for (let i = 1; i <= events; i++) await append(database.db, i);
  return database.db;
}

const append = (db: Db, i: number) =>
  db.transaction((tx) => audit(tx, null, { action: 'testimony.read', actorRole: 'caseworker', entity: 'testimony', entityId: `t-${i}`, details: { i } }));

/** The superuser's session: the append-only triggers do not fire. */
const asSuperuser = (db: Db, work: (tx: Tx) => Promise<void>) =>
  db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await work(tx);
  });

/** The attacker's script after a deletion: every hash recomputed in id order, and the ids renumbered 1, 2, 3… when asked. */
async function rehash(tx: Tx, { renumber }: { renumber: boolean }) {
  const rows = await tx.query.auditEvent.findMany({ orderBy: (e, { asc }) => asc(e.id) });
  let prev = GENESIS;
  for (const [i, row] of rows.entries()) {
    const hash = eventHash(prev, row);
    await tx.execute(sql`update audit_event set id = ${renumber ? i + 1 : row.id}, prev_hash = ${prev}, hash = ${hash} where id = ${row.id}`);
    prev = hash;
  }
}

const count = async (db: Db, table: 'audit_event' | 'audit_checkpoint') =>
  Number((await execRows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!.n);

/** verifyChain is what `audit verify` answered before checkpoints existed: each attack below got `ok` from it. */
async function verdict(db: Db, plan: string, against?: SignedCheckpoint) {
  const result = against ? await verifyLog(db, { against }) : await verifyChain(db);
  console.log(`${plan}\n  -> audit verify: ${result.ok ? `ok ${result.count} events` : `broken at event ${result.brokenId}: ${result.reason}`}`);
  return result;
}

describe(`a database superuser deleting audit events, on ${testDbKind}`, { timeout: 60_000 }, () => {
  it('an untouched log verifies, with its checkpoints and against one exported from it', async () => {
    const db = await logOf(12);
    expect(await count(db, 'audit_checkpoint')).toBe(3);
    const exported = await db.transaction((tx) => checkpointNow(tx));
    expect(exported).toMatchObject({ lastEventId: 13, eventCount: 13 });
    await append(db, 14);
    expect(await verifyChain(db)).toEqual({ ok: true, count: 14 });
    expect(await verifyLog(db, { against: exported })).toMatchObject({ ok: true, count: 14, unsigned: 1, latest: { id: 4, lastEventId: 13 } });
  });

  it('deleting the newest events, up to ones the last checkpoint covers, is detected (and stays so while the app appends)', async () => {
    const db = await logOf(12);
    await asSuperuser(db, (tx) => tx.execute(sql`delete from audit_event where id >= 9`).then(() => {}));
    const result = await verdict(db, 'attacker: deleted events 9-12 (event 11 carries checkpoint 3)');
    expect(result).toMatchObject({ ok: false, brokenId: 11, reason: expect.stringMatching(/the log ends at event 8 \(8 events\), but checkpoint 3 covers up to event 11: the events after 8 were deleted/) });

    // The app goes on: the next events take ids 9, 10… and chain onto event 8; no checkpoint blesses the cut.
    for (let i = 13; i <= 16; i++) await append(db, i);
    const after = await verdict(db, 'the app appended four events after the deletion');
    expect(after).toMatchObject({ ok: false, brokenId: 11, reason: expect.stringMatching(/checkpoint 3 signed another chain up to event 11/) });
    expect(await count(db, 'audit_checkpoint')).toBe(3);
  });

  it('deleting a middle event and recomputing the later hashes is detected: by the id gap, or, ids renumbered, by the checkpoints', async () => {
    const db = await logOf(12);
    await asSuperuser(db, async (tx) => {
      await tx.execute(sql`delete from audit_event where id = 4`);
      await rehash(tx, { renumber: false });
    });
    expect(await verdict(db, 'attacker: deleted event 4 and recomputed every hash after it')).toMatchObject({
      ok: false,
      brokenId: 5,
      reason: expect.stringMatching(/event ids jump from 3 to 5: 1 event deleted/),
    });

    await asSuperuser(db, (tx) => rehash(tx, { renumber: true }));
    expect(await verdict(db, 'attacker: …and renumbered the ids to close the gap')).toMatchObject({
      ok: false,
      brokenId: 6,
      reason: expect.stringMatching(/checkpoint 2 signed another chain up to event 6/),
    });

    await asSuperuser(db, (tx) => tx.execute(sql`delete from audit_event where id >= 6`).then(() => {}));
    await asSuperuser(db, (tx) => tx.execute(sql`delete from audit_checkpoint where id >= 2`).then(() => {}));
    // Short of cutting the log after the deleted event, the checkpoints that disagree cannot go either.
    const cut = await verifyChain(db);
    expect(cut.ok).toBe(true); // what remains is the log as it was at event 5: only a checkpoint kept elsewhere tells (next test)
  });

  it('…and deleting the checkpoints that disagree, keeping the later events, is detected by the schedule they promised', async () => {
    const db = await logOf(12);
    await asSuperuser(db, async (tx) => {
      await tx.execute(sql`delete from audit_event where id = 4`);
      await rehash(tx, { renumber: true });
      await tx.execute(sql`delete from audit_checkpoint where id >= 2`);
    });
    expect(await verdict(db, 'attacker: deleted event 4, re-hashed and renumbered, deleted checkpoints 2 and 3')).toMatchObject({
      ok: false,
      brokenId: 6,
      reason: expect.stringMatching(/event 6 should carry a checkpoint \(checkpoint 1 promises one within 5 events or 10 minutes\)/),
    });
  });

  it('deleting every event is detected; deleting every checkpoint too is detected against an exported checkpoint', async () => {
    const db = await logOf(12);
    const exported = await db.transaction((tx) => checkpointNow(tx));
    await asSuperuser(db, (tx) => tx.execute(sql`delete from audit_event`).then(() => {}));
    expect(await verdict(db, 'attacker: deleted every event')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/the log is empty, but checkpoint 1 covers up to event 1: its events were deleted/),
    });
    await asSuperuser(db, (tx) => tx.execute(sql`delete from audit_checkpoint`).then(() => {}));
    expect((await verdict(db, 'attacker: …and every checkpoint')).ok).toBe(true); // an empty log, as on the first day
    expect(await verdict(db, '…checked against the checkpoint the operator exported', exported)).toMatchObject({
      ok: false,
      brokenId: 13,
      reason: expect.stringMatching(/the log is empty, but the checkpoint file covers 13 events up to event 13/),
    });
  });

  it('deleting several events and re-hashing the whole log as if it were new is detected', async () => {
    const db = await logOf(12);
    await asSuperuser(db, async (tx) => {
      await tx.execute(sql`delete from audit_event where id in (2, 3, 7)`);
      await rehash(tx, { renumber: true });
    });
    expect(await verdict(db, 'attacker: deleted events 2, 3 and 7, re-hashed and renumbered all the rest')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/checkpoint 2 signed another chain up to event 6/),
    });
  });

  it('forging checkpoints without the key is detected: an altered one, one signed with another key, and one with a made-up signature', async () => {
    const db = await logOf(12);
    await asSuperuser(db, async (tx) => {
      await tx.execute(sql`delete from audit_event where id = 4`);
      await rehash(tx, { renumber: true });
      // Checkpoints 2 and 3 moved onto the new chain, their signatures kept.
      for (const id of [2, 3]) {
        await tx.execute(sql`update audit_checkpoint set chain_hash = e.hash, at = e.at from audit_event e where e.id = audit_checkpoint.last_event_id and audit_checkpoint.id = ${id}`);
      }
    });
    expect(await verdict(db, "attacker: deleted event 4, re-hashed, and moved checkpoints 2 and 3 onto the new chain")).toMatchObject({
      ok: false,
      brokenId: 6,
      reason: expect.stringMatching(/checkpoint 2's signature does not match its contents: forged or altered/),
    });

    // Signed again with a key of the attacker's own, named in the row.
    const attacker = ed25519FromSeed(randomBytes(32).toString('base64'))!;
    await asSuperuser(db, async (tx) => {
      for (const c of await tx.query.auditCheckpoint.findMany({ where: (c, { gte }) => gte(c.id, 2) })) {
        await tx.execute(sql`update audit_checkpoint set public_key = ${attacker.publicKey}, signature = ${ed25519Sign(checkpointStatement(c), attacker)} where id = ${c.id}`);
      }
    });
    expect(await verdict(db, 'attacker: …and signed them again with a key of their own')).toMatchObject({
      ok: false,
      brokenId: 6,
      reason: expect.stringMatching(/checkpoint 2 is signed by a key that is neither AUDIT_SIGNING_KEY nor in AUDIT_TRUSTED_PUBLIC_KEYS/),
    });

    // A checkpoint of their own added for the tail, with the instance's public key and a made-up signature.
    const fresh = await logOf(3);
    await asSuperuser(fresh, async (tx) => {
      await tx.execute(sql`insert into audit_checkpoint select 2, e.id, 3, e.hash, e.at, 1, 1, c.public_key, ${randomBytes(64).toString('base64')}
                           from audit_event e, audit_checkpoint c where e.id = 3 and c.id = 1`);
    });
    expect(await verdict(fresh, 'attacker: added a checkpoint with a made-up signature')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/checkpoint 2's signature does not match its contents/),
    });
  });

  it('the open window: the newest events and the checkpoints after them go unseen, until checked against an exported checkpoint', async () => {
    const db = await logOf(12);
    const exported = await db.transaction((tx) => checkpointNow(tx)); // event 13, checkpoint 4: kept off-site
    await append(db, 14);
    await asSuperuser(db, async (tx) => {
      await tx.execute(sql`delete from audit_event where id >= 10`);
      await tx.execute(sql`delete from audit_checkpoint where id >= 3`);
    });
    // What is left is a log as it stood at event 9, three events after checkpoint 2: nothing inside the database tells.
    expect((await verdict(db, 'attacker: deleted events 10-14 and checkpoints 3 and 4')).ok).toBe(true);
    expect(await verdict(db, '…checked against the checkpoint exported at event 13', exported)).toMatchObject({
      ok: false,
      brokenId: 13,
      reason: expect.stringMatching(/the log ends at event 9 \(9 events\), but the checkpoint file covers 13 events up to event 13/),
    });
  });
});
