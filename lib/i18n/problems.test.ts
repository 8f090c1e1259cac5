import { describe, expect, it } from 'vitest';
import { Conflict, Forbidden, problem, type ProblemKey } from '../errors';
import { en } from './en';
import { problemText, translator } from './index';
import { ko } from './ko';

// Errors raised in lib/ speak English to the API and the CLI, and the reader's language in a form.
describe('problems catalogue', () => {
  const keys = Object.keys(en.problems) as ProblemKey[];
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it('has a Korean text for every message, with the same placeholders', () => {
    for (const key of keys) {
      const k = ko.problems[key];
      expect(k, key).toBeTruthy();
      expect(k, `${key} is not translated`).not.toBe(en.problems[key]);
      expect(placeholders(k), key).toEqual(placeholders(en.problems[key]));
    }
  });

  it('an error keeps the English text as its message and its key for the form', () => {
    const e = new Conflict(problem('summaryDraftChanged', { yours: 3, now: 4 }));
    expect(e.message).toBe('The draft changed since you opened it (revision 3, now 4). Reload and apply your changes again.');
    expect(e.problem?.key).toBe('summaryDraftChanged');
    expect(problemText(translator('ko'), e)).toBe('초안을 연 뒤 바뀌었습니다(수정 번호 3, 현재 4). 다시 불러와 변경을 다시 적용하세요.');
    expect(problemText(translator('en'), e)).toBe(e.message);
  });

  it('the default refusal is in the catalogue; a message raised as plain text stays as it is', () => {
    expect(problemText(translator('ko'), new Forbidden())).toBe(ko.problems.forbidden);
    expect(problemText(translator('ko'), new Conflict('plain'))).toBe('plain');
  });
});
