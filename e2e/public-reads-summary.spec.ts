import { expect, test } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { accountsFor } from './support/accounts';
import { csvFigures, jsonFigures, pageFigures } from './support/summary-figures';

// A signed-out visitor finds the published summary from the home page, reads its charts and tables
// (hidden cells shown as "not shown", with a note that links to why), and downloads CSV and JSON whose
// numbers are the page's.
// The e2e seed published it through lib/summaries: drafted by one reviewer of haven, approved by another.

test('a signed-out visitor reads a published summary and downloads figures equal to the page', async ({ page }, info) => {
  const pub = accountsFor(info).publications;
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Latest summaries' })).toBeVisible();
  await page.getByTestId('summary-list').getByRole('link', { name: /Working conditions/ }).click();
  await expect(page).toHaveURL(new RegExp(`/summaries/${pub.slug}$`));

  const article = page.getByTestId('summary-article');
  await expect(article).toHaveAttribute('lang', 'en');
  await expect(article.getByRole('heading', { level: 1 })).toHaveText(/Working conditions/);
  await expect(page.getByTestId('summary-k')).toContainText('No figure describes fewer than 10 workers.');
  await expect(page.getByTestId('aggregate-chart').first()).toBeVisible();
  await expect(page.locator('[data-chart="heat-table"] table.heat')).toBeVisible();
  // The body's Markdown is rendered, its raw HTML shown as text and never run.
  await expect(page.getByTestId('summary-body').getByRole('heading', { name: 'What the figures show' })).toBeVisible();
  await expect(page.getByTestId('summary-body')).toContainText('<script>alert(1)</script>');
  expect(await page.locator('[data-testid="summary-body"] script').count()).toBe(0);
  await expect(page.getByTestId('summary-body').getByRole('link', { name: /ILO indicators/ })).toHaveAttribute('rel', 'nofollow noopener');
  // Sources with their grades in words, the citation, versions, methodology.
  await expect(page.getByTestId('summary-source').first()).toContainText(/Reliability of the source/);
  await expect(page.getByTestId('summary-citation')).toContainText('version 1');
  await expect(page.getByTestId('summary-versions')).toContainText('Version 1');
  await expect(page.getByRole('complementary', { name: 'Data' }).getByRole('link', { name: /methodology/ })).toHaveAttribute('href', '/methodology');

  const shown = await pageFigures(page);
  const hiddenCells = page.locator('[data-testid="summary-table"] td[data-suppressed="true"]');
  expect(await hiddenCells.count(), 'the seed should give at least one hidden cell at k=10').toBeGreaterThan(0);
  // One neutral label on every hidden cell, in the tables and the charts: some are hidden only to protect a neighbour.
  for (const label of await hiddenCells.allInnerTexts()) expect(label.trim()).toBe('not shown');
  for (const label of await page.locator('[data-testid="aggregate-chart"] .chart-suppressed > text').allTextContents()) expect(label.trim()).toBe('not shown');
  expect(await page.locator('[data-testid="aggregate-chart"]').evaluateAll((svgs) => svgs.map((s) => s.textContent ?? '').join(' '))).not.toMatch(/fewer|미만/);
  const note = page.getByTestId('hidden-cells-note').first();
  await expect(note).toContainText('not shown');
  await expect(note).not.toContainText('fewer');
  expect(shown.some((s) => s.counts.some((n) => n >= 10))).toBe(true);

  // CSV, as a visitor downloads it.
  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
  expect(csvDownload.suggestedFilename()).toBe(`${pub.slug}-v1.csv`);
  expect(csvFigures(readFileSync((await csvDownload.path())!, 'utf8'), shown.length, 10)).toEqual(shown);

  // JSON: the snapshot, whose numbers are the page's too, with its hash in a header.
  const json = await page.request.get(`/summaries/${pub.slug}.json`);
  expect(json.status()).toBe(200);
  expect(json.headers()['x-snapshot-sha256']).toMatch(/^[0-9a-f]{64}$/);
  expect(jsonFigures(await json.json())).toEqual(shown);

  // The note leads to the methodology, which explains the one label and the audit of everything published.
  await note.getByRole('link', { name: 'Why cells are hidden (methodology)' }).click();
  await expect(page).toHaveURL(/\/methodology#suppression$/);
  await expect(page.getByTestId('methodology-not-shown')).toContainText('“not shown”');
  await expect(page.getByTestId('methodology-audit')).toContainText('protection interval');
  await expect(page.getByTestId('methodology-audit')).toContainText('Medians are left out');
  await page.goto(`/summaries/${pub.slug}`);

  // The page is cacheable and revalidates with its ETag.
  const first = await page.request.get(`/summaries/${pub.slug}`);
  expect(first.headers()['cache-control']).toBe('public, no-cache');
  const again = await page.request.get(`/summaries/${pub.slug}`, { headers: { 'if-none-match': first.headers().etag! } });
  expect(again.status()).toBe(304);
  // Served from the server's store of rendered pages, byte for byte the page rendered for the first reader.
  const stored = await page.request.get(`/summaries/${pub.slug}`);
  expect(stored.headers()['x-ledger-cache']).toBe('hit');
  expect(stored.headers()['content-security-policy']).toBe(first.headers()['content-security-policy']);
  expect(await stored.text()).toBe(await first.text());

  // Screenshots for a human: the page on a desktop and as printed.
  const screens = `.test-results/screens/${info.project.name}`;
  mkdirSync(screens, { recursive: true });
  await page.setViewportSize({ width: 1366, height: 900 });
  await page.screenshot({ path: `${screens}/summary-desktop.png`, fullPage: true });
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('header.site')).toBeHidden();
  await page.screenshot({ path: `${screens}/summary-print.png`, fullPage: true });
});

