import { randomUUID } from 'node:crypto';
import { expect, test, type TestInfo } from '@playwright/test';
import { accountsFor, extraAccount } from './support/accounts';
import { expectSignedIn, signedInPage, signIn, signInOk } from './support/session';

// Issue 8: two `next start` processes on one PostgreSQL database (scripts/e2e-server.mjs postgres and
// postgres-b, the second on the next port). Nothing a second instance needs lives in process memory:
// sessions and their revocation, lockout counters and import progress are read from the database.

const other = (info: TestInfo) => `http://127.0.0.1:${Number(new URL(String(info.project.use.baseURL)).port) + 1}`;

test.beforeEach(({}, info) => {
  test.skip(info.project.name !== 'postgres', 'the second instance runs beside the PostgreSQL server only');
});

test('a session made on one instance works on the other, and signing out everywhere ends it on both', async ({ browser, page }, info) => {
  const account = extraAccount(info, 'instances');
  const b = other(info);
  await signInOk(page, account);
  // The session cookie belongs to the host, so the same browser carries it to the second instance.
  await page.goto(`${b}/workspace`);
  await expect(page).toHaveURL(`${b}/workspace`);
  await expectSignedIn(page, account.email);
  const me = await page.request.get(`${b}/api/v1/me`);
  expect(me.status()).toBe(200);

  // Another browser signed in on the second instance; the first signs out everywhere on the first.
  const laptop = await signedInPage(browser, b, account);
  await page.goto('/account');
  await page.getByTestId('sign-out-everywhere').getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await laptop.goto('/workspace');
  await expect(laptop).toHaveURL(`${b}/sign-in`);
  expect((await laptop.request.get(`${b}/api/v1/me`)).status()).toBe(401);
  await laptop.context().close();
});

test('failures counted on one instance lock the account on the other', async ({ browser, page }, info) => {
  const account = extraAccount(info, 'instanceslock');
  for (let i = 1; i <= 5; i++) {
    await signIn(page, { email: account.email, password: `not the password at all ${i}` });
    await expect(page).toHaveURL(/\/sign-in\?error=invalid/);
  }
  const onB = await (await browser.newContext({ baseURL: other(info) })).newPage();
  await signIn(onB, account);
  await expect(onB).toHaveURL(/\/sign-in\?error=locked/);
  await expect(onB.getByTestId('sign-in-error')).toHaveText('Too many failed attempts. Sign-in for this account is paused for 15 minutes.');
  await onB.context().close();
});

test('an import sent to one instance shows its progress and result on the other', async ({ request }, info) => {
  const token = accountsFor(info).cliTokens.apinl!; // northlight: its rows disturb no other journey
  const auth = { authorization: `Bearer ${token}` };
  const b = other(info);
  const template = (await (await request.get('/api/v1/testimonies/import/template', { headers: auth })).text()).trim().split(/\r?\n/);
  expect(template.length).toBeGreaterThanOrEqual(2);
  const rows = 3000;
  const csv = [template[0], ...Array.from({ length: rows }, () => template[1])].join('\r\n') + '\r\n';
  const job = randomUUID();

  let answered = false;
  const sent = request
    .post(`/api/v1/testimonies/import?job=${job}`, { headers: { ...auth, 'content-type': 'text/csv' }, data: csv, timeout: 120_000 })
    .finally(() => (answered = true));
  // Watched from the second instance while the first one writes.
  const seenWhileRunning: string[] = [];
  let last: { status: string; imported: number | null; rowsDone: number } | undefined;
  for (let i = 0; i < 2400; i++) {
    const res = await request.get(`${b}/api/v1/imports/${job}`, { headers: auth });
    if (res.status() === 200) {
      last = (await res.json()) as typeof last;
      if (!answered) seenWhileRunning.push(last!.status);
      if (last!.status === 'done' || last!.status === 'failed' || last!.status === 'refused') break;
    } else expect(res.status(), 'the job is either not there yet or readable').toBe(404);
    await new Promise((r) => setTimeout(r, 25));
  }
  const result = await sent;
  expect(result.status()).toBe(201);
  expect(await result.json()).toMatchObject({ imported: rows, job });
  expect(seenWhileRunning.length, 'the second instance saw the job before the first answered').toBeGreaterThan(0);
  expect(last).toMatchObject({ status: 'done', imported: rows, rowsDone: rows });
});
