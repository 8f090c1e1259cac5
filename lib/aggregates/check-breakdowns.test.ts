import { describe, expect, it } from 'vitest';
import { BadInput, Forbidden } from '../errors';
import { checkBreakdowns } from './index';

describe('checkBreakdowns', () => {
  it("names an object's prototype has (__proto__, toString, constructor…) are unknown breakdowns (422), not researcher-only ones (403)", () => {
    for (const name of ['__proto__', 'toString', 'constructor', 'hasOwnProperty', 'valueOf', '__defineGetter__']) {
      for (const reader of ['public', 'researcher'] as const) {
        expect(() => checkBreakdowns([name], reader), `${name} (${reader})`).toThrow(BadInput);
      }
    }
  });

  it('a researcher breakdown is 403 to the public, home province 403 to everyone, and a known one passes', () => {
    expect(() => checkBreakdowns(['sex'], 'public')).toThrow(Forbidden);
    expect(() => checkBreakdowns(['home_province'], 'researcher')).toThrow(Forbidden);
    expect(checkBreakdowns(['year', 'sex'], 'researcher')).toEqual(['year', 'sex']);
  });
});
