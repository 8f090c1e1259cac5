import { expect, test, type Page } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { accountsFor, demoAccount } from './support/accounts';
import { signInOk } from './support/session';

// A researcher studies aggregates across organisations: a cross table with its small cells hidden,
// a chart, a CSV; never home province, never an individual record.

const K = 5; // the researcher minimum cell size of the e2e servers (the default)
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const numbersIn = async (page: Page, selector: string) =>
  (await page.locator(selector).allTextContents()).map((s) => s.trim()).filter((s) => s !== '').map((s) => Number(s.replace(/,/g, '')));

test('a researcher picks a cross table, sees small cells marked and a chart, and downloads the CSV', async ({ page }, info) => {
  await signInOk(page, demoAccount(info, 'haven', 'researcher'));
  await expect(page.getByTestId('card-aggregates')).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Aggregates' }).click();
  await expect(page).toHaveURL(/\/aggregates$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Aggregates' })).toBeVisible();

  const form = page.getByTestId('aggregate-form');
  await form.getByLabel('Measure').selectOption('workers');
  await form.getByLabel('Break down by', { exact: true }).selectOption('year');
  await form.getByLabel('and by (optional)').selectOption('site_type');
  await form.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/\/aggregates\?measure=workers&by=year&by=site_type/);
  await expect(page.getByRole('heading', { level: 2, name: 'Workers (count) by Year of deployment × Site type' })).toBeVisible();

  // Whose workers, and the k in force.
  const caption = page.getByTestId('aggregate-caption');
  await expect(caption).toContainText('workers from every organisation');
  await expect(caption).toContainText('consent for research');
  await expect(caption).toContainText(`k = ${K}`);
  // Perturbed counts (issue 15), said in plain words, with a link to the published table.
  const perturbed = page.getByTestId('perturbed-note');
  await expect(perturbed).toContainText('Totals therefore do not equal the sum of their cells');
  await expect(perturbed.getByRole('link')).toHaveAttribute('href', '/methodology#perturbation');

  // The demo data gives both: hidden cells, each "not shown" (small, or hidden to protect one), and cells shown as numbers.
  const table = page.getByTestId('aggregate-table');
  const hiddenInner = table.locator('tbody td.suppressed:not(.margin)');
  const hiddenCount = await hiddenInner.count();
  expect(hiddenCount).toBeGreaterThan(0);
  for (const text of await table.locator('td.suppressed').allTextContents()) expect(text.trim()).toBe('not shown');
  // Visibly distinct: hatched, not a blank or a zero.
  expect(await hiddenInner.first().evaluate((td) => getComputedStyle(td).backgroundImage)).toContain('repeating-linear-gradient');
  const shown = await numbersIn(page, '[data-testid="aggregate-table"] :is(tbody, tfoot) td:not(.suppressed)');
  expect(shown.length).toBeGreaterThan(0);
  for (const n of shown) expect(n === 0 || n >= K, `shown count ${n}`).toBe(true);
  const shownInner = await numbersIn(page, '[data-testid="aggregate-table"] tbody td:not(.suppressed):not(.margin)');
  expect(shownInner.some((n) => n >= K), 'at least one cell of the cross table is shown').toBe(true);

  // The chart: one image with a name, the hidden cells drawn as placeholders (not as zero bars).
  const chart = page.getByTestId('aggregate-chart');
  await expect(chart).toBeVisible();
  await expect(chart).toHaveAttribute('role', 'img');
  await expect(page.getByRole('img', { name: /^Chart: Workers \(count\) by Year of deployment × Site type/ })).toBeVisible();
  await expect(chart.locator('.chart-suppressed')).toHaveCount(hiddenCount);
  for (const label of await chart.locator('.chart-suppressed > text').allTextContents()) expect(label).toBe('not shown');
  await expect(page.getByTestId('hidden-cells-note').getByRole('link', { name: /methodology/ })).toHaveAttribute('href', '/methodology#suppression');

  // The CSV: the same question, the same hidden cells.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('csv-link').click()]);
  expect(download.suggestedFilename()).toMatch(/^aggregates-workers-by-year-site_type-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = readFileSync((await download.path())!, 'utf8');
  expect(text.split('\r\n')[0]).toBe('measure,year,site_type,count,suppressed,figure,unit,k,period_from,period_to,perturbed,note');
  const rows = parse(text, { columns: true }) as Record<string, string>[];
  const totalHidden = await table.locator('td.suppressed').count();
  expect(rows.filter((r) => r.suppressed === 'true')).toHaveLength(totalHidden);
  for (const r of rows) {
    expect(r.k).toBe(String(K));
    expect(r.perturbed).toBe('true');
    if (r.suppressed === 'true') expect(r.count).toBe('');
    else expect(Number(r.count) === 0 || Number(r.count) >= K, `CSV count ${r.count}`).toBe(true);
  }
  expect(rows.find((r) => r.year === 'All' && r.site_type === 'All')).toBeTruthy();
});

test('bad questions get messages on the page, and the form still works', async ({ page }, info) => {
  await signInOk(page, demoAccount(info, 'haven', 'researcher'));
  const res = await page.goto('/aggregates?measure=median_income&by=year&by=sex&by=region&from=2024-03-01&to=2024-06-30');
  expect(res?.status()).toBe(200);
  await expect(page.getByTestId('aggregate-errors')).toBeVisible();
  await expect(page.getByTestId('error-measure')).toHaveText('Choose a measure from the list.');
  await expect(page.getByTestId('error-by')).toHaveText('Break down by one or two characteristics at a time, not more.');
  await expect(page.getByTestId('error-from')).toContainText('free dates are not allowed');
  await expect(page.getByTestId('error-to')).toContainText('free dates are not allowed');
  await expect(page.getByTestId('aggregate-table')).toHaveCount(0);

  // Still usable: the breakdowns asked for are kept; choose whole years and ask again.
  const form = page.getByTestId('aggregate-form');
  await expect(form.getByLabel('Break down by', { exact: true })).toHaveValue('year');
  await form.getByLabel('and by (optional)').selectOption('');
  await form.getByLabel('From', { exact: true }).selectOption('2023');
  await form.getByLabel('To', { exact: true }).selectOption('2025Q4');
  await form.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByTestId('aggregate-errors')).toHaveCount(0);
  await expect(page.getByTestId('aggregate-table')).toBeVisible();
  await expect(page.getByTestId('aggregate-result').locator('.period')).toHaveText('deployments starting 2023 to 2025 Q4');
});

