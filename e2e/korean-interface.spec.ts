import { expect, test } from '@playwright/test';
import { extraAccount } from './support/accounts';
import { expectSignedIn, signIn } from './support/session';

test('switching to Korean changes the interface and is remembered across reloads, pages and sign-in', async ({ page, context }, info) => {
  await page.goto('/sign-in');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  await page.locator('#locale-select').selectOption('ko');
  await page.getByRole('button', { name: 'Change language' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('로그인');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
  await expect(page.getByLabel('이메일 주소')).toBeVisible();
  await expect(page.getByRole('button', { name: '언어 변경' })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('로그인');
  await expect(page.locator('#locale-select')).toHaveValue('ko');

  const other = await context.newPage();
  await other.goto('/');
  await expect(other.getByRole('heading', { level: 1 })).toHaveText('증언 원장');
  await expect(other.getByRole('link', { name: '로그인' }).first()).toBeVisible();
  await other.close();

  const account = extraAccount(info, 'korean');
  await signIn(page, account);
  await expect(page).toHaveURL(/\/workspace$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('작업 공간');
  await expectSignedIn(page, account.email);
  await expect(page.getByTestId('signed-in-as')).toContainText('상담원');

  // And back to English.
  await page.locator('#locale-select').selectOption('en');
  await page.getByRole('button', { name: '언어 변경' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Workspace');
});
