import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ed25519FromSeed } from '../crypto/ed25519';
import {
  checkpointDue,
  checkpointFile,
  checkpointOverdue,
  checkpointSignatureValid,
  checkpointStatement,
  parseCheckpointFile,
  signCheckpoint,
  type CheckpointBody,
} from './checkpoint';

const key = ed25519FromSeed(Buffer.alloc(32, 3).toString('base64'))!;
const attackerKey = ed25519FromSeed(randomBytes(32).toString('base64'))!;
const body: CheckpointBody = {
  lastEventId: 101,
  eventCount: 101,
  chainHash: 'a'.repeat(64),
  at: new Date('2026-12-01T10:00:00.123Z'),
  everyEvents: 100,
  everyMinutes: 10,
};

describe('signed checkpoints', () => {
  it('sign every field: a change of any one breaks the signature', () => {
    const signed = signCheckpoint(body, key);
    expect(signed.publicKey).toBe(key.publicKey);
    expect(checkpointSignatureValid(signed)).toBe(true);
    const changes: Partial<CheckpointBody>[] = [
      { lastEventId: 100 },
      { eventCount: 100 },
      { chainHash: 'b'.repeat(64) },
      { at: new Date(body.at.getTime() + 1) },
      { everyEvents: 1000 },
      { everyMinutes: 60 },
    ];
    for (const change of changes) expect(checkpointSignatureValid({ ...signed, ...change }), JSON.stringify(change)).toBe(false);
  });

  it('a checkpoint forged without the key fails: a made-up signature, another key’s under ours, or a signature copied from another checkpoint', () => {
    const genuine = signCheckpoint(body, key);
    const forged = { ...body, chainHash: 'c'.repeat(64) };
    expect(checkpointSignatureValid({ ...forged, publicKey: key.publicKey, signature: randomBytes(64).toString('base64') })).toBe(false);
    expect(checkpointSignatureValid({ ...forged, publicKey: key.publicKey, signature: signCheckpoint(forged, attackerKey).signature })).toBe(false);
    expect(checkpointSignatureValid({ ...forged, publicKey: key.publicKey, signature: genuine.signature })).toBe(false);
    // Signed by the attacker's own key, it verifies against that key: `audit verify` refuses keys it does not trust.
    expect(checkpointSignatureValid(signCheckpoint(forged, attackerKey))).toBe(true);
    expect(checkpointSignatureValid({ ...genuine, signature: 'not base64 at all' })).toBe(false);
    expect(checkpointSignatureValid({ ...genuine, publicKey: 'short' })).toBe(false);
  });

  it('the statement is plain text naming each field', () => {
    expect(checkpointStatement(body)).toBe(
      'testimony-ledger audit checkpoint v1\nlast-event-id 101\nevent-count 101\nchain-hash ' + 'a'.repeat(64) + '\nat 2026-12-01T10:00:00.123Z\nevery 100 events 10 minutes\n',
    );
  });

  it('a file round-trips, and anything else is not a checkpoint', () => {
    const signed = signCheckpoint(body, key);
    const parsed = parseCheckpointFile(checkpointFile(signed));
    expect(parsed).toEqual(signed);
    expect(checkpointSignatureValid(parsed!)).toBe(true);
    expect(parseCheckpointFile('{}')).toBeUndefined();
    expect(parseCheckpointFile('not json')).toBeUndefined();
    expect(parseCheckpointFile(checkpointFile(signed).replace('"lastEventId": 101', '"lastEventId": "101"'))).toBeUndefined();
  });
});

describe('the checkpoint schedule', () => {
  const at = (minutes: number) => new Date(body.at.getTime() + minutes * 60_000);
  const now = { everyEvents: 100, everyMinutes: 10 };

  it('the first event of a log brings one', () => {
    expect(checkpointDue(undefined, { eventCount: 1, at: at(0) }, now)).toBe(true);
  });

  it('every N events or M minutes, whichever comes first', () => {
    expect(checkpointDue(body, { eventCount: 200, at: at(9.99) }, now)).toBe(false);
    expect(checkpointDue(body, { eventCount: 201, at: at(0) }, now)).toBe(true);
    expect(checkpointDue(body, { eventCount: 102, at: at(10) }, now)).toBe(true);
  });

  it('after the schedule changes, the stricter of old and new applies until the next checkpoint, so verify never expects one that was not due', () => {
    // Raised to 1000 events: the checkpoint made under 100 still promises one within 100.
    expect(checkpointDue(body, { eventCount: 201, at: at(0) }, { everyEvents: 1000, everyMinutes: 60 })).toBe(true);
    // Lowered to 10 events: at once.
    expect(checkpointDue(body, { eventCount: 111, at: at(0) }, { everyEvents: 10, everyMinutes: 10 })).toBe(true);
    // Whenever a checkpoint was due by the last one's own promise, it was due by the stricter rule too.
    for (const events of [1, 10, 100, 1000]) {
      for (const minutes of [1, 10, 60]) {
        for (const n of [150, 201, 250]) {
          const event = { eventCount: n, at: at(n / 30) };
          if (checkpointOverdue(body, event)) expect(checkpointDue(body, event, { everyEvents: events, everyMinutes: minutes })).toBe(true);
        }
      }
    }
  });
});
