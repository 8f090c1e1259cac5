import { expect, test } from '@playwright/test';
import { generateSync } from 'otplib';
import { demoAccount } from './support/accounts';
import { expectSignedIn, markTotpUsed, signIn, signInOk } from './support/session';

test.describe('each demo role sees only what its role allows', () => {
  test('the public is sent to sign in from the workspace and the admin pages', async ({ page }) => {
    await page.goto('/workspace');
    await expect(page).toHaveURL(/\/sign-in$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    await page.goto('/admin/users');
    await expect(page).toHaveURL(/\/sign-in$/);
    await expect(page.getByRole('link', { name: 'Administration' })).toHaveCount(0);
  });

  for (const role of ['caseworker', 'researcher'] as const) {
    test(`a ${role} has no Administration link and gets the 403 page at /admin/users`, async ({ page }, info) => {
      const account = demoAccount(info, 'haven', role);
      await signInOk(page, account);
      await expect(page.getByRole('link', { name: 'Administration' })).toHaveCount(0);
      await expect(page.getByTestId('card-admin')).toHaveCount(0);
      for (const path of ['/admin/users', '/admin/tokens', '/admin/audit']) {
        const res = await page.goto(path);
        expect(res?.status(), path).toBe(403);
        await expect(page.getByTestId('forbidden')).toBeVisible();
        await expect(page.getByTestId('users-table')).toHaveCount(0);
      }
    });
  }

  test('a reviewer without two-step sign-in is sent to set it up before anything else', async ({ page }, info) => {
    const account = demoAccount(info, 'haven', 'reviewer');
    await signIn(page, account);
    await expect(page).toHaveURL(/\/account\?setup=required$/);
    await expect(page.getByTestId('totp-status')).toHaveText('Your role requires two-step sign-in. Set it up to continue.');
    // No way round it: the workspace sends them back, and the token section is not offered.
    await page.goto('/workspace');
    await expect(page).toHaveURL(/\/account\?setup=required$/);
    await expect(page.getByTestId('create-token')).toHaveCount(0);
    const me = await page.request.get('/api/v1/me');
    expect(me.status()).toBe(403);
    expect((await me.json()).error.code).toBe('second_factor_required');
  });

  test('an admin sets up two-step sign-in, then sees only their own organisation’s users', async ({ page }, info) => {
    const account = demoAccount(info, 'haven', 'admin');
    await signIn(page, account);
    await expect(page).toHaveURL(/\/account\?setup=required$/);
    await page.goto('/admin/users');
    await expect(page).toHaveURL(/\/account\?setup=required$/);

    await page.getByRole('button', { name: 'Set up two-step sign-in' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    await page.getByLabel('6-digit code').fill(generateSync({ secret }));
    markTotpUsed(secret);
    await page.getByTestId('totp-confirm').getByRole('button', { name: 'Turn on' }).click();
    await expect(page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);

    await page.getByRole('link', { name: 'Administration' }).click();
    await expect(page).toHaveURL(/\/admin\/users$/);
    await expectSignedIn(page, account.email);
    const emails = await page.getByTestId('users-table').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-email')));
    expect(emails).toContain('admin@haven.example');
    expect(emails).toContain('caseworker@haven.example');
    expect(emails.every((e) => e?.endsWith('@haven.example'))).toBe(true);
    await expect(page.getByTestId('users-table')).not.toContainText('northlight');
  });
});
