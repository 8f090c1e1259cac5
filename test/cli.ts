// The command line as an operator runs it, for tests: a real process on a data folder or a database.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useDatabase, type Db } from '@/db';
import { openDatabase } from '@/db/client';
import { testDbKind, type TestDatabase } from './db';

const root = path.resolve(import.meta.dirname, '..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliHarness {
  dataDir: string;
  /** An operator's shell: secrets set, DATABASE_URL only for the PostgreSQL run. */
  env: Record<string, string>;
  /** The same, forced onto the embedded database. */
  pgliteEnv: Record<string, string>;
  run(args: string[], opts?: { stdin?: string; env?: Record<string, string> }): Promise<CliRun>;
  /** Looks into the database the CLI wrote, from this process (PGlite: only while no CLI runs). */
  inDatabase<T>(work: (db: Db) => Promise<T>): Promise<T>;
  /** Runs lib/ functions (which use `db()`) on the database the CLI uses, to set up data for it. */
  withLib<T>(work: () => Promise<T>): Promise<T>;
  cleanup(): void;
}

export function cliHarness(database: TestDatabase, extraEnv: Record<string, string> = {}): CliHarness {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ledger-cli-'));
  const pgliteEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    DATA_DIR: dataDir,
    AUTH_SECRET: process.env.AUTH_SECRET!,
    DATA_KEYS: process.env.DATA_KEYS!,
    AUDIT_SIGNING_KEY: process.env.AUDIT_SIGNING_KEY!,
    ...extraEnv,
  };
  const env = testDbKind === 'postgres' ? { ...pgliteEnv, DATABASE_URL: database.url! } : pgliteEnv;
  return {
    dataDir,
    env,
    pgliteEnv,
    run: (args, opts = {}) =>
      new Promise((resolve, reject) => {
        const child = spawn(tsx, ['--conditions=react-server', 'cli/index.ts', ...args], { cwd: root, env: (opts.env ?? env) as NodeJS.ProcessEnv });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
        child.stdin.end(opts.stdin ?? ''); // `user create` reads a password from stdin when it is not a terminal
      }),
    inDatabase: async (work) => {
      if (testDbKind === 'postgres') return work(database.db);
      const opened = await openDatabase({ dataDir, migrate: false });
      try {
        return await work(opened.db);
      } finally {
        await opened.close();
      }
    },
    withLib: async (work) => {
      if (testDbKind === 'postgres') return work();
      const opened = await openDatabase({ dataDir });
      useDatabase(opened);
      try {
        return await work();
      } finally {
        await opened.close();
        useDatabase(database);
      }
    },
    cleanup: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}
