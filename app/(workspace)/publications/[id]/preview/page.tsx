import type { Metadata } from 'next';
import Link from 'next/link';
import { pageData, requirePageAction } from '@/app/_lib/page-actor';
import { getT } from '@/lib/i18n';
import { previewSummary } from '@/lib/summaries';
import { SnapshotPreview } from './snapshot-preview';

export const metadata: Metadata = { title: 'Preview' };

export default async function PreviewPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageAction('summary.read');
  const { id } = await params;
  const t = await getT();
  // Computed now at public k and public consent; nothing is stored.
  const snapshot = await pageData(previewSummary(actor, id));
  return (
    <section>
      <p>
        <Link href={`/publications/${id}`}>{t('publications.preview.back')}</Link>
      </p>
      <p className="preview-banner" role="note" data-testid="preview-banner">
        <strong>{t('publications.preview.banner', { k: snapshot.k })}</strong>
      </p>
      <SnapshotPreview snapshot={snapshot} t={t} />
    </section>
  );
}
