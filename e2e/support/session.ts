import { expect, type Browser, type Page } from '@playwright/test';
import { generateSync } from 'otplib';

const STEP = 30;
// The server refuses a time step it has already accepted (replay protection), and accepts one step
// either side of now. Remember the last step used per secret so two sign-ins never reuse one.
const lastStep = new Map<string, number>();

/** A code like an authenticator app shows, for a time step this suite has not used yet (waits when it must). */
export async function totpCode(secret: string): Promise<string> {
  for (;;) {
    const now = Math.floor(Date.now() / 1000 / STEP);
    const step = Math.max(now, (lastStep.get(secret) ?? -1) + 1);
    if (step <= now + 1) {
      lastStep.set(secret, step);
      return generateSync({ secret, epoch: step * STEP + 1 });
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Records that a code of the current step was used elsewhere (e.g. to confirm enrolment). */
export function markTotpUsed(secret: string, step = Math.floor(Date.now() / 1000 / STEP)) {
  lastStep.set(secret, Math.max(step, lastStep.get(secret) ?? -1));
}

export interface Credentials {
  email: string;
  password: string;
  totpSecret?: string;
  /** Typed into the code field as is (a recovery code); wins over totpSecret. */
  code?: string;
}

/** Fills and submits the real sign-in form (English or Korean labels). */
export async function submitSignIn(page: Page, account: Credentials) {
  if (!/\/sign-in/.test(page.url())) await page.goto('/sign-in');
  await page.getByLabel(/E-mail address|이메일 주소/).fill(account.email);
  await page.getByLabel(/^(Password|비밀번호)$/).fill(account.password);
  const code = account.code ?? (account.totpSecret ? await totpCode(account.totpSecret) : undefined);
  if (code) await page.getByLabel(/Authenticator or recovery code|인증 앱 코드/).fill(code);
  await page.getByRole('button', { name: /^(Sign in|로그인)$/ }).click();
}

/** Signs in through the real form. `totpSecret` computes the current code like an authenticator app. */
export async function signIn(page: Page, account: Credentials) {
  await page.goto('/sign-in');
  await submitSignIn(page, account);
}

/** Signs in and waits until the workspace shows who is signed in. */
export async function signInOk(page: Page, account: Credentials) {
  await signIn(page, account);
  await expect(page).toHaveURL(/\/workspace$/);
  await expectSignedIn(page, account.email);
}

/** A fresh browser context (its own cookies) signed in as `account`. */
export async function signedInPage(browser: Browser, baseURL: string | undefined, account: Credentials) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signInOk(page, account);
  return page;
}

export async function expectSignedIn(page: Page, email: string) {
  await expect(page.getByTestId('signed-in-as')).toContainText(email);
}

/** The header's Sign out button (not "Sign out everywhere"). */
export async function signOut(page: Page) {
  await page.getByRole('banner').getByRole('button', { name: /^(Sign out|로그아웃)$/ }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('signed-in-as')).toHaveCount(0);
}
