import { expect, test } from '@playwright/test';
import { extraAccount } from './support/accounts';
import { signedInPage, signInOk } from './support/session';

// Issue 15: researchers see perturbed counts within a budget of distinct tables. A researcher sees
// how much of it they used (a repeated table is free); their admin sees the use and extends it.

test('a researcher sees their table budget; an admin sees the use, extends it, and the researcher sees the new allowance', async ({ page, browser, baseURL }, info) => {
  const researcher = extraAccount(info, 'budgetresearcher');
  const theirs = await signedInPage(browser, baseURL, researcher);
  await theirs.goto('/aggregates?measure=workers&by=year');
  await expect(theirs.getByText(/Your budget: 1 of 24 different tables/)).toBeVisible();
  await expect(theirs.getByText(/perturbed|noise/i).first()).toBeVisible();
  // The same table again: the same numbers, and no more of the budget.
  await theirs.reload();
  await expect(theirs.getByText(/Your budget: 1 of 24 different tables/)).toBeVisible();

  await signInOk(page, extraAccount(info, 'budgetadmin'));
  await page.goto('/admin/budgets');
  await expect(page.getByRole('heading', { level: 1, name: 'Research budgets' })).toBeVisible();
  const row = page.locator(`tr[data-email="${researcher.email}"]`);
  await expect(row.locator('td').nth(2)).toHaveText('1');
  await expect(row.locator('td').nth(3)).toHaveText('24');
  await row.getByLabel('Extend by').fill('6');
  await row.getByRole('button', { name: 'Extend' }).click();
  await expect(row.locator('td').nth(3)).toHaveText('30');

  await theirs.reload();
  await expect(theirs.getByText(/Your budget: 1 of 30 different tables/)).toBeVisible();
});
