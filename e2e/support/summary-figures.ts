import type { Page } from '@playwright/test';
import { parse } from 'csv-parse/sync';

// The numbers of a public summary as a reader sees them on the page, in its CSV and in its JSON, in
// one comparable form: per section, the counts shown (sorted) and how many cells are hidden.

export interface SectionFigures {
  counts: number[];
  hidden: number;
}

interface Snapshot {
  k: number;
  sections: { answer: { cells: ({ count: number } | { suppressed: true })[]; margins: ({ count: number } | { suppressed: true })[] } }[];
}

export async function pageFigures(page: Page): Promise<SectionFigures[]> {
  const sections = page.getByTestId('summary-section');
  const out: SectionFigures[] = [];
  for (let i = 0; i < (await sections.count()); i++) {
    const table = sections.nth(i).getByTestId('summary-table');
    const counts = (await table.locator('td[data-count]').evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-count'))))).sort((a, b) => a - b);
    out.push({ counts, hidden: await table.locator('td[data-suppressed="true"]').count() });
  }
  return out;
}

/** Figures of the CSV download; every hidden row must also have an empty count and carry `k`. */
export function csvFigures(text: string, sections: number, k: number): SectionFigures[] {
  const rows = parse(text, { columns: true }) as Record<string, string>[];
  const bad = rows.filter((r) => r.suppressed === 'true' && (r.count !== '' || r.k !== String(k)));
  if (bad.length) throw new Error(`hidden CSV rows with a count or another k: ${JSON.stringify(bad.slice(0, 3))}`);
  return Array.from({ length: sections }, (_, i) => {
    const own = rows.filter((r) => r.section === String(i + 1));
    return { counts: own.filter((r) => r.suppressed === 'false').map((r) => Number(r.count)).sort((a, b) => a - b), hidden: own.filter((r) => r.suppressed === 'true').length };
  });
}

export function jsonFigures(snapshot: unknown): SectionFigures[] {
  return (snapshot as Snapshot).sections.map((s) => {
    const all = [...s.answer.cells, ...s.answer.margins];
    return { counts: all.flatMap((c) => ('count' in c ? [c.count] : [])).sort((a, b) => a - b), hidden: all.filter((c) => 'suppressed' in c).length };
  });
}

/** What a reader sees of a rendered summary (public page or preview), in a form two renderings can be compared by. */
export interface RenderedSummary {
  title: string;
  body: string;
  sections: { heading: string; figures: SectionFigures; hiddenLabels: string[]; charts: number; chartHiddenLabels: string[]; note: string | null }[];
}

export async function renderedSummary(page: Page): Promise<RenderedSummary> {
  const article = page.getByTestId('summary-article');
  const body = article.getByTestId('summary-body');
  const sections = article.getByTestId('summary-section');
  const figures = await pageFigures(page);
  const out: RenderedSummary = { title: (await article.getByRole('heading', { level: 1 }).innerText()).trim(), body: (await body.count()) ? await body.innerHTML() : '', sections: [] };
  for (let i = 0; i < (await sections.count()); i++) {
    const s = sections.nth(i);
    const note = s.getByTestId('hidden-cells-note');
    out.sections.push({
      heading: (await s.getByRole('heading', { level: 2 }).first().innerText()).trim(),
      figures: figures[i]!,
      hiddenLabels: (await s.locator('[data-testid="summary-table"] td[data-suppressed="true"]').allInnerTexts()).map((t) => t.trim()),
      charts: await s.getByTestId('aggregate-chart').count(),
      chartHiddenLabels: (await s.locator('.chart-suppressed > text').allTextContents()).map((t) => t.trim()),
      note: (await note.count()) ? (await note.innerText()).trim() : null,
    });
  }
  return out;
}
