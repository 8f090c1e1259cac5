import { expect, test } from '@playwright/test';
import { extraAccount } from './support/accounts';
import { expectSignedIn, signedInPage, signInOk } from './support/session';

test('an admin creates a user, who signs in elsewhere and is stopped at once when disabled', async ({ browser, page, baseURL }, info) => {
  const admin = extraAccount(info, 'admin2');
  await signInOk(page, admin);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Administration' }).click();
  await expect(page).toHaveURL(/\/admin\/users$/);

  const email = `new-${Date.now()}@haven.example`;
  const form = page.getByTestId('create-user');
  await form.getByLabel('E-mail').fill(email);
  await form.getByLabel('Role').selectOption('caseworker');
  await form.getByRole('button', { name: 'Create' }).click();
  await expect(form.getByTestId('form-message')).toContainText('User created.');
  const password = (await form.getByTestId('secret').textContent())!.trim();
  expect(password).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
  const row = page.locator(`tr[data-email="${email}"]`);
  await expect(row).toContainText('Caseworker');
  await expect(row).toContainText('Active');

  // The new user, in a browser of their own.
  const theirs = await signedInPage(browser, baseURL, { email, password });
  await expectSignedIn(theirs, email);
  await expect(theirs.getByRole('link', { name: 'Administration' })).toHaveCount(0);

  await row.getByTestId('disable-user').getByRole('button', { name: 'Disable' }).click();
  await expect(row).toContainText('Disabled');
  await expect(row.getByRole('button', { name: 'Enable' })).toBeVisible();

  // Their very next click is refused: the session ends, no page of the workspace renders.
  await theirs.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
  await expect(theirs).toHaveURL(/\/sign-in$/);
  await expect(theirs.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expect(theirs.getByRole('heading', { name: 'Your account' })).toHaveCount(0);
  // (A client-side navigation keeps the root layout, so the header updates on the next full load.)
  await theirs.reload();
  await expect(theirs.getByTestId('signed-in-as')).toHaveCount(0);
  const me = await theirs.request.get('/api/v1/me');
  expect(me.status()).toBe(401);

  // And they cannot sign in again (one failed sign-in of the run's budget).
  await theirs.getByLabel('E-mail address').fill(email);
  await theirs.getByLabel('Password', { exact: true }).fill(password);
  await theirs.getByRole('button', { name: 'Sign in' }).click();
  await expect(theirs.getByTestId('sign-in-error')).toHaveText('The e-mail address, password or code is not right.');
  await theirs.context().close();
});
