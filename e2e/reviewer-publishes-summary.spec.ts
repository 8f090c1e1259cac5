import { readFileSync } from 'node:fs';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { demoAccount, extraAccount } from './support/accounts';
import { signedInPage } from './support/session';
import { csvFigures, jsonFigures, pageFigures, renderedSummary } from './support/summary-figures';

// Issue 7, the whole journey: a caseworker records a worker's account and a reviewer approves it; a
// reviewer drafts a public summary through the form, previews it at public k and sends it to review;
// they cannot approve their own; a second reviewer publishes it; a signed-out visitor reads it, the
// hidden cells as "not shown", and downloads CSV and JSON whose numbers are the page's. The preview is
// the public page: same Markdown, numbers, hidden-cell labels and charts (issue 14). A second
// summary whose scope nests inside the first and differs by 3 workers in a cell is refused with the
// cell named. The figures come from the deployments of 2016 that e2e/support/seed.ts adds for this
// spec alone (39 workers), plus the one recorded here: a fisherman in Moscow, so fishing holds 5.

/** A caseworker records the account through the form (public-aggregate consent) and sends it to review. */
async function recordFisherman(page: Page): Promise<string> {
  await page.goto('/testimonies/new');
  const form = page.getByTestId('testimony-form');
  await form.getByLabel('Interview date').fill('2019-06-03');
  await form.getByLabel('Interview language').fill('ko');
  await form.getByLabel('Start (month)').fill('2016-08');
  await form.getByLabel('Region (federal subject)').selectOption('moscow');
  await form.getByLabel('Site type').selectOption('fishing');
  await form.getByLabel('Visa type').selectOption('trainee');
  await form.getByLabel('Outcome').selectOption('returned');
  await form.getByLabel('Usual shift start').fill('05:00');
  await form.getByLabel('Usual shift end').fill('23:00');
  await form.getByLabel('Days worked a week').fill('7');
  await form.getByLabel('Public aggregates').check();
  await page.getByRole('button', { name: 'Save as draft' }).click();
  await expect(page).toHaveURL(/\/testimonies\/[0-9a-f-]{36}$/);
  await page.getByTestId('submit-testimony').getByRole('button', { name: 'Submit for review' }).click();
  await expect(page.getByTestId('status')).toContainText('Submitted');
  return new URL(page.url()).pathname;
}

/** The same person's view without JavaScript: the server-rendered form carries the action's hidden fields. */
async function withoutScript(browser: Browser, page: Page, baseURL: string) {
  const context = await browser.newContext({ baseURL, javaScriptEnabled: false, storageState: await page.context().storageState() });
  return context.newPage();
}

/** The hidden fields React renders for a form bound to a server action (what a browser without JavaScript posts). */
async function hiddenFields(form: Locator): Promise<Record<string, string>> {
  return form.evaluate((f) => Object.fromEntries([...f.querySelectorAll<HTMLInputElement>('input[type=hidden]')].map((i) => [i.name, i.value])));
}

async function status(page: Page, url: string) {
  await page.goto(url);
  return (await page.getByTestId('summary-status').textContent())?.trim();
}

async function fillScope(form: Locator, year: string) {
  // A label wrapping a select takes the options into its text: find the period's selects by name.
  await form.getByRole('group', { name: 'From' }).locator('select[name="fromYear"]').selectOption(year);
  await form.getByRole('group', { name: 'To' }).locator('select[name="toYear"]').selectOption(year);
}

