import { expect, test, type APIResponse, type Response } from '@playwright/test';
import { accountsFor, extraAccount } from './support/accounts';
import { signInOk } from './support/session';

async function expectError(res: APIResponse, status: number, code?: string) {
  expect(res.status(), `${res.url()} status`).toBe(status);
  expect(res.headers()['content-type']).toContain('application/json');
  const body = await res.json();
  expect(Object.keys(body)).toEqual(['error']);
  expect(typeof body.error.code).toBe('string');
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(0);
  if (code) expect(body.error.code).toBe(code);
  return body.error as { code: string; message: string };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

test.describe('the API with personal tokens', () => {
  test('a token made with the command line reads its owner, and only its own organisation', async ({ request }, info) => {
    const { cliTokens, extra } = accountsFor(info);
    const haven = await request.get('/api/v1/me', { headers: bearer(cliTokens.apiuser!) });
    expect(haven.status()).toBe(200);
    expect(haven.headers()['cache-control']).toContain('no-store');
    const me = await haven.json();
    expect(me).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      email: extra.apiuser!.email,
      role: 'caseworker',
      organisation: { slug: 'haven', name: 'Haven Documentation Centre' },
    });

    const north = await (await request.get('/api/v1/me', { headers: bearer(cliTokens.apinl!) })).json();
    expect(north.email).toBe(extra.apinl!.email);
    expect(north.organisation.slug).toBe('northlight');
    expect(north.id).not.toBe(me.id);
    expect(JSON.stringify(north)).not.toContain('haven');
  });

  test("a caseworker's token reads aggregates of its own organisation, suppressed under k", async ({ request }, info) => {
    const res = await request.get('/api/v1/aggregates?measure=workers&by=year&by=site_type', { headers: bearer(accountsFor(info).cliTokens.apiuser!) });
    expect(res.status()).toBe(200);
    expect(res.headers()['cache-control']).toContain('no-store');
    const answer = (await res.json()) as { k: number; audience: string; cells: Record<string, unknown>[]; margins: Record<string, unknown>[] };
    expect(answer).toMatchObject({ k: 5, audience: 'internal', by: ['year', 'site_type'] });
    for (const cell of [...answer.cells, ...answer.margins]) {
      if ('suppressed' in cell) expect(Object.keys(cell).sort()).toEqual(['by', 'suppressed']);
      else expect(cell.count === 0 || (cell.count as number) >= answer.k).toBe(true);
    }
    await expectError(await request.get('/api/v1/aggregates?by=home_province', { headers: bearer(accountsFor(info).cliTokens.apiuser!) }), 403, 'forbidden');
  });

  test('a token made on the account page works until it is revoked there', async ({ page, request }, info) => {
    const account = extraAccount(info, 'apiuser');
    await signInOk(page, account);
    await page.goto('/account');
    const form = page.getByTestId('create-token');
    await form.getByLabel('Name').fill('laptop script');
    await form.getByLabel('Valid for (days)').fill('7');
    await form.getByRole('button', { name: 'Create token' }).click();
    await expect(form.getByTestId('form-message')).toHaveText('Copy this token now: it will not be shown again.');
    const token = (await form.getByTestId('secret').textContent())!.trim();
    expect(token).toMatch(/^tl_[A-Za-z0-9_-]{43}$/);

    const ok = await request.get('/api/v1/me', { headers: bearer(token) });
    expect(ok.status()).toBe(200);
    expect((await ok.json()).email).toBe(account.email);

    const row = page.getByRole('row', { name: /laptop script/ });
    await expect(row).toContainText(`${token.slice(0, 7)}…${token.slice(-4)}`);
    await expect(row).not.toContainText(token); // the table shows a hint, never the token
    await row.getByRole('button', { name: 'Revoke' }).click();
    await expect(row).toContainText('Revoked');

    await expectError(await request.get('/api/v1/me', { headers: bearer(token) }), 401, 'unauthenticated');
    // The command-line token of the same user is untouched.
    expect((await request.get('/api/v1/me', { headers: bearer(accountsFor(info).cliTokens.apiuser!) })).status()).toBe(200);
  });

  test('malformed, unknown and missing credentials get 401 in the error shape', async ({ request }) => {
    const cases: Record<string, string | undefined> = {
      'no header': undefined,
      'short token': 'Bearer tl_x',
      'basic auth': `Basic ${Buffer.from('admin@haven.example:password').toString('base64')}`,
      'unknown token': `Bearer tl_${'A'.repeat(43)}`,
      'empty bearer': 'Bearer ',
      'two tokens': `Bearer tl_${'A'.repeat(43)} tl_${'B'.repeat(43)}`,
    };
    for (const path of ['/api/v1/me', '/api/v1/aggregates?measure=workers&by=year']) {
      for (const [name, header] of Object.entries(cases)) {
        const res = await request.get(path, { headers: header === undefined ? {} : { authorization: header } });
        await test.step(`${path}: ${name}`, () => expectError(res, 401, 'unauthenticated'));
      }
    }
  });

  test('a spoofed x-middleware-subrequest header gets no further', async ({ page, request }) => {
    for (const value of ['proxy:proxy:proxy:proxy:proxy', 'middleware:middleware:middleware:middleware:middleware', 'src/middleware:src/middleware:src/middleware:src/middleware:src/middleware']) {
      await expectError(await request.get('/api/v1/me', { headers: { 'x-middleware-subrequest': value } }), 401);
      await page.setExtraHTTPHeaders({ 'x-middleware-subrequest': value });
      await page.goto('/workspace');
      await expect(page).toHaveURL(/\/sign-in$/);
      await expect(page.getByTestId('signed-in-as')).toHaveCount(0);
    }
  });

  test('unknown routes answer 404 and wrong methods 405, both in the error shape', async ({ request }) => {
    await expectError(await request.get('/api/v1/nope'), 404, 'not_found');
    await expectError(await request.post('/api/v1/nope/deeper', { data: {} }), 404, 'not_found');
    await expectError(await request.post('/api/health', { data: {} }), 405, 'method_not_allowed');
    await expectError(await request.delete('/api/v1/me'), 405, 'method_not_allowed');
  });

  test('the OpenAPI document is OpenAPI 3.1 and describes /api/v1/me', async ({ request }) => {
    const res = await request.get('/api/v1/openapi.json');
    expect(res.status()).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(typeof doc.info.title).toBe('string');
    expect(typeof doc.info.version).toBe('string');
    const me = doc.paths['/api/v1/me'];
    expect(me.get.responses['200']).toBeDefined();
    expect(me.get.responses['401']).toBeDefined();
    expect(me.get.security).toEqual([{ bearer: [] }]);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [path, item] of Object.entries<Record<string, { responses: object }>>(doc.paths)) {
      expect(path).toMatch(/^\//);
      for (const [method, op] of Object.entries(item)) {
        expect(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']).toContain(method);
        expect(Object.keys(op.responses).length).toBeGreaterThan(0);
      }
    }
    // Every $ref points at something the document defines.
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const pointer = ref.slice(8, -1);
      expect(pointer.startsWith('#/')).toBe(true);
      const target = pointer
        .slice(2)
        .split('/')
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
      expect(target, pointer).toBeDefined();
    }
    const schema = doc.components.schemas;
    expect(Object.keys(schema)).toEqual(expect.arrayContaining(['Me', 'Error']));
  });
});

