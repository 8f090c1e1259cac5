import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

// next build prerenders pages in workers with NEXT_PHASE set: a page that reads the database there
// must fail the build loudly, never open (and lock) the embedded database under ./data.
describe('db() during next build', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ledger-build-phase-'));
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('refuses to open the database and creates nothing', async () => {
    const dataDir = path.join(dir, 'data');
    vi.stubEnv('DATA_DIR', dataDir);
    vi.stubEnv('NEXT_PHASE', 'phase-production-build');
    const { db, OpenedDuringBuild } = await import('./index');
    await expect(db()).rejects.toBeInstanceOf(OpenedDuringBuild);
    await expect(db()).rejects.toThrow(/connection\(\)/);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('opens it outside the build', async () => {
    vi.stubEnv('DATA_DIR', 'memory://');
    vi.stubEnv('NEXT_PHASE', 'phase-production-server');
    const { db, closeDb } = await import('./index');
    await expect(db()).resolves.toBeTruthy();
    await closeDb();
    rmSync(dir, { recursive: true, force: true });
  });
});