test('from a caseworker\'s record to the public page: approved, drafted, published by another reviewer, read and downloaded; a nested scope that would reveal 3 workers is refused', async ({ browser }, info) => {
  test.setTimeout(180_000);
  const baseURL = String(info.project.use.baseURL);
  const caseworker = await signedInPage(browser, baseURL, demoAccount(info, 'haven', 'caseworker'));
  const testimonyUrl = await recordFisherman(caseworker);
  await expect(caseworker.getByTestId('approve-testimony')).toHaveCount(0);
  await caseworker.context().close();

  // Reviewer A approves the worker's account, then drafts the summary.
  const author = await signedInPage(browser, baseURL, extraAccount(info, 'author'));
  await author.goto(testimonyUrl);
  await author.getByTestId('approve-testimony').getByRole('button').click();
  await expect(author.getByTestId('status')).toContainText('Approved');

  // The nav leads to the organisation's publications and the form.
  await author.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Publications' }).click();
  await expect(author).toHaveURL(/\/publications$/);
  await author.getByRole('link', { name: 'New summary' }).click();
  const form = author.getByTestId('summary-form');

  // The demo's public source reports can be cited, each with its grade.
  await expect(form.getByTestId('pick-sourceIds').getByRole('checkbox').first()).toBeVisible();
  await expect(form.getByTestId('pick-sourceIds')).toContainText(/grade [A-F][1-6]/);

  // Bad input: a slug with a space and no section. Errors beside the fields; what was typed stays.
  await form.getByLabel('Slug (address)').fill('Bad Slug!');
  await form.getByLabel('Title').fill('Workers interviewed about 2016');
  await form.getByLabel('Text (Markdown)').fill('Deployments that **began** in 2016.');
  await form.getByRole('button', { name: 'Remove section 1' }).click();
  await expect(form.getByTestId('section-0')).toHaveCount(0);
  await expect(form.getByLabel('Title')).toHaveValue('Workers interviewed about 2016'); // kept across the round trip
  await form.getByRole('button', { name: 'Create draft' }).click();
  await expect(form.getByTestId('error-slug')).toContainText('lower-case letters');
  await expect(form.getByTestId('error-sections')).toContainText('at least one section');
  await expect(form.getByLabel('Slug (address)')).toHaveValue('Bad Slug!');
  await expect(form.getByLabel('Title')).toHaveValue('Workers interviewed about 2016');
  await expect(form.getByLabel('Text (Markdown)')).toHaveValue('Deployments that **began** in 2016.');

  // Corrected: 2016, one section of workers by site type.
  await form.getByLabel('Slug (address)').fill('workers-2016');
  await fillScope(form, '2016');
  await form.getByRole('button', { name: 'Add a section' }).click();
  const section = form.getByTestId('section-0');
  await expect(section.locator('select[name="sections.0.measure"]')).toHaveValue('workers');
  await section.locator('select[name="sections.0.by0"]').selectOption('site_type');
  await section.getByLabel('Caption').fill('Workers by type of site, 2016');
  await form.getByRole('button', { name: 'Create draft' }).click();
  await expect(author).toHaveURL(/\/publications\/[0-9a-f-]{36}$/);
  const url = new URL(author.url()).pathname;
  await expect(author.getByTestId('summary-status')).toHaveText('Draft');

  // The preview, drawn by the public renderer: public k, the Markdown rendered, a chart, the 5 fishing
  // workers "not shown" like every hidden cell (never a number, never "fewer than 10").
  await author.getByTestId('preview-link').click();
  await expect(author.getByTestId('preview-banner')).toContainText('not published');
  await expect(author.getByTestId('summary-body').locator('strong')).toHaveText('began');
  const table = author.getByTestId('summary-section').first().getByTestId('summary-table');
  await expect(table.getByRole('row', { name: /^Construction/ })).toContainText('23');
  await expect(table.getByRole('row', { name: /^Fishing/ })).toContainText('not shown');
  await expect(table.getByRole('row', { name: /^Fishing/ })).not.toContainText('5');
  const preview = await renderedSummary(author);
  expect(preview.sections).toHaveLength(1);
  expect(preview.sections[0]!.charts).toBe(1);
  expect(preview.sections[0]!.hiddenLabels.length).toBeGreaterThan(0);
  for (const label of [...preview.sections[0]!.hiddenLabels, ...preview.sections[0]!.chartHiddenLabels]) expect(label).toBe('not shown');
  expect(preview.sections[0]!.note).toContain('Why cells are hidden');

  // Sent to review by its author, who gets no approve button.
  await author.goto(url);
  await author.getByTestId('submit-summary').getByRole('button', { name: 'Send to review' }).click();
  await expect(author.getByTestId('summary-status')).toHaveText('In review');
  await expect(author.getByTestId('approve-summary')).toHaveCount(0);

  // Another reviewer of the organisation sees the button; the author posting that same form is refused.
  const reviewer = await signedInPage(browser, baseURL, extraAccount(info, 'reviewer2'));
  await reviewer.goto(url);
  const approveForm = reviewer.getByTestId('approve-summary');
  await expect(approveForm.getByRole('button', { name: 'Approve and publish' })).toBeVisible();
  const reviewerPlain = await withoutScript(browser, reviewer, baseURL);
  await reviewerPlain.goto(url);
  const approveFields = await hiddenFields(reviewerPlain.getByTestId('approve-summary'));
  expect(Object.keys(approveFields).some((name) => name.startsWith('$ACTION'))).toBe(true);
  const forged = await author.request.post(url, { multipart: approveFields, headers: { origin: baseURL } });
  expect(forged.status()).toBe(200);
  expect(await status(author, url)).toBe('In review');

  await approveForm.getByRole('button', { name: 'Approve and publish' }).click();
  // The page re-renders as published: the approve button is gone with the version it approved, and it says so with the public link.
  await expect(reviewer.getByTestId('summary-status')).toHaveText('Published v1');
  await expect(reviewer.getByTestId('published-notice')).toContainText('Published as version 1.');
  await expect(reviewer.getByTestId('published-notice').getByRole('link', { name: 'Read the public page' })).toHaveAttribute('href', '/summaries/workers-2016');
  await expect(reviewer.getByTestId('new-version')).toBeVisible();
  await reviewer.goto('/publications');
  await expect(reviewer.getByTestId('summary-workers-2016').getByTestId('summary-status')).toHaveText('Published v1');
  await reviewer.goto(url);
  await expect(reviewer.getByTestId('version-1')).toContainText(/[0-9a-f]{12}/);
  await expect(reviewer.getByTestId('version-1').locator('td').last()).toHaveText('10'); // k

  // A signed-out visitor reads it: fishing "not shown"; the page is the preview, number for number and
  // label for label; the CSV and the JSON hold the page's numbers.
  const visitorContext = await browser.newContext({ baseURL });
  const visitor = await visitorContext.newPage();
  await visitor.goto('/summaries');
  await visitor.getByRole('link', { name: 'Workers interviewed about 2016' }).click();
  await expect(visitor).toHaveURL(/\/summaries\/workers-2016$/);
  const published = visitor.getByTestId('summary-section').first().getByTestId('summary-table');
  await expect(published.getByRole('row', { name: /^Fishing/ })).toContainText('not shown');
  await expect(published.getByRole('row', { name: /^Construction/ })).toContainText('23');
  expect(await renderedSummary(visitor)).toEqual(preview);
  const shown = await pageFigures(visitor);
  expect(shown).toHaveLength(1);
  const [csv] = await Promise.all([visitor.waitForEvent('download'), visitor.getByTestId('download-csv').click()]);
  expect(csvFigures(readFileSync((await csv.path())!, 'utf8'), shown.length, 10)).toEqual(shown);
  const json = await visitor.request.get('/summaries/workers-2016.json');
  expect(jsonFigures(await json.json())).toEqual(shown);
  await visitorContext.close();

  // A second summary nested inside the first: 2016, Far Eastern district only (20 construction workers, 3 fewer).
  await author.goto('/publications/new');
  const second = author.getByTestId('summary-form');
  await second.getByLabel('Slug (address)').fill('far-east-2016');
  await second.getByLabel('Title').fill('The Far East in 2016');
  await fillScope(second, '2016');
  await second.getByRole('group', { name: 'Federal districts' }).getByLabel('Far Eastern').check();
  await second.getByTestId('section-0').getByLabel('Caption').fill('Workers by type of site');
  await second.getByRole('button', { name: 'Create draft' }).click();
  await expect(author).toHaveURL(/\/publications\/[0-9a-f-]{36}$/);
  const secondUrl = new URL(author.url()).pathname;

  // Sent to review the way a browser without JavaScript posts the button (the same hand-built post the author was refused above).
  const authorPlain = await withoutScript(browser, author, baseURL);
  await authorPlain.goto(secondUrl);
  const submitFields = await hiddenFields(authorPlain.getByTestId('submit-summary'));
  const posted = await author.request.post(secondUrl, { multipart: submitFields, headers: { origin: baseURL } });
  expect(posted.status()).toBe(200);
  expect(await status(author, secondUrl)).toBe('In review');

  await reviewer.goto(secondUrl);
  const refuse = reviewer.getByTestId('approve-summary');
  await refuse.getByRole('button', { name: 'Approve and publish' }).click();
  await expect(refuse.getByTestId('form-message')).toContainText('Publishing was refused');
  await expect(refuse.getByTestId('refused-cells')).toContainText('With ‘Workers interviewed about 2016’ v1, this would show the number of workers in Site type: Construction; Federal district: all except Far Eastern; Period: 2016: 3, fewer than 10.');
  expect(await status(reviewer, secondUrl)).toBe('In review');

  for (const p of [author, reviewer, authorPlain, reviewerPlain]) await p.context().close();
});
