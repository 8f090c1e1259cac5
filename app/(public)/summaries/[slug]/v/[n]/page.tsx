import type { Metadata } from 'next';
import { SummaryPage, summaryMetadata } from '../../../_summary-page';

type Props = { params: Promise<{ slug: string; n: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug, n } = await params;
  return summaryMetadata(slug, n);
}

export default async function Page({ params }: Props) {
  const { slug, n } = await params;
  return <SummaryPage slug={slug} version={n} />;
}
