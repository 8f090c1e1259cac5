import { en } from './i18n/en';

// Pure (no server code): lib/errors.ts raises these, and CSV validation words its problems with them.

export type ProblemKey = keyof typeof en.problems;

/** A message from the `problems` catalogue: English text for the API and CLI, its key for a form in the reader's language. */
export interface Problem {
  key: ProblemKey;
  vars?: Record<string, string | number>;
  text: string;
}

export function problem(key: ProblemKey, vars?: Record<string, string | number>): Problem {
  let text: string = en.problems[key];
  if (vars) for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`{${k}}`, String(v));
  return { key, vars, text };
}
