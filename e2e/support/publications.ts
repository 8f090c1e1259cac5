// Published summaries for the public journeys, made through lib/summaries exactly as reviewers do:
// drafted by one reviewer of haven, approved by another, over the demo's own workers. One more is
// published and then retracted. Also an internal source report, which the public must not find.
import { claimsByQuestion } from '@/lib/claims';
import { captureSource, searchSources } from '@/lib/sources';
import { approveSummary, createSummary, retractSummary, submitSummary } from '@/lib/summaries';
import type { SummaryContentInput } from '@/lib/summaries/content';
import { operatorActingAs } from '@/lib/users';

export interface E2ePublications {
  slug: string;
  retractedSlug: string;
  retractionReason: string;
  publicSourceId: string;
  internalSourceId: string;
}

export async function seedPublications(): Promise<E2ePublications> {
  const author = await operatorActingAs('haven', 'reviewer@haven.example');
  const approver = await operatorActingAs('haven', 'reviewer2@haven.example');
  const sources = (await searchSources(author, {})).sources.filter((s) => s.visibility === 'public' && s.own);
  const claims = (await claimsByQuestion(author)).flatMap((q) => q.claims).filter((c) => sources.some((s) => s.id === c.sourceId));
  const content: SummaryContentInput = {
    title: 'Working conditions of North Korean workers in Russia, 2019–2024',
    body: [
      'This summary counts the workers whose testimonies were **approved by two reviewers** and who agreed that their account be counted in public figures.',
      '',
      '## What the figures show',
      '',
      '- Most workers were sent to *construction* sites.',
      '- Nearly every worker described excessive overtime.',
      '',
      'Read more on the [ILO indicators of forced labour](https://www.ilo.org/topics/forced-labour). <script>alert(1)</script>',
    ].join('\n'),
    // The demo summary's own scope and numbers, drawn differently: the whole-record audit (issue 14)
    // refuses a publication whose numbers, with the demo's, narrow down a small group; the same
    // numbers again add nothing a reader could combine.
    scope: { from: '2019', to: '2024' },
    sections: [
      { measure: 'workers', by: ['year', 'site_type'], chart: 'heat-table', caption: 'Workers by the year their deployment started and the kind of site.' },
      { measure: 'hours_per_day', by: ['federal_district'], chart: 'bars', caption: 'Median working hours a day, by federal district.' },
      { measure: 'share_withheld', by: ['visa_type'], chart: 'bars', caption: 'Median share of pay withheld, by visa type.' },
    ],
    sourceIds: sources.slice(0, 5).map((s) => s.id),
    claimIds: claims.slice(0, 4).map((c) => c.id),
  };
  const { id } = await createSummary(author, { slug: 'conditions-2019-2024', language: 'en', content });
  await submitSummary(author, id);
  await approveSummary(approver, id);

  // The same figures under another address, then retracted: readers see the notice and no numbers.
  const retracted = await createSummary(author, { slug: 'withdrawn-summary', language: 'en', content: { ...content, title: 'A summary withdrawn after publication', claimIds: [], sourceIds: [] } });
  await submitSummary(author, retracted.id);
  await approveSummary(approver, retracted.id);
  const retractionReason = 'Published by mistake before the second review of its sources.';
  await retractSummary(author, retracted.id, retractionReason);

  const internal = await captureSource(author, { title: 'Internal field notes on a Primorsky site', language: 'en', visibility: 'internal', text: 'Notes taken during a field visit, for staff only. They describe the site and its routine.' });
  return { slug: 'conditions-2019-2024', retractedSlug: 'withdrawn-summary', retractionReason, publicSourceId: sources[0]!.id, internalSourceId: internal.id };
}
