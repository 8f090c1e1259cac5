import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toErrorBody } from '../errors';
import { readJson } from './route';

const post = (headers: Record<string, string>, body?: string) => new Request('http://x/api/v1/claims', { method: 'POST', headers, body });
const Any = z.object({ a: z.number() });

async function statusOf(promise: Promise<unknown>) {
  try {
    await promise;
    return 200;
  } catch (e) {
    return toErrorBody(e).status;
  }
}

describe('readJson', () => {
  it('answers 415 for a JSON text sent as text/plain, a form, CSV or no content type at all', async () => {
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/csv', null]) {
      const req = post(type ? { 'content-type': type } : {}, '{"a":1}');
      // new Request() gives a string body text/plain when no type is set: remove it to test "none".
      if (!type) req.headers.delete('content-type');
      expect(await statusOf(readJson(req, Any)), String(type)).toBe(415);
    }
    const err = await readJson(post({ 'content-type': 'text/plain' }, '{"a":1}'), Any).catch((e: unknown) => e);
    expect(toErrorBody(err).body).toMatchObject({ error: { code: 'unsupported_media_type', message: expect.stringContaining('application/json') } });
  });

  it('reads application/json (with a charset) and +json types', async () => {
    expect(await readJson(post({ 'content-type': 'application/json' }, '{"a":1}'), Any)).toEqual({ a: 1 });
    expect(await readJson(post({ 'content-type': 'Application/JSON; charset=utf-8' }, '{"a":2}'), Any)).toEqual({ a: 2 });
    expect(await readJson(post({ 'content-type': 'application/merge-patch+json' }, '{"a":3}'), Any)).toEqual({ a: 3 });
  });

  it('an empty body where one is optional needs no content type', async () => {
    expect(await readJson(post({}), z.object({}).strict(), { emptyAs: {} })).toEqual({});
    expect(await statusOf(readJson(post({ 'content-type': 'application/json' }, ''), Any))).toBe(400);
  });
});

describe('the OpenAPI document', () => {
  it('lists 415 for every operation that takes a JSON body', async () => {
    const { openApiDocument } = await import('../api/openapi');
    const doc = openApiDocument('test') as unknown as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> }; responses: Record<string, unknown> }>> };
    const withJson = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).filter(([, op]) => op.requestBody?.content['application/json']).map(([m, op]) => [`${m} ${path}`, op] as const));
    expect(withJson.length).toBeGreaterThan(10);
    for (const [name, op] of withJson) expect(Object.keys(op.responses), name).toContain('415');
  });
});