test('a researcher asking for home province is refused, on the page and in the CSV', async ({ page }, info) => {
  await signInOk(page, demoAccount(info, 'haven', 'researcher'));
  await page.goto('/aggregates?measure=workers&by=home_province');
  const refusal = page.getByTestId('aggregate-refused');
  await expect(refusal).toContainText('Refused');
  await expect(refusal).toContainText('Breaking down by home province is refused to everyone');
  await expect(page.getByTestId('aggregate-table')).toHaveCount(0);
  await expect(page.getByTestId('aggregate-form')).toBeVisible();
  // home_province is not even offered.
  await expect(page.getByTestId('aggregate-form').locator('option[value="home_province"]')).toHaveCount(0);

  const csv = await page.request.get('/aggregates/csv?measure=workers&by=year&by=home_province');
  expect(csv.status()).toBe(403);
  expect((await csv.json()).error.code).toBe('forbidden');
});

test('a researcher is refused an individual record, on its page and through the API', async ({ page, request }, info) => {
  const { cliTokens } = accountsFor(info);
  // A record of the researcher's own organisation, found by a caseworker's token.
  const list = await request.get('/api/v1/testimonies', { headers: bearer(cliTokens.apiuser!) });
  expect(list.status()).toBe(200);
  const id = ((await list.json()) as { testimonies: { id: string }[] }).testimonies[0]!.id;

  await signInOk(page, demoAccount(info, 'haven', 'researcher'));
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Testimonies' })).toHaveCount(0);
  const view = await page.goto(`/testimonies/${id}`);
  expect(view?.status()).toBe(403);
  await expect(page.getByTestId('forbidden')).toBeVisible();

  const withSession = await page.request.get(`/api/v1/testimonies/${id}`);
  expect(withSession.status()).toBe(403);
  const withToken = await request.get(`/api/v1/testimonies/${id}`, { headers: bearer(cliTokens.apiresearcher!) });
  expect(withToken.status()).toBe(403);
  expect((await withToken.json()).error.code).toBe('forbidden');
  expect((await request.get('/api/v1/testimonies', { headers: bearer(cliTokens.apiresearcher!) })).status()).toBe(403);
});
