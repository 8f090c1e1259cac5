import { eld } from 'eld/small';

/**
 * The language of a text as an ISO 639-1 code, or null when it cannot tell. eld (the "small"
 * n-gram set) is used because it stays right on very short texts (a two-word search query, a
 * title) where franc needs sentences, and answers ISO 639-1 codes as the report form stores them.
 */
export function detectLanguage(text: string): string | null {
  const sample = text.slice(0, 4000);
  if (!/\p{L}/u.test(sample)) return null;
  const language = eld.detect(sample).language;
  return language || null;
}

/** PostgreSQL's own text search configuration for a language, where it ships one (checked on PG 15 and PGlite/PG 18). */
const TS_CONFIGS: Record<string, string> = {
  ar: 'arabic',
  hy: 'armenian',
  eu: 'basque',
  ca: 'catalan',
  da: 'danish',
  nl: 'dutch',
  en: 'english',
  fi: 'finnish',
  fr: 'french',
  de: 'german',
  el: 'greek',
  hi: 'hindi',
  hu: 'hungarian',
  id: 'indonesian',
  ga: 'irish',
  it: 'italian',
  lt: 'lithuanian',
  ne: 'nepali',
  no: 'norwegian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sr: 'serbian',
  es: 'spanish',
  sv: 'swedish',
  ta: 'tamil',
  tr: 'turkish',
  yi: 'yiddish',
};

/** Polish, Korean and the rest have none: they are searched through 'simple' words with prefix matching. */
export function textSearchConfig(language: string | null | undefined): string | null {
  return (language && TS_CONFIGS[language]) || null;
}

export const LANGUAGE_CODE = /^[a-z]{2,3}$/;
