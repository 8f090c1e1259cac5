// Integration tests: a test fails when its code queried the pool inside a transaction, even if the
// code under test caught the error (db/connection-guard.ts, installed by test/db.ts).
import { afterEach, expect } from 'vitest';
import { connectionViolations } from '@/db/connection-guard';

afterEach(() => {
  const seen = connectionViolations.splice(0);
  expect(seen.map((e) => e.stack ?? e.message), 'a second connection was asked for inside a transaction').toEqual([]);
});
