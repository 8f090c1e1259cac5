import { z } from 'zod';
import { en } from './en';
import type { Locale, MessageKey, T } from './index';

// A validation problem worded in the reader's language. Messages are raised in English (the API and
// the CLI speak English); what is needed to word one again travels beside it: a `problems` key with
// its values, or the parts of a zod issue that say what was expected (never the value that was given:
// a CSV cell may be narrative text, and these are stored with an import's report).

export interface Wording {
  key?: keyof typeof en.problems;
  vars?: Record<string, string | number>;
  zod?: Record<string, unknown>;
}

// Our own messages given to zod schemas (problem('monthFormat').text): found again by their text.
const byText = new Map<string, keyof typeof en.problems>(
  (Object.entries(en.problems) as [keyof typeof en.problems, string][]).filter(([, text]) => !text.includes('{')).map(([key, text]) => [text, key]),
);

// A stand-in of the given value's type, for the locales that name it ("expected number, received string").
const STAND_IN: Record<string, unknown> = { string: '', number: 0, boolean: false, undefined: undefined, null: null, array: [], object: {} };
const KEPT = ['code', 'expected', 'values', 'origin', 'minimum', 'maximum', 'inclusive', 'format', 'divisor', 'keys', 'prefix', 'suffix', 'includes'];

/** What to keep of a zod issue to word it in another language. */
export function wordingOf(issue: z.core.$ZodIssue): Wording {
  const key = byText.get(issue.message);
  if (key) return { key };
  const kept: Record<string, unknown> = {};
  for (const name of KEPT) if (name in issue) kept[name] = (issue as unknown as Record<string, unknown>)[name];
  // zod leaves the input out of a parse's issues; its English message names the type that came.
  if (issue.code === 'invalid_type') kept.received = /received (\w+)$/.exec(issue.message)?.[1] ?? 'undefined';
  for (const [name, value] of Object.entries(kept)) if (typeof value === 'bigint') kept[name] = Number(value);
  return { zod: kept };
}

const zodLocales: Partial<Record<Locale, (issue: never) => string | undefined | { message: string }>> = {
  ko: z.locales.ko().localeError as never,
};

/** A message raised in English by lib/ (an AppError's issue): in `locale` when it is a catalogue problem. */
export const wordMessage = (t: T, locale: Locale, message: string) => wordIssue(t, locale, { message, key: byText.get(message) });

/** A problem's text in `locale`; English (or anything without a wording) as it was raised. */
export function wordIssue(t: T, locale: Locale, issue: { message: string } & Wording): string {
  if (locale === 'en') return issue.message;
  if (issue.key) return t(`problems.${issue.key}` as MessageKey, issue.vars);
  const localeError = zodLocales[locale];
  if (issue.zod && localeError) {
    const { received, ...rest } = issue.zod;
    const worded = localeError({ ...rest, input: STAND_IN[String(received)] } as never);
    const text = typeof worded === 'string' ? worded : worded?.message;
    if (text) return text;
  }
  return issue.message;
}
