import { expect, test } from '@playwright/test';
import { demoAccount } from './support/accounts';
import { expectSignedIn, signIn } from './support/session';

// Server-action forms must work as plain HTML posts (DESIGN: forms work without client JavaScript).
test.use({ javaScriptEnabled: false });

test('without JavaScript a caseworker signs in, changes the language and signs out', async ({ page }, info) => {
  const account = demoAccount(info, 'haven', 'caseworker');
  await signIn(page, account);
  await expect(page).toHaveURL(/\/workspace$/);
  await expectSignedIn(page, account.email);

  await page.locator('#locale-select').selectOption('ko');
  await page.getByRole('button', { name: 'Change language' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('작업 공간');
  await page.locator('#locale-select').selectOption('en');
  await page.getByRole('button', { name: '언어 변경' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Workspace');

  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('signed-in-as')).toHaveCount(0);
  await page.goto('/workspace');
  await expect(page).toHaveURL(/\/sign-in$/);
});
