import { expect, type Page } from '@playwright/test';
import { generateSync } from 'otplib';

/** Signs in through the real form. `totpSecret` computes the current code like an authenticator app. */
export async function signIn(page: Page, account: { email: string; password: string; totpSecret?: string }) {
  await page.goto('/sign-in');
  await page.getByLabel(/E-mail address|이메일 주소/).fill(account.email);
  await page.getByLabel(/^(Password|비밀번호)$/).fill(account.password);
  if (account.totpSecret) await page.getByLabel(/Authenticator or recovery code|인증 앱 코드/).fill(generateSync({ secret: account.totpSecret }));
  await page.getByRole('button', { name: /^(Sign in|로그인)$/ }).click();
}

export async function expectSignedIn(page: Page, email: string) {
  await expect(page.getByTestId('signed-in-as')).toContainText(email);
}
