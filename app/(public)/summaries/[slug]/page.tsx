import type { Metadata } from 'next';
import { SummaryPage, summaryMetadata } from '../_summary-page';

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const versionOf = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  return summaryMetadata((await params).slug, versionOf((await searchParams).version));
}

export default async function Page({ params, searchParams }: Props) {
  return <SummaryPage slug={(await params).slug} version={versionOf((await searchParams).version)} />;
}
