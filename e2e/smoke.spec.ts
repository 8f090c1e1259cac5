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

test('the public methodology page states k and the currency table from the code', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Methodology' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Methodology' })).toBeVisible();
  await expect(page.getByText('k is 10 for the public and 5 for researchers')).toBeVisible();
  const row2019 = page.getByRole('row', { name: /^2019/ });
  await expect(row2019).toContainText('64.7');
  await expect(row2019).toContainText('8,200');
});
