import { detectLanguage, textSearchConfig } from './language';

/** Words of a search box, lower-cased, letters and digits only (so nothing reaches to_tsquery's syntax). */
export function queryWords(q: string): string[] {
  return (q.normalize('NFC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 12);
}

/**
 * The prefix a 'simple' word is matched by. Languages PostgreSQL cannot stem (Polish, Korean) inflect
 * at the end of a word ("pracownicy" / "pracowników", "노동자" / "노동자들이"), so a long word is
 * cut to about two thirds of its length (never under 4 letters) and matched as a prefix.
 */
export function simplePrefix(word: string): string {
  const letters = [...word];
  if (letters.length <= 4 || /^\p{N}+$/u.test(word)) return word;
  return letters.slice(0, Math.max(4, Math.ceil(letters.length * 0.7))).join('');
}

export interface SearchTerms {
  /** One entry per word: the 'simple' prefix and the stemmed word in the configurations tried. */
  words: { prefix: string; word: string }[];
  /** PostgreSQL configurations whose stemming is also tried: the query's detected language and English. */
  configs: string[];
}

export function searchTerms(q: string): SearchTerms | null {
  const words = queryWords(q);
  if (words.length === 0) return null;
  const detected = textSearchConfig(detectLanguage(words.join(' ')));
  const configs = [...new Set([detected, 'english'].filter((c): c is string => !!c))];
  return { words: words.map((word) => ({ word, prefix: simplePrefix(word) })), configs };
}
