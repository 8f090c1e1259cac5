import { expect, test } from '@playwright/test';
import { extraAccount } from './support/accounts';
import { expectSignedIn, signIn, signInOk } from './support/session';

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

test('a form refused in Korean says what is wrong beside each field, in Korean, and keeps what was typed', async ({ page }, info) => {
  const account = extraAccount(info, 'korean');
  await signInOk(page, account);
  const url = new URL(page.url());
  await page.context().addCookies([{ name: 'tl.locale', value: 'ko', domain: url.hostname, path: '/', httpOnly: true, sameSite: 'Lax' }]);
  await page.goto('/testimonies/new');
  const form = page.getByTestId('testimony-form');
  await form.getByLabel('기존 대상자 코드').fill('W-12');
  await form.getByLabel('주당 근무일').fill('9');
  await page.getByRole('button', { name: '초안으로 저장' }).click();
  // Our own message from the Korean catalogue; zod's check in its Korean wording.
  await expect(page.getByTestId('error-subjectCode')).toHaveText('W-7K3F9Q 같은 대상자 코드를 쓰세요.');
  await expect(page.getByTestId('error-hours.daysPerWeek')).toHaveText(/너무 큽니다: 7 이하여야 합니다/);
  await expect(form.getByLabel('주당 근무일')).toHaveValue('9');
  await expect(page).toHaveURL(/\/testimonies\/new$/);
});
