import type { Metadata } from 'next';
import Link from 'next/link';
import { SummaryView } from '@/app/_components/summary-view';
import { pageData, requirePageAction } from '@/app/_lib/page-actor';
import { getLocale, getT } from '@/lib/i18n';
import { previewSummary } from '@/lib/summaries';

export const metadata: Metadata = { title: 'Preview' };

// The preview is the page: the public renderer (SummaryView, as app/(public)/summaries renders a
// published snapshot) over a snapshot computed now, so the reviewer approves exactly what readers
// will see: the Markdown, the charts and the "not shown" labels. Only the banner and the missing
// versions and downloads (nothing is published yet) tell it apart.
export default async function PreviewPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageAction('summary.read');
  const { id } = await params;
  const t = await getT();
  const locale = await getLocale();
  // Computed now at public k and public consent; nothing is stored.
  const snapshot = await pageData(previewSummary(actor, id));
  return (
    <section data-testid="summary-preview">
      <p>
        <Link href={`/publications/${id}`}>{t('publications.preview.back')}</Link>
      </p>
      <p className="preview-banner" role="note" data-testid="preview-banner">
        <strong>{t('publications.preview.banner', { k: snapshot.k })}</strong>
      </p>
      <SummaryView snapshot={snapshot} locale={locale} />
    </section>
  );
}