test.describe('organisations never see each other', () => {
  test('the northlight admin sees only northlight users and tokens', async ({ page }, info) => {
    await signInOk(page, extraAccount(info, 'nladmin'));
    await page.goto('/admin/users');
    const users = page.getByTestId('users-table');
    await expect(users).toContainText('admin@northlight.example');
    await expect(users).not.toContainText('haven');
    await page.goto('/admin/tokens');
    await expect(page.getByRole('heading', { level: 1, name: 'API tokens' })).toBeVisible();
    await expect(page.getByRole('main')).toContainText('apinl@northlight.example');
    await expect(page.getByRole('main')).not.toContainText('haven');
    await page.goto('/admin/audit');
    await expect(page.getByTestId('audit-table')).toBeVisible();
    await expect(page.getByTestId('audit-table')).not.toContainText('haven');
  });
});

test.describe('every response is hardened', () => {
  function expectHardened(res: APIResponse | Response | null, what: string, signedIn: boolean) {
    expect(res, what).not.toBeNull();
    const h = res!.headers();
    const csp = h['content-security-policy'] ?? '';
    expect(csp, `${what}: CSP`).toContain("object-src 'none'");
    expect(csp, `${what}: CSP`).toContain("base-uri 'none'");
    expect(csp, `${what}: CSP`).toContain("frame-ancestors 'none'");
    expect(csp, `${what}: CSP`).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp, `${what}: CSP`).not.toContain('unsafe-eval');
    expect(h['referrer-policy'], `${what}: Referrer-Policy`).toBe('same-origin'); // never a referrer to another site; see next.config.mjs
    expect(h['x-content-type-options'], `${what}: X-Content-Type-Options`).toBe('nosniff');
    if (signedIn) expect(h['cache-control'], `${what}: Cache-Control`).toContain('no-store');
  }

  test('security headers on public, signed-in and API responses; the session cookie is HttpOnly and SameSite=Lax', async ({ page, request }, info) => {
    for (const path of ['/', '/sign-in', '/no-such-page', '/api/health', '/api/v1/me', '/api/v1/nope', '/api/v1/openapi.json']) {
      expectHardened(await request.get(path), `public ${path}`, false);
    }
    expectHardened(await request.post('/api/health'), 'POST /api/health', false);

    const account = extraAccount(info, 'apiuser');
    await signInOk(page, account);
    const cookie = (await page.context().cookies()).find((c) => c.name === 'tl.session');
    expect(cookie, 'session cookie').toBeDefined();
    expect(cookie!.httpOnly).toBe(true);
    expect(cookie!.sameSite).toBe('Lax');
    expect(cookie!.path).toBe('/');

    for (const path of ['/workspace', '/account', '/admin/users']) {
      expectHardened(await page.goto(path), `signed-in ${path}`, true);
    }
    const me = await page.request.get('/api/v1/me');
    expect(me.status()).toBe(200);
    expectHardened(me, 'signed-in /api/v1/me', true);
    expectHardened(await request.get('/api/v1/me', { headers: bearer(accountsFor(info).cliTokens.apiuser!) }), 'token /api/v1/me', true);
    // Two pages never share a nonce.
    const a = (await page.goto('/workspace'))!.headers()['content-security-policy'];
    const b = (await page.goto('/workspace'))!.headers()['content-security-policy'];
    expect(a).not.toBe(b);
  });
});
