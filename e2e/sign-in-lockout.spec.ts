import { expect, test } from '@playwright/test';
import { extraAccount } from './support/accounts';
import { signIn } from './support/session';

// Failed sign-ins here: 5 + 1 (of about 30 allowed per address for the whole run).
test('five wrong passwords lock the account, and an unknown address is answered like a known one', async ({ page }, info) => {
  const account = extraAccount(info, 'lockout');
  const error = page.getByTestId('sign-in-error');

  await signIn(page, { email: account.email, password: 'not the password at all 1' });
  await expect(page).toHaveURL(/\/sign-in\?error=invalid/);
  await expect(error).toBeVisible();
  const knownWrong = (await error.textContent())!.trim();
  expect(knownWrong).toBe('The e-mail address, password or code is not right.');

  await signIn(page, { email: 'nobody-here@haven.example', password: 'not the password at all 1' });
  await expect(page).toHaveURL(/\/sign-in\?error=invalid/);
  await expect(page.getByLabel('E-mail address')).toHaveValue('nobody-here@haven.example');
  await expect(error).toBeVisible();
  expect((await error.textContent())!.trim()).toBe(knownWrong);

  for (let i = 2; i <= 5; i++) {
    await signIn(page, { email: account.email, password: `not the password at all ${i}` });
    await expect(page.getByLabel('E-mail address')).toHaveValue(account.email);
    await expect(error).toHaveText(knownWrong); // the fifth failure locks, but says nothing more
  }

  // The sixth attempt has the right password, and is still refused while the lock lasts.
  await signIn(page, account);
  await expect(page).toHaveURL(/\/sign-in\?error=locked/);
  await expect(error).toHaveText('Too many failed attempts. Sign-in for this account is paused for 15 minutes.');
  await page.goto('/workspace');
  await expect(page).toHaveURL(/\/sign-in$/);
});
