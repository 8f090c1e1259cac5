import { readFileSync } from 'node:fs';
import type { TestInfo } from '@playwright/test';
import type { E2ePublications } from './publications';

export interface E2eAccount {
  email: string;
  password: string;
  role: string;
  org: string;
  totpSecret?: string;
}

export interface E2eAccounts {
  demo: { org: string; email: string; role: string; password: string }[];
  extra: Record<string, E2eAccount>;
  /** Tokens created with `npm run cli -- token create`, keyed like `extra`. */
  cliTokens: Record<string, string>;
  /** Summaries published (and one retracted) by e2e/support/publications.ts. */
  publications: E2ePublications;
}

/** The accounts e2e/support/seed.ts wrote for this project's server (pglite or postgres). */
export function accountsFor(info: TestInfo): E2eAccounts {
  const port = new URL(String(info.project.use.baseURL)).port;
  return JSON.parse(readFileSync(`.e2e/${info.project.name}-${port}/accounts.json`, 'utf8')) as E2eAccounts;
}

export function demoAccount(info: TestInfo, org: string, role: string) {
  const a = accountsFor(info).demo.find((d) => d.org === org && d.role === role);
  if (!a) throw new Error(`no demo account ${role}@${org}`);
  return a;
}

export function extraAccount(info: TestInfo, key: string) {
  const a = accountsFor(info).extra[key];
  if (!a) throw new Error(`no extra account ${key} (add it in e2e/support/seed.ts)`);
  return a;
}
