import { describe, expect, it } from 'vitest';
import { TooLarge, toErrorBody, UnsupportedMediaType } from '../errors';
import { readCsvBody } from './route';

const post = (headers: Record<string, string>, body = 'a,b\n') => new Request('http://x/api/v1/testimonies/import', { method: 'POST', headers, body });

describe('readCsvBody', () => {
  it('answers 415 for a content type other than CSV', () => {
    const err = (() => {
      try {
        readCsvBody(post({ 'content-type': 'application/json' }), 1000);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UnsupportedMediaType);
    expect(toErrorBody(err).status).toBe(415);
  });

  it('answers 413 at once when the declared length is over the limit', () => {
    expect(() => readCsvBody(post({ 'content-type': 'text/csv', 'content-length': '5000' }), 1000)).toThrow(TooLarge);
  });

  it('hands the body over as a stream for text/csv (with a charset)', async () => {
    const chunks: Uint8Array[] = [];
    for await (const c of readCsvBody(post({ 'content-type': 'text/csv; charset=utf-8' }), 1000)) chunks.push(c);
    expect(Buffer.concat(chunks).toString()).toBe('a,b\n');
  });
});
