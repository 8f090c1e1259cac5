import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseText, textHash } from './text';

// Letters that have both a composed and a decomposed form (Polish, Korean, French), plus plain text.
const piece = fc.constantFrom('ł', 'ó', 'ż', 'ę', 'ń', '노동자', '한국', 'é', 'Rosja', 'workers', '13 221', ' ', '.', '\n');
const body = fc.array(piece, { minLength: 1, maxLength: 40 }).map((p) => p.join('')).filter((s) => s.trim().length > 0);
const space = fc.array(fc.constantFrom(' ', '\n', '\r\n', '\t'), { maxLength: 4 }).map((p) => p.join(''));

describe('normalised text and its hash', () => {
  it('CRLF or LF, NFD or NFC, and surrounding whitespace give the same hash', () => {
    fc.assert(
      fc.property(body, space, space, (text, before, after) => {
        const variant = `${before}${text.normalize('NFD').replace(/\n/g, '\r\n')}${after}`;
        expect(textHash(variant)).toBe(textHash(text));
        expect(normaliseText(variant)).toBe(normaliseText(text));
      }),
      { numRuns: 300 },
    );
  });

  it('a changed word gives another hash', () => {
    expect(textHash('13,221 entries in 2024')).not.toBe(textHash('13,222 entries in 2024'));
  });

  it('is the SHA-256 of the normalised UTF-8 text, in hex', () => {
    expect(textHash('  abc\r\n')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
