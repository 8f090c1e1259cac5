import { expect, test } from '@playwright/test';
import { demoAccount } from './support/accounts';
import { expectSignedIn, signIn } from './support/session';

test('health reports the database of this project', async ({ request }, info) => {
  const res = await request.get('/api/health');
  expect(res.status()).toBe(200);
  expect((await res.json()).database).toBe(info.project.name);
});

test('a caseworker signs in and reaches the workspace', async ({ page }, info) => {
  const account = demoAccount(info, 'haven', 'caseworker');
  await signIn(page, account);
  await expect(page).toHaveURL(/\/workspace$/);
  await expectSignedIn(page, account.email);
});
