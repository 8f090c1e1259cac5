// The quote approval route, called with a Bearer token like a client would: the body names the text
// approved, so a client approves exactly what it read; refusals answer in the error shape and write nothing.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as approve from '@/app/api/v1/quotes/[id]/approve/route';
import * as openapi from '@/app/api/v1/openapi.json/route';
import * as testimonyQuotes from '@/app/api/v1/testimonies/[id]/quotes/route';
import { db } from '@/db';
import { quote } from '@/db/schema';
import { issueToken } from '@/lib/auth/tokens';
import { inTransaction } from '@/lib/scope';
import { createTestimony } from '@/lib/testimonies';
import { proposeQuote, updateRedaction } from '@/lib/testimonies/quotes';
import { orgWithActors, type RoleActors } from './actors';
import { freshDatabase, testDbKind, type TestDatabase } from './db';
import { auditActionsFor, userRow } from './fixtures';

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

const NARRATIVE = 'Our foreman Kim Chol took 600 dollars from each of us in Vladivostok. We slept in containers.';
const EXCERPT = 'Our foreman Kim Chol took 600 dollars from each of us in Vladivostok.';

let database: TestDatabase;
let a: RoleActors;
let reviewerToken: string;
let caseworkerToken: string;

async function tokenFor(userId: string) {
  const owner = await userRow(userId);
  return (await inTransaction((tx) => issueToken(tx, null, owner, 'quotes api test', 1))).token;
}

/** POSTs a raw body (a string, so bodies JSON.stringify cannot make are sent too) to the approve route. */
async function approveWith(quoteId: string, body: string | undefined, token = reviewerToken) {
  const req = new Request(`http://localhost/api/v1/quotes/${quoteId}/approve`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body,
  });
  const res = await (approve.POST as Handler)(req, { params: Promise.resolve({ id: quoteId }) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { code: string; message: string; issues?: { path: string }[] } } };
}

async function proposed() {
  const { id } = await createTestimony(a.caseworker, { narrative: NARRATIVE, consent: { scopes: ['internal', 'public_quote'], method: 'oral' } });
  return { testimonyId: id, q: await proposeQuote(a.caseworker, id, EXCERPT) };
}

/** The row as stored (ciphertext included) and its audit trail: a refusal leaves both as they were. */
const snapshot = async (id: string) => ({ row: (await (await db()).select().from(quote).where(eq(quote.id, id)))[0], audit: await auditActionsFor(id) });

beforeAll(async () => {
  database = await freshDatabase();
  a = await orgWithActors('api-qa');
  reviewerToken = await tokenFor(a.reviewer.userId);
  caseworkerToken = await tokenFor(a.caseworker.userId);
});
afterAll(() => database.drop());

describe(`POST /api/v1/quotes/{id}/approve on ${testDbKind}`, () => {
  it('approves the text sent, stored with the approval; the quotes list answers that text', async () => {
    const { testimonyId, q } = await proposed();
    expect((await approveWith(q.id, JSON.stringify({ redactedText: q.redactedText }), caseworkerToken)).status).toBe(403);
    const edited = 'Our foreman [name] took a month of pay from each of us in [place].';
    const res = await approveWith(q.id, JSON.stringify({ redactedText: edited, expectedText: q.redactedText }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: q.id, status: 'approved', redactedText: edited, approvedBy: a.reviewer.userId });
    const list = await (testimonyQuotes.GET as Handler)(new Request(`http://localhost/api/v1/testimonies/${testimonyId}/quotes`, { headers: { authorization: `Bearer ${caseworkerToken}` } }), {
      params: Promise.resolve({ id: testimonyId }),
    });
    const { quotes } = (await list.json()) as { quotes: { id: string; status: string; redactedText: string }[] };
    expect(quotes.find((x) => x.id === q.id)).toMatchObject({ status: 'approved', redactedText: edited });
    expect(await auditActionsFor(q.id)).toEqual(['quote.propose', 'quote.redact', 'quote.approve']);
  });

  it('409 when the redaction changed since the client loaded it; nothing written', async () => {
    const { q } = await proposed();
    // A caseworker saves another text after the reviewer's client read the suggestion.
    await updateRedaction(a.caseworker, q.id, 'Our foreman [name] took our pay in [place].');
    const before = await snapshot(q.id);
    const res = await approveWith(q.id, JSON.stringify({ redactedText: q.redactedText, expectedText: q.redactedText }));
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/changed this redaction/) });
    expect(await snapshot(q.id)).toEqual(before);
  });

  it('bad bodies answer 422 (or 400 for what is not JSON) in the error shape, never a 500; nothing written', async () => {
    const { q } = await proposed();
    const before = await snapshot(q.id);
    const bodies: [string | undefined, number][] = [
      [undefined, 422], // no body: the text approved is required
      ['{}', 422],
      ['{"redactedText":""}', 422],
      ['{"redactedText":"   "}', 422],
      [JSON.stringify({ redactedText: 'x'.repeat(4001) }), 422],
      ['{"redactedText":"We slept in [place].\\u0000"}', 422],
      ['{"redactedText":"We slept in [place]. \\ud800"}', 422],
      ['{"redactedText":42}', 422],
      ['{"redactedText":"We slept in [place].","approvedBy":"someone"}', 422],
      ['{"redactedText":"Kim Chol took 600 dollars."}', 422], // still identifies: refused before anything is stored
      ['{"redactedText":', 400],
    ];
    for (const [body, status] of bodies) {
      const res = await approveWith(q.id, body);
      expect(res.status, String(body).slice(0, 60)).toBe(status);
      expect(typeof res.body.error?.code).toBe('string');
      expect(typeof res.body.error?.message).toBe('string');
    }
    expect((await approveWith(q.id, '{}')).body.error?.issues?.map((i) => i.path)).toEqual(['redactedText']);
    expect(await snapshot(q.id)).toEqual(before);
  });

  it('the OpenAPI document requires the text approved and names the answers', async () => {
    const res = await (openapi.GET as Handler)(new Request('http://localhost/api/v1/openapi.json'), { params: Promise.resolve({}) });
    const doc = (await res.json()) as {
      paths: Record<string, { post: { requestBody: { required: boolean; content: Record<string, { schema: { $ref: string } }> }; responses: Record<string, unknown> } }>;
      components: { schemas: Record<string, { required?: string[]; properties: Record<string, unknown> }> };
    };
    const op = doc.paths['/api/v1/quotes/{id}/approve']!.post;
    expect(op.requestBody.required).toBe(true);
    expect(op.requestBody.content['application/json']!.schema.$ref).toBe('#/components/schemas/QuoteApproval');
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '409', '422']));
    const schema = doc.components.schemas.QuoteApproval!;
    expect(schema.required).toEqual(['redactedText']);
    expect(Object.keys(schema.properties).sort()).toEqual(['expectedText', 'redactedText']);
  });
});
