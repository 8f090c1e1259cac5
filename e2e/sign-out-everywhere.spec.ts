import { expect, test } from '@playwright/test';
import { extraAccount } from './support/accounts';
import { signedInPage, signInOk } from './support/session';

test('signing out everywhere ends the session of another browser at its next request', async ({ browser, page, baseURL }, info) => {
  const account = extraAccount(info, 'everywhere');
  await signInOk(page, account);
  const laptop = await signedInPage(browser, baseURL, account);
  await laptop.goto('/account');
  await expect(laptop.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();

  await page.goto('/account');
  await page.getByTestId('sign-out-everywhere').getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto('/workspace');
  await expect(page).toHaveURL(/\/sign-in$/);

  // The other browser still holds its cookie, but the session behind it is gone.
  expect((await laptop.context().cookies()).some((c) => c.name === 'tl.session')).toBe(true);
  await laptop.getByRole('link', { name: 'Workspace' }).click();
  await expect(laptop).toHaveURL(/\/sign-in$/);
  expect((await laptop.request.get('/api/v1/me')).status()).toBe(401);

  // Signing in again works as before.
  await signInOk(laptop, account);
  await laptop.context().close();
});

// Signing out records the session id (ended_session): a copied cookie, or one re-issued by a request
// that was in flight (a Link prefetch), is refused from then on.
test('after signing out, the old session cookie is refused', async ({ page, request }, info) => {
  const account = extraAccount(info, 'everywhere');
  await signInOk(page, account);
  const cookie = (await page.context().cookies()).find((c) => c.name === 'tl.session')!;
  await page.waitForLoadState('networkidle');
  await page.getByRole('banner').getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  const replay = await request.get('/api/v1/me', { headers: { cookie: `tl.session=${cookie.value}` } });
  expect(replay.status()).toBe(401);
});
