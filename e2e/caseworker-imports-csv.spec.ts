import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { accountsFor, demoAccount } from './support/accounts';
import { signIn as submitSignIn } from './support/session';

async function signIn(page: Page, account: Parameters<typeof submitSignIn>[1]) {
  await submitSignIn(page, account);
  await page.waitForURL(/\/workspace$/);
}

const HEADER = 'subject_code,interview_date,site_type,visa_type,shift_start,shift_end,pay_currency,wage_paid,consent_scopes,consent_method,ilo_excessive_overtime,narrative';
// Three interviews; the second has a wage written in words.
const rows = (secondWage: string) =>
  [
    HEADER,
    ',2025-03-14,construction,student,06:00,02:00,USD,800,internal;research,oral,yes,E2E-IMPORT-SENTINEL nights on the tower',
    `,2025-04-02,factory,trainee,07:00,23:00,USD,${secondWage},internal,written,unknown,Packed boxes until late`,
    ',2025-05-20,logging,work,05:30,22:00,RUB,45000,internal,oral,no,"Felled trees, slept in a cabin"',
  ].join('\n') + '\n';

const csvFile = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

test('a caseworker imports a CSV: the bad row is named, the corrected file imports, a reviewer exports', async ({ page, browser }, info) => {
  await signIn(page, demoAccount(info, 'haven', 'caseworker'));
  await page.goto('/testimonies');
  await page.getByTestId('import-link').click();
  await expect(page).toHaveURL(/\/testimonies\/import$/);
  await expect(page.getByTestId('template-link')).toHaveAttribute('href', '/api/v1/testimonies/import/template');

  await page.getByLabel('CSV file').setInputFiles(csvFile('interviews.csv', rows('eight hundred')));
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByTestId('import-refused')).toContainText('1 of 3 rows have problems; nothing was imported');
  await expect(page.getByTestId('import-issues')).toContainText('line 3, column wage_paid');
  await expect(page).toHaveURL(/\/testimonies\/import\?job=[0-9a-f-]{36}$/);
  // A Korean reader gets the same report in Korean: the headline, where, and zod's own wording.
  const url = new URL(page.url());
  const locale = (value: string) => page.context().addCookies([{ name: 'tl.locale', value, domain: url.hostname, path: '/', httpOnly: true, sameSite: 'Lax' }]);
  await locale('ko');
  await page.reload();
  await expect(page.getByTestId('import-refused')).toContainText('3행 중 1행에 문제가 있습니다');
  await expect(page.getByTestId('import-issues')).toContainText('3행, wage_paid 열: 잘못된 입력: 예상 타입은 number, 받은 타입은 string입니다');
  await locale('en');
  await page.reload();

  await page.getByLabel('CSV file').setInputFiles(csvFile('interviews.csv', rows('650')));
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByTestId('import-result')).toHaveText('Imported 3 testimonies (3 new subjects).');

  // A reviewer downloads the organisation's CSV: the imported rows are there, their narratives are not.
  const context = await browser.newContext();
  const reviewerPage = await context.newPage();
  // Its own reviewer: reviewer2 signing in elsewhere within the same 30 s would replay a TOTP code.
  await signIn(reviewerPage, accountsFor(info).extra.exporter!);
  await reviewerPage.goto('/testimonies');
  const [download] = await Promise.all([reviewerPage.waitForEvent('download'), reviewerPage.getByTestId('export-link').click()]);
  expect(download.suggestedFilename()).toMatch(/^testimonies-haven-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = readFileSync((await download.path())!, 'utf8');
  expect(text.split('\r\n')[0]).toMatch(/^testimony_id,status,subject_code,/);
  expect(text).toContain('2025-05-20');
  expect(text).not.toContain('E2E-IMPORT-SENTINEL');
  expect(text).not.toContain('narrative');
  await context.close();
});

test('without JavaScript the form still imports and the page shows the bad row', async ({ browser }, info) => {
  // Signing in is not this journey: do it with JavaScript, then carry the session over.
  const signedIn = await browser.newContext();
  await signIn(await signedIn.newPage(), demoAccount(info, 'haven', 'caseworker'));
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: await signedIn.storageState() });
  await signedIn.close();
  const page = await context.newPage();
  await page.goto('/testimonies/import');
  await page.getByLabel('CSV file').setInputFiles(csvFile('plain.csv', rows('lots')));
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page).toHaveURL(/\/testimonies\/import\?job=[0-9a-f-]{36}$/);
  await expect(page.getByTestId('import-issues')).toContainText('line 3, column wage_paid');
  await page.getByLabel('CSV file').setInputFiles(csvFile('plain.csv', rows('700')));
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.getByTestId('import-result')).toHaveText('Imported 3 testimonies (3 new subjects).');
  await context.close();
});
