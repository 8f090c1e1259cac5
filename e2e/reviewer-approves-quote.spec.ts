import { expect, test, type Page } from '@playwright/test';
import { accountsFor, demoAccount } from './support/accounts';
import { signIn as submitSignIn } from './support/session';

async function signIn(page: Page, account: Parameters<typeof submitSignIn>[1]) {
  await submitSignIn(page, account);
  await page.waitForURL(/\/workspace$/);
}

const EXCERPT = 'Our foreman Kim Chol took 600 dollars from each of us in Vladivostok on 12 March 2024.';

test('a caseworker proposes a quote; a reviewer corrects the redaction and approves it', async ({ page, browser }, info) => {
  // The caseworker records an interview whose consent covers public quotes, then proposes an excerpt.
  await signIn(page, demoAccount(info, 'haven', 'caseworker'));
  await page.goto('/testimonies/new');
  const form = page.getByTestId('testimony-form');
  await form.getByLabel('Interview date').fill('2025-03-14');
  await form.getByLabel('Narrative (encrypted)').fill(`We started before dawn. ${EXCERPT} Nobody complained aloud.`);
  await form.getByLabel('Public quotes').check();
  await page.getByRole('button', { name: 'Save as draft' }).click();
  await expect(page).toHaveURL(/\/testimonies\/[0-9a-f-]{36}$/);
  const url = page.url();
  const propose = page.getByTestId('propose-quote');
  await propose.getByLabel('Excerpt to quote').fill(EXCERPT);
  await propose.getByRole('button', { name: 'Propose quote' }).click();

  // The suggestion hides the name, the place, the date and the number; the caseworker cannot approve.
  const proposed = page.getByTestId('quote').last();
  await expect(proposed.getByTestId('quote-status')).toHaveText('Proposed');
  await expect(proposed.getByTestId('quote-original')).toHaveText(EXCERPT);
  const suggested = proposed.getByLabel('Redacted text (what may be published)');
  await expect(suggested).toHaveValue(/\[name\].*\[place\]/);
  for (const secret of ['Kim Chol', 'Vladivostok', '600', '2024']) await expect(suggested).not.toHaveValue(new RegExp(secret));
  await expect(proposed.getByTestId('approve-quote')).toHaveCount(0);

  // A reviewer (two-step sign-in) restores the amount: approval is refused while a digit remains.
  const reviewerContext = await browser.newContext();
  const reviewerPage = await reviewerContext.newPage();
  await signIn(reviewerPage, accountsFor(info).extra.reviewer2!);
  await reviewerPage.goto(url);
  const quote = reviewerPage.getByTestId('quote').last();
  await expect(quote.getByTestId('quote-original')).toHaveText(EXCERPT);
  const redaction = quote.getByTestId('quote-redaction');
  await redaction.getByLabel('Redacted text (what may be published)').fill('Our foreman [name] took 600 dollars from each of us in [place].');
  await redaction.getByRole('button', { name: 'Save redaction' }).click();
  await expect(redaction.getByTestId('form-message')).toHaveText('Done.');
  await quote.getByTestId('approve-quote').getByRole('button', { name: 'Approve redaction' }).click();
  await expect(quote.getByTestId('approve-quote').getByTestId('form-message')).toContainText('"600"');
  await expect(quote.getByTestId('quote-status')).toHaveText('Proposed');

  // Corrected, saved (the approval then carries the text the reviewer now reads) and approved.
  const corrected = 'Our foreman [name] took a month of pay from each of us in [place].';
  await redaction.getByLabel('Redacted text (what may be published)').fill(corrected);
  await redaction.getByRole('button', { name: 'Save redaction' }).click();
  await expect(quote.getByTestId('approve-quote').locator('input[name="redactedText"]')).toHaveValue(corrected);
  await quote.getByTestId('approve-quote').getByRole('button', { name: 'Approve redaction' }).click();
  await expect(quote.getByTestId('quote-status')).toHaveText('Approved');
  await expect(quote.getByTestId('approve-quote')).toHaveCount(0);
  await reviewerContext.close();

  // The caseworker sees the approved redaction.
  await page.reload();
  await expect(page.getByTestId('quote').last().getByTestId('quote-status')).toHaveText('Approved');
  await expect(page.getByTestId('quote').last().getByLabel('Redacted text (what may be published)')).toHaveValue(corrected);
});
