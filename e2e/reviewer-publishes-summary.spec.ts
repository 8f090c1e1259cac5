import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { extraAccount } from './support/accounts';
import { signedInPage } from './support/session';

// Issue 7: a reviewer drafts a public summary through the form, previews it at public k and sends it
// to review; they cannot approve their own; a second reviewer publishes it. A second summary whose
// scope nests inside the first and differs by 3 workers in a cell is refused with the cell named.
// The figures come from the deployments of 2016 that e2e/support/seed.ts adds for this spec alone.

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

test('a reviewer drafts a summary, another publishes it, and a nested scope that would reveal 3 workers is refused', async ({ browser }, info) => {
  test.setTimeout(180_000);
  const baseURL = String(info.project.use.baseURL);
  const author = await signedInPage(browser, baseURL, extraAccount(info, 'author'));

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
  await form.getByLabel('Text (Markdown)').fill('Deployments that began in 2016.');
  await form.getByRole('button', { name: 'Remove section 1' }).click();
  await expect(form.getByTestId('section-0')).toHaveCount(0);
  await expect(form.getByLabel('Title')).toHaveValue('Workers interviewed about 2016'); // kept across the round trip
  await form.getByRole('button', { name: 'Create draft' }).click();
  await expect(form.getByTestId('error-slug')).toContainText('lower-case letters');
  await expect(form.getByTestId('error-sections')).toContainText('at least one section');
  await expect(form.getByLabel('Slug (address)')).toHaveValue('Bad Slug!');
  await expect(form.getByLabel('Title')).toHaveValue('Workers interviewed about 2016');
  await expect(form.getByLabel('Text (Markdown)')).toHaveValue('Deployments that began in 2016.');

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

  // The preview: public k, the 4 fishing workers shown as "fewer than 10", never as a number.
  await author.getByTestId('preview-link').click();
  await expect(author.getByTestId('preview-banner')).toContainText('not published');
  const table = author.getByTestId('preview-section-0');
  await expect(table.getByRole('row', { name: /^Construction/ })).toContainText('23');
  await expect(table.getByRole('row', { name: /^Fishing/ })).toContainText('fewer than 10');
  await expect(table.getByRole('row', { name: /^Fishing/ })).not.toContainText('4');

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
  // The page re-renders as published: the approve button is gone with the version it approved.
  await expect(reviewer.getByTestId('summary-status')).toHaveText('Published v1');
  await expect(reviewer.getByTestId('new-version')).toBeVisible();
  await reviewer.goto('/publications');
  await expect(reviewer.getByTestId('summary-workers-2016').getByTestId('summary-status')).toHaveText('Published v1');
  await reviewer.goto(url);
  await expect(reviewer.getByTestId('version-1')).toContainText(/[0-9a-f]{12}/);
  await expect(reviewer.getByTestId('version-1').locator('td').last()).toHaveText('10'); // k

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
  await expect(refuse.getByTestId('refused-cells')).toContainText('site_type=construction differs from workers-2016 v1 site_type=construction by 3');
  expect(await status(reviewer, secondUrl)).toBe('In review');

  for (const p of [author, reviewer, authorPlain, reviewerPlain]) await p.context().close();
});