test('a retracted summary shows its notice and reason, and serves no numbers', async ({ page }, info) => {
  const pub = accountsFor(info).publications;
  await page.goto('/summaries');
  await page.getByRole('link', { name: 'A summary withdrawn after publication' }).click();
  await expect(page.getByTestId('summary-retracted')).toContainText('This summary was retracted');
  await expect(page.getByTestId('retraction-reason')).toContainText(pub.retractionReason);
  expect(await page.locator('table, svg[data-testid="aggregate-chart"], [data-testid="download-csv"]').count()).toBe(0);
  for (const ext of ['csv', 'json']) {
    const res = await page.request.get(`/summaries/${pub.retractedSlug}.${ext}`);
    expect(res.status()).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
  }
});

test('public source reports are open to all; an internal one is a plain 404', async ({ page }, info) => {
  const pub = accountsFor(info).publications;
  await page.goto(`/summaries/${pub.slug}`);
  await page.getByTestId('summary-source').first().getByRole('link').first().click();
  await expect(page.getByTestId('public-source')).toBeVisible();
  await expect(page.getByTestId('public-source-reliability')).not.toBeEmpty();
  const internal = await page.goto(`/sources/${pub.internalSourceId}`);
  expect(internal?.status()).toBe(404);
  const missing = await page.goto('/sources/00000000-0000-4000-8000-000000000000');
  expect(missing?.status()).toBe(404);
});

test('the public pages speak Korean when the reader chose it; the summary keeps its own language', async ({ page }, info) => {
  const pub = accountsFor(info).publications;
  const url = new URL(String(info.project.use.baseURL));
  const choose = (value: string) => page.context().addCookies([{ name: 'tl.locale', value, domain: url.hostname, path: '/', httpOnly: true, sameSite: 'Lax' }]);
  // Read in English first: the stored page must not come back in English once Korean is chosen.
  await choose('en');
  await page.goto(`/summaries/${pub.slug}`);
  await expect(page.getByRole('heading', { name: 'Data' })).toBeVisible();
  await choose('ko');
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
  await expect(page.getByRole('heading', { name: '최신 요약' })).toBeVisible();
  await page.goto('/summaries');
  await expect(page.getByRole('heading', { level: 1, name: '요약' })).toBeVisible();
  await page.goto(`/summaries/${pub.slug}`);
  await expect(page.getByTestId('summary-article')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { name: '데이터' })).toBeVisible();
  await expect(page.getByTestId('download-csv')).toHaveText('수치 내려받기 (CSV)');
});
