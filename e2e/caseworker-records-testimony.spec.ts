import { expect, test, type Page } from '@playwright/test';
import { accountsFor, demoAccount } from './support/accounts';
import { signIn as submitSignIn } from './support/session';

async function signIn(page: Page, account: Parameters<typeof submitSignIn>[1]) {
  await submitSignIn(page, account);
  await page.waitForURL(/\/workspace$/);
}

// The long-form source's typical account (paraphrased): 06:00–02:00 shifts, two rest days a year,
// pay credited to a ledger, a fall with care denied, a shipping container, minders.
async function fillLongFormAccount(page: Page) {
  const form = page.getByTestId('testimony-form');
  await form.getByLabel('Interview date').fill('2025-03-14');
  await form.getByLabel('Interview language').fill('ko');
  await form.getByLabel('Start (month)').fill('2023-05');
  await form.getByLabel('Region (federal subject)').selectOption('primorsky-krai');
  await form.getByLabel('Site type').selectOption('construction');
  await form.getByLabel('Visa type').selectOption('student');
  await form.getByLabel('Outcome').selectOption('escaped');
  await form.getByLabel('Usual shift start').fill('06:00');
  await form.getByLabel('Usual shift end').fill('02:00');
  await form.getByLabel('Days worked a week').fill('7');
  await form.getByLabel('Rest days a year').fill('2');
  await form.getByLabel('Currency').selectOption('USD');
  await form.getByLabel('Credited to a ledger, payable on return').fill('150');
  await form.getByLabel('Was the ledger ever paid?').selectOption('no');
  await form.getByLabel('Housing').selectOption('shipping_container');
  await form.getByLabel('Minders present').selectOption('yes');
  const injury = form.getByRole('group', { name: 'Injury 1' });
  await injury.getByLabel('Kind').fill('fall from scaffolding');
  await injury.getByLabel('Severity').selectOption('serious');
  await injury.getByLabel('Medical care').selectOption('denied');
  await injury.getByLabel('Made to keep working').selectOption('yes');
  await form.getByLabel('Excessive overtime').selectOption('yes');
  await form.getByLabel('Narrative (encrypted)').fill('Worked through the night on the site; the ledger was never paid.');
  await form.getByLabel('Research aggregates').check();
}

test('a caseworker records the long-form account, a reviewer approves it, a stale edit is refused', async ({ page, browser }, info) => {
  const caseworker = demoAccount(info, 'haven', 'caseworker');
  await signIn(page, caseworker);
  await page.goto('/testimonies/new');

  // A bad value is answered beside its field and nothing typed is lost.
  await fillLongFormAccount(page);
  await page.getByTestId('testimony-form').getByLabel('Days worked a week').fill('9');
  await page.getByRole('button', { name: 'Save as draft' }).click();
  await expect(page.getByTestId('error-hours.daysPerWeek')).toBeVisible();
  await expect(page.getByTestId('testimony-form').getByLabel('Usual shift start')).toHaveValue('06:00');
  await page.getByTestId('testimony-form').getByLabel('Days worked a week').fill('7');
  await page.getByRole('button', { name: 'Save as draft' }).click();

  await expect(page).toHaveURL(/\/testimonies\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('hours-per-day')).toHaveText('20');
  await expect(page.getByTestId('interviewer')).toHaveText(caseworker.email); // the form names whoever records it
  await expect(page.getByTestId('hours-per-week')).toHaveText('140');
  await expect(page.getByTestId('subject-code')).toHaveText(/^W-[0-9A-HJKMNP-TV-Z]{6}$/);
  await expect(page.getByTestId('narrative')).toContainText('ledger was never paid');
  const url = page.url();

  // Two editors open the same version; the second to save is refused and told what changed.
  await page.goto(`${url}/edit`);
  const second = await browser.newContext();
  const other = await second.newPage();
  await signIn(other, caseworker);
  await other.goto(`${url}/edit`);
  await page.getByTestId('testimony-form').getByLabel('Rest days a year').fill('3');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL(url);
  await other.getByTestId('testimony-form').getByLabel('Rest days a year').fill('5');
  await other.getByRole('button', { name: 'Save' }).click();
  await expect(other.getByTestId('form-message')).toContainText('changed by someone else');
  await expect(other.getByTestId('form-message')).toContainText('hours');
  await second.close();

  await page.getByTestId('submit-testimony').getByRole('button').click();
  await expect(page.getByTestId('status')).toContainText('Submitted');

  // The caseworker cannot approve; a reviewer (with two-step sign-in) can.
  await expect(page.getByTestId('approve-testimony')).toHaveCount(0);
  const reviewerContext = await browser.newContext();
  const reviewerPage = await reviewerContext.newPage();
  const reviewer = accountsFor(info).extra.reviewer2!;
  await signIn(reviewerPage, reviewer);
  await reviewerPage.goto(url);
  await reviewerPage.getByTestId('approve-testimony').getByRole('button').click();
  await expect(reviewerPage.getByTestId('status')).toContainText('Approved');
  await reviewerContext.close();
});

test('what a caseworker typed survives closing the tab: the form autosaves a draft on the server', async ({ browser }, info) => {
  const caseworker = accountsFor(info).extra.drafter!; // its own account: drafts are per user
  const first = await browser.newContext();
  const page = await first.newPage();
  await signIn(page, caseworker);
  await page.goto('/testimonies/new');
  await page.getByTestId('testimony-form').getByLabel('Rest days a year').fill('2');
  await page.getByTestId('testimony-form').getByLabel('Narrative (encrypted)').fill('typed, never saved by hand');
  await expect(page.getByTestId('autosave-status')).toContainText('Draft saved', { timeout: 10_000 });
  await first.close();

  const second = await browser.newContext();
  const again = await second.newPage();
  await signIn(again, caseworker);
  await again.goto('/testimonies/new');
  await expect(again.getByTestId('testimony-form').getByLabel('Rest days a year')).toHaveValue('2');
  await expect(again.getByTestId('testimony-form').getByLabel('Narrative (encrypted)')).toHaveValue('typed, never saved by hand');
  await second.close();
});
