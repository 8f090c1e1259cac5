// Attacks that need a real server: cross-site server action and API posts, the
// x-middleware-subrequest bypass of the proxy, and the CSP with a summary whose Markdown holds a script.
import { expect, test } from '@playwright/test';
import { accountsFor, demoAccount, extraAccount } from '../support/accounts';
import { signInOk } from '../support/session';

const EVIL = 'http://evil.example';

test('a server action replayed with a foreign Origin is refused and changes nothing', async ({ page }, info) => {
  await signInOk(page, demoAccount(info, 'haven', 'caseworker'));
  await page.goto('/account');
  const form = page.getByTestId('create-token');
  const stamp = String(Date.now());
  const honest = `honest-${stamp}`;
  const forged = `forged-${stamp}`; // the same length: the recorded body is replayed with one name swapped
  let recorded: { headers: Record<string, string>; body: Buffer } | undefined;
  await page.route('**/account', async (route) => {
    const req = route.request();
    if (req.method() === 'POST' && !recorded) recorded = { headers: await req.allHeaders(), body: req.postDataBuffer()! };
    await route.continue();
  });
  await form.getByLabel(/Name/).fill(honest);
  await form.getByRole('button').click();
  await expect.poll(() => recorded !== undefined).toBe(true);
  await page.unroute('**/account');
  expect(recorded!.headers['next-action']).toBeTruthy();
  const body = Buffer.from(recorded!.body.toString('latin1').replace(honest, forged), 'latin1');
  const headers = Object.fromEntries(Object.entries(recorded!.headers).filter(([k]) => !k.startsWith(':') && k !== 'content-length' && k !== 'cookie'));
  // The same request from our own origin would work (the honest one did); from another site it must not.
  // Each is answered 403 in the error shape (Next alone would answer a foreign Origin with a bare 500,
  // and run a post without Origin).
  const { origin: _o, 'sec-fetch-site': _s, ...withoutOrigin } = headers;
  const attempts: [string, Record<string, string>][] = [
    ['foreign Origin', { ...headers, origin: EVIL }],
    ['Origin null, cross-site', { ...headers, origin: 'null', 'sec-fetch-site': 'cross-site' }],
    ['no Origin, no Sec-Fetch-Site', withoutOrigin],
  ];
  for (const [what, h] of attempts) {
    const res = await page.request.fetch('/account', { method: 'POST', headers: h, data: body, maxRedirects: 0 });
    expect(res.status(), what).toBe(403);
    expect((await res.json()).error, what).toMatchObject({ code: 'forbidden', message: 'Cross-site request refused.' });
  }
  await page.goto('/account');
  await expect(page.getByText(honest)).toBeVisible();
  await expect(page.getByText(forged)).toHaveCount(0);
});

test('a cookie-authenticated API post from another site is refused (CSRF)', async ({ page }, info) => {
  await signInOk(page, demoAccount(info, 'haven', 'caseworker'));
  const body = { consent: { scopes: ['internal'], method: 'oral' } };
  const forged = await page.request.post('/api/v1/testimonies', { headers: { origin: EVIL }, data: body });
  expect(forged.status()).toBe(403);
  expect((await forged.json()).error.code).toBe('forbidden');
  const crossSite = await page.request.post('/api/v1/testimonies', { headers: { 'sec-fetch-site': 'cross-site', origin: 'null' }, data: body });
  expect(crossSite.status()).toBe(403);
});

test('x-middleware-subrequest does not skip the proxy: no page or API opens to it', async ({ request }) => {
  const values = ['proxy', 'middleware', 'proxy:proxy:proxy:proxy:proxy', 'middleware:middleware:middleware:middleware:middleware', 'src/middleware:src/middleware:src/middleware:src/middleware:src/middleware'];
  const plain = await request.get('/workspace', { maxRedirects: 0 });
  for (const value of values) {
    const page = await request.get('/workspace', { maxRedirects: 0, headers: { 'x-middleware-subrequest': value } });
    expect([page.status(), page.headers().location]).toEqual([plain.status(), plain.headers().location]);
    expect(await page.text()).not.toContain('Sign out');
    const api = await request.get('/api/v1/testimonies', { headers: { 'x-middleware-subrequest': value } });
    expect(api.status()).toBe(401);
    // The proxy still adds its headers (it ran): the CSP of the public home page.
    const home = await request.get('/', { headers: { 'x-middleware-subrequest': value } });
    expect(home.headers()['content-security-policy']).toContain("script-src 'self' 'nonce-");
  }
  expect(plain.status()).toBeGreaterThanOrEqual(300);
});

test("public pages carry a CSP without unsafe-inline scripts or styles, and a summary's <script> is text that never runs", async ({ page, request }, info) => {
  const { slug } = accountsFor(info).publications;
  for (const path of ['/', '/summaries', `/summaries/${slug}`, '/methodology']) {
    const csp = (await request.get(path)).headers()['content-security-policy'] ?? '';
    const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
    expect(scriptSrc, path).toMatch(/'nonce-[^']+'/);
    expect(csp, path).not.toContain('unsafe-inline');
    expect(csp, path).toContain("style-src 'self';");
    expect(csp, path).toContain("object-src 'none'");
    expect(csp, path).toContain("frame-ancestors 'none'");
  }
  const dialogs: string[] = [];
  page.on('dialog', async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  await page.goto(`/summaries/${slug}`);
  const body = page.getByTestId('summary-body');
  await expect(body).toContainText('<script>alert(1)</script>');
  expect(await body.locator('script').count()).toBe(0);
  expect(dialogs).toEqual([]);
});

test('pages render under the CSP without a single violation: styles from our files, heat tables shaded by class', async ({ page }, info) => {
  const violations: string[] = [];
  await page.exposeFunction('reportCspViolation', (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { reportCspViolation: (v: string) => void }).reportCspViolation(`${location.pathname}: ${e.violatedDirective} ${e.blockedURI} ${e.sample}`),
    );
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(`console: ${m.text()}`);
  });
  const { slug } = accountsFor(info).publications;
  await page.goto(`/summaries/${slug}`);
  const heat = page.locator('[data-chart="heat-table"] table.heat td[class*="heat-"]');
  await expect(heat.first()).toBeVisible();
  // The stylesheet applies: the largest figure's cell is the deepest shade.
  await expect(page.locator('[data-chart="heat-table"] table.heat td.heat-8').first()).toHaveCSS('background-color', 'rgb(157, 189, 224)');
  for (const path of ['/', '/summaries', '/methodology', '/sign-in']) await page.goto(path);
  await signInOk(page, extraAccount(info, 'cspreviewer')); // its own account with two-step sign-in: the demo reviewer has none until another spec sets it up
  for (const path of ['/workspace', '/testimonies', '/testimonies/new', '/aggregates?measure=workers&by=year&by=site_type', '/publications', '/sources', '/account']) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
  }
  expect(violations).toEqual([]);
});
