import { expect, test, type APIRequestContext, type Browser, type Page, type TestInfo } from '@playwright/test';
import { accountsFor, demoAccount } from './support/accounts';
import { signIn as submitSignIn } from './support/session';

async function signIn(page: Page, account: Parameters<typeof submitSignIn>[1]) {
  await submitSignIn(page, account);
  await page.waitForURL(/\/workspace$/);
}

const EXCERPT = 'Our foreman Kim Chol took 600 dollars from each of us in Vladivostok on 12 March 2024.';

test('a caseworker proposes a quote; a reviewer corrects the redaction and approves it in one step', async ({ page, browser }, info) => {
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

  // A reviewer (two-step sign-in) restores the amount and approves: refused while a digit remains,
  // nothing saved, and the text typed stays in the field.
  const reviewerContext = await browser.newContext();
  const reviewerPage = await reviewerContext.newPage();
  await signIn(reviewerPage, accountsFor(info).extra.reviewer2!);
  await reviewerPage.goto(url);
  const quote = reviewerPage.getByTestId('quote').last();
  await expect(quote.getByTestId('quote-original')).toHaveText(EXCERPT);
  const redaction = quote.getByTestId('quote-redaction');
  const text = redaction.getByLabel('Redacted text (what may be published)');
  const suggestion = await text.inputValue();
  const withAmount = 'Our foreman [name] took 600 dollars from each of us in [place].';
  await text.fill(withAmount);
  await redaction.getByRole('button', { name: 'Save and approve' }).click();
  await expect(redaction.getByTestId('form-message')).toContainText('"600"');
  await expect(text).toHaveValue(withAmount);
  await expect(quote.getByTestId('quote-status')).toHaveText('Proposed');
  await reviewerPage.reload();
  await expect(text).toHaveValue(suggestion);

  // Saved for later (still proposed), then corrected and approved in one step: the text on screen is the text approved.
  await text.fill(withAmount);
  await redaction.getByRole('button', { name: 'Save redaction' }).click();
  await expect(redaction.getByTestId('form-message')).toHaveText('Done.');
  await expect(quote.getByTestId('quote-status')).toHaveText('Proposed');
  const corrected = 'Our foreman [name] took a month of pay from each of us in [place].';
  await text.fill(corrected);
  await redaction.getByRole('button', { name: 'Save and approve' }).click();
  await expect(quote.getByTestId('quote-status')).toHaveText('Approved');
  await expect(quote.getByTestId('approve-quote')).toHaveCount(0);
  await reviewerContext.close();

  // The caseworker sees the approved redaction.
  await page.reload();
  await expect(page.getByTestId('quote').last().getByTestId('quote-status')).toHaveText('Approved');
  await expect(page.getByTestId('quote').last().getByLabel('Redacted text (what may be published)')).toHaveValue(corrected);
});

/** The caseworker records an interview consented for public quotes and proposes EXCERPT: its page and the quote's id. */
async function proposedQuote(page: Page, info: TestInfo) {
  await signIn(page, demoAccount(info, 'haven', 'caseworker'));
  await page.goto('/testimonies/new');
  const form = page.getByTestId('testimony-form');
  await form.getByLabel('Interview date').fill('2025-04-02');
  await form.getByLabel('Narrative (encrypted)').fill(`The bus left at night. ${EXCERPT} We kept quiet.`);
  await form.getByLabel('Public quotes').check();
  await page.getByRole('button', { name: 'Save as draft' }).click();
  await expect(page).toHaveURL(/\/testimonies\/[0-9a-f-]{36}$/);
  const propose = page.getByTestId('propose-quote');
  await propose.getByLabel('Excerpt to quote').fill(EXCERPT);
  await propose.getByRole('button', { name: 'Propose quote' }).click();
  const proposed = page.getByTestId('quote').last();
  await expect(proposed.getByTestId('quote-status')).toHaveText('Proposed');
  return { url: page.url(), quoteId: (await proposed.getAttribute('data-quote-id'))! };
}

/**
 * A reviewer edits the suggested redaction and approves straight away, without saving first: what
 * is approved, stored and answered by the API is exactly the text on the reviewer's screen.
 */
async function editAndApprove(browser: Browser, request: APIRequestContext, info: TestInfo, javaScriptEnabled: boolean) {
  const caseworker = await browser.newContext();
  const { url, quoteId } = await proposedQuote(await caseworker.newPage(), info);
  await caseworker.close();

  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  // An account of its own per test: a second-factor code is never used twice.
  await signIn(page, accountsFor(info).extra[javaScriptEnabled ? 'approver' : 'approvernojs']!);
  await page.goto(url);
  const quote = page.locator(`[data-testid="quote"][data-quote-id="${quoteId}"]`);
  const text = quote.getByLabel('Redacted text (what may be published)');
  await expect(text).toHaveValue(/\[name\].*\[place\]/);
  const edited = javaScriptEnabled
    ? 'Our foreman [name] took a month of pay from each of us in [place].'
    : 'Our foreman [name] took our wages, every one of us, in [place].';
  await text.fill(edited);
  await quote.getByRole('button', { name: /approve/i }).click();
  await expect(quote.getByTestId('quote-status')).toHaveText('Approved');

  await page.reload();
  await expect(quote.getByTestId('quote-status')).toHaveText('Approved');
  await expect(quote.getByLabel('Redacted text (what may be published)')).toHaveValue(edited);
  await context.close();

  // lib answers the same: the quote is approved with the edited text, not the stored suggestion.
  const testimonyId = url.split('/').pop()!;
  const res = await request.get(`/api/v1/testimonies/${testimonyId}/quotes`, { headers: { authorization: `Bearer ${accountsFor(info).cliTokens.apiuser}` } });
  expect(res.status()).toBe(200);
  const { quotes } = (await res.json()) as { quotes: { id: string; status: string; redactedText: string }[] };
  expect(quotes.find((q) => q.id === quoteId)).toMatchObject({ status: 'approved', redactedText: edited });
}

test('a reviewer edits the redaction and approves at once: exactly the edited text is approved', async ({ browser, request }, info) => {
  await editAndApprove(browser, request, info, true);
});

test('without JavaScript too, the edited text is the one approved', async ({ browser, request }, info) => {
  await editAndApprove(browser, request, info, false);
});
