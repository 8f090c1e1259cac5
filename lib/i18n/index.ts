import 'server-only';
import { cookies, headers } from 'next/headers';
import { cache } from 'react';
import { en, type Messages } from './en';
import { ko } from './ko';
import { localeFrom } from './negotiate';

export const LOCALES = ['en', 'ko'] as const;
export type Locale = (typeof LOCALES)[number];
export const LOCALE_COOKIE = 'tl.locale';
const catalogues: Record<Locale, Messages> = { en, ko };

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
export type MessageKey = Leaves<Messages>;

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

/** The user's choice (cookie), else the browser's preference, else English. */
export const getLocale = cache(async (): Promise<Locale> => {
  return localeFrom((await cookies()).get(LOCALE_COOKIE)?.value, (await headers()).get('accept-language'));
});

export function translator(locale: Locale) {
  const messages = catalogues[locale];
  return (key: MessageKey, vars?: Record<string, string | number>): string => {
    let value: unknown = messages;
    for (const part of key.split('.')) value = (value as Record<string, unknown>)[part];
    let text = typeof value === 'string' ? value : key;
    if (vars) for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`{${k}}`, String(v));
    return text;
  };
}

export type T = ReturnType<typeof translator>;

/** An error's message in the reader's language when lib/ raised it from the `problems` catalogue, else as raised. */
export function problemText(t: T, e: { message: string; problem?: { key: string; vars?: Record<string, string | number> } }): string {
  return e.problem ? t(`problems.${e.problem.key}` as MessageKey, e.problem.vars) : e.message;
}

export const getT = cache(async () => translator(await getLocale()));
