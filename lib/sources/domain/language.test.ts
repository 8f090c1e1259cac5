import { describe, expect, it } from 'vitest';
import { ENGLISH_ENTRIES, KOREAN_ENTRIES, POLISH_ENTRIES } from '@/test/source-fixtures';
import { detectLanguage, textSearchConfig } from './language';
import { queryWords, simplePrefix } from './search-query';

describe('language detection', () => {
  it('tells English, Polish and Korean apart on short reports', () => {
    expect(detectLanguage(ENGLISH_ENTRIES)).toBe('en');
    expect(detectLanguage(POLISH_ENTRIES)).toBe('pl');
    expect(detectLanguage(KOREAN_ENTRIES)).toBe('ko');
  });

  it('works on a few words, as in a search box', () => {
    expect(detectLanguage('pracownicy na budowach')).toBe('pl');
    expect(detectLanguage('construction workers')).toBe('en');
    expect(detectLanguage('북한 노동자')).toBe('ko');
  });

  it('answers null for text without letters', () => {
    expect(detectLanguage('13 221 — 2024')).toBeNull();
  });

  it('uses PostgreSQL stemming only where it has a configuration', () => {
    expect(textSearchConfig('en')).toBe('english');
    expect(textSearchConfig('ru')).toBe('russian');
    expect(textSearchConfig('pl')).toBeNull();
    expect(textSearchConfig('ko')).toBeNull();
  });
});

describe('search words', () => {
  it('keeps letters and digits only, lower-cased', () => {
    expect(queryWords("Workers' pay: 800$ & (loyalty)!")).toEqual(['workers', 'pay', '800', 'loyalty']);
    expect(queryWords('&|!:*')).toEqual([]);
  });

  it('matches inflected Polish and Korean forms by prefix', () => {
    expect('pracowników'.startsWith(simplePrefix('pracownicy'))).toBe(true);
    expect('노동자들이'.startsWith(simplePrefix('노동자'))).toBe(true);
    expect(simplePrefix('2024')).toBe('2024');
  });
});
