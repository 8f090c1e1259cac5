import { expect, test, type Page } from '@playwright/test';
import { demoAccount } from './support/accounts';
import { signIn as submitSignIn } from './support/session';

async function signIn(page: Page, account: Parameters<typeof submitSignIn>[1]) {
  await submitSignIn(page, account);
  await page.waitForURL(/\/workspace$/);
}

// Written for this test: a short report with a figure two sources give differently.
const REPORT = `Harbour arrivals, spring survey
A port monitoring group counted 11,400 North Korean arrivals in Russia during 2024, nearly all of them placed on building sites in the Far East.`;

/** Selects `text` inside the captured report the way a mouse would, so the page's selection listener sees it. */
async function selectInReport(page: Page, text: string) {
  await page.getByTestId('captured-text').evaluate((el, wanted) => {
    const node = el.firstChild!;
    const at = node.textContent!.indexOf(wanted);
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + wanted.length);
    const sel = document.getSelection()!;
    sel.removeAllRanges();
    sel.addRange(range);
  }, text);
}

test('a caseworker pastes a report, selects an excerpt, records a claim; the claims page shows two sources side by side', async ({ page, browser }, info) => {
  await signIn(page, demoAccount(info, 'haven', 'caseworker'));
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sources' }).click();
  await page.getByRole('link', { name: 'Capture a report' }).click();

  const form = page.getByTestId('capture-source');
  await form.getByLabel('Captured text').fill(REPORT);
  await form.getByLabel('Publisher').fill('Harbour Monitor');
  await form.getByLabel('Source reliability').selectOption('C');
  await form.getByLabel('Information credibility').selectOption('3');
  await form.getByRole('button', { name: 'Capture' }).click();
  await expect(page).toHaveURL(/\/sources\/[0-9a-f-]{36}\?captured=1$/);
  await expect(page.getByTestId('source-title')).toHaveText('Harbour arrivals, spring survey');
  await expect(page.getByTestId('language')).toHaveText('en'); // detected
  const reportUrl = page.url().replace(/\?.*$/, '');

  // The excerpt comes from a selection in the captured text.
  await selectInReport(page, 'counted 11,400 North Korean arrivals in Russia during 2024');
  const claim = page.getByTestId('claim-form');
  await expect(claim.getByTestId('excerpt')).toHaveValue('counted 11,400 North Korean arrivals in Russia during 2024');
  await claim.getByLabel('Question').selectOption('north-korean-entries-to-russia');
  await claim.getByLabel('Value', { exact: true }).fill('11,400');
  await claim.getByLabel('Unit').fill('people');
  await claim.getByLabel('Period').fill('2024');
  await claim.getByRole('button', { name: 'Record claim' }).click();
  await expect(claim.getByTestId('form-message')).toContainText('Claim recorded');
  await page.reload();
  await expect(page.getByTestId('source-claims')).toContainText('11,400');

  // An excerpt typed that is not in the text is refused, with a clear message.
  const again = page.getByTestId('claim-form');
  await again.getByTestId('excerpt').fill('counted 99,999 arrivals');
  await again.getByLabel('Question').selectOption('north-korean-entries-to-russia');
  await again.getByLabel('Value', { exact: true }).fill('99999');
  await again.getByRole('button', { name: 'Record claim' }).click();
  await expect(again.getByTestId('form-message')).toContainText('not in the captured text');

  // Capturing the same text again leads to the existing report, and says so.
  await page.goto('/sources/new');
  await page.getByTestId('capture-source').getByLabel('Captured text').fill(`${REPORT}\n\n`);
  await page.getByTestId('capture-source').getByRole('button', { name: 'Capture' }).click();
  await expect(page.getByTestId('duplicate-notice')).toBeVisible();
  expect(page.url().replace(/\?.*$/, '')).toBe(reportUrl);

  // The claims page: this report's 11,400 beside the demo sources' 13,221 for 2024, marked as differing.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Claims' }).click();
  await page.getByRole('link', { name: 'North Korean entries to Russia' }).click();
  const question = page.getByTestId('question-north-korean-entries-to-russia');
  const ours = question.getByTestId('claim-row').filter({ hasText: 'Harbour arrivals' });
  const theirs = question.getByTestId('claim-row').filter({ hasText: 'Euromaidan Press' });
  await expect(ours.getByTestId('claim-value')).toHaveText('11,400 people');
  await expect(theirs.getByTestId('claim-value')).toHaveText('13,221 people');
  await expect(ours).toHaveAttribute('data-agreement', 'differs');
  await expect(theirs).toHaveAttribute('data-agreement', 'differs');
  await expect(ours.getByTestId('claim-mark')).toHaveText('Differs from other sources for this period');
  // The Polish paraphrase is graded E: shown as unreliable.
  await expect(question.getByTestId('claim-row').filter({ hasText: 'parafraza' })).toContainText('Unreliable grade');

  // Another organisation: the internal report is a 404 page, and absent from its search.
  const otherContext = await browser.newContext({ baseURL: String(info.project.use.baseURL) });
  const other = await otherContext.newPage();
  await signIn(other, demoAccount(info, 'northlight', 'caseworker'));
  const res = await other.goto(reportUrl);
  expect(res?.status()).toBe(404);
  await other.goto(`/sources?q=${encodeURIComponent('harbour arrivals')}`);
  await expect(other.getByTestId('source-results')).toHaveCount(0);
  await otherContext.close();

  // Search: a Polish query finds the Polish report with a highlighted snippet.
  await page.goto(`/sources?q=${encodeURIComponent('obywateli Korei')}`);
  const results = page.getByTestId('source-results');
  await expect(results.getByRole('listitem')).toHaveCount(1);
  await expect(results).toContainText('parafraza');
  await expect(results.locator('mark').first()).toBeVisible();
});
