import 'server-only';
import { createClaim } from '../claims';
import type { NewClaimInput } from '../claims/input';
import { captureSource } from '../sources';
import { importActor } from '../sources/import';

// The five shared source reports, paraphrased in the project's own words (facts and figures only,
// with their publisher and title): never the publishers' sentences.
interface DemoSource {
  /** How the demo summary refers to it. */
  key: DemoSourceKey;
  title: string;
  publisher: string | null;
  language: string;
  reliability: 'A' | 'B' | 'C' | 'D' | 'E' | 'F';
  credibility: '1' | '2' | '3' | '4' | '5' | '6';
  text: string;
  claims: (Omit<NewClaimInput, 'sourceId' | 'questionTitle'> & { excerpt: string })[];
}

export type DemoSourceKey = 'kyiv-independent' | 'euromaidan-press' | 'straits-times' | 'longform' | 'polish';

const NOTE = 'Paraphrase written for the Testimony Ledger demo; not the publisher’s text.';

export const DEMO_QUESTIONS: Record<string, string> = {
  'north-korean-entries-to-russia': 'North Korean entries to Russia',
  'entries-declaring-study': 'Entries declaring study as the purpose',
  'workers-allowed-or-expected': 'Workers Russia allows or is expected to take',
  'workers-present': 'North Korean workers present in Russia',
  'monthly-pay': 'Monthly pay of a worker',
  'daily-working-hours': 'Working hours a day',
  'rest-days-per-year': 'Rest days a year',
};

const DEMO_SOURCES: DemoSource[] = [
  {
    key: 'kyiv-independent',
    title: 'Russia Faces International Backlash Over North Korean Labor Deal (paraphrase)',
    publisher: 'Kyiv Independent',
    language: 'en',
    reliability: 'C',
    credibility: '3',
    text: `${NOTE}
According to this Kyiv Independent piece, Moscow has agreed to take in close to 15,000 labour migrants from North Korea while its own labour gap is forecast to reach 2.4 million people by 2030. The piece counts almost 8,000 North Koreans who crossed into Russia in 2024 saying they came to study, and treats the deal as a breach of UN Security Council sanctions. It also reports North Korean troops sent to fight for Russia.`,
    claims: [
      { question: 'workers-allowed-or-expected', valueKind: 'number', value: 15000, unit: 'people', excerpt: 'close to 15,000 labour migrants from North Korea' },
      { question: 'entries-declaring-study', valueKind: 'number', value: 8000, unit: 'people', period: '2024', excerpt: 'almost 8,000 North Koreans who crossed into Russia in 2024 saying they came to study' },
    ],
  },
  {
    key: 'euromaidan-press',
    title: 'North Korea sends thousands of workers to Russia in 2024 (paraphrase)',
    publisher: 'Euromaidan Press',
    language: 'en',
    reliability: 'B',
    credibility: '2',
    text: `${NOTE}
Citing South Korea's intelligence service, and Yonhap and Radio Free Asia reporting on Russian federal statistics, the article gives 13,221 entries of North Koreans into Russia in 2024, a twelve-fold rise on the year before. Of these, 7,887 gave education as their purpose, which the article reads as student visas used to send workers past UN sanctions. The workers are said to go to construction sites across Russia.`,
    claims: [
      { question: 'north-korean-entries-to-russia', valueKind: 'number', value: 13221, unit: 'people', period: '2024', excerpt: '13,221 entries of North Koreans into Russia in 2024' },
      { question: 'entries-declaring-study', valueKind: 'number', value: 7887, unit: 'people', period: '2024', excerpt: '7,887 gave education as their purpose' },
    ],
  },
  {
    key: 'straits-times',
    title: 'North Korea Sends Thousands of Workers to Russia Amid Sanctions Violations (paraphrase)',
    publisher: 'The Straits Times',
    language: 'en',
    reliability: 'B',
    credibility: '3',
    text: `${NOTE}
Summarising a Straits Times report that relies on South Korea's intelligence service, the text puts the number of North Korean workers already in Russia at about 4,000, each paid roughly 800 US dollars a month. New workers went to Russian building sites during 2024, filling gaps left by men drafted for the war, in breach of UN Security Council resolution 2375.`,
    claims: [
      { question: 'workers-present', valueKind: 'number', value: 4000, unit: 'people', period: '2024', excerpt: 'about 4,000' },
      { question: 'monthly-pay', valueKind: 'number', value: 800, unit: 'USD a month', excerpt: 'roughly 800 US dollars a month' },
    ],
  },
  {
    key: 'longform',
    title: 'North Korean Labour Fuels Russia (paraphrase)',
    publisher: null,
    language: 'en',
    reliability: 'D',
    credibility: '4',
    text: `${NOTE}
A long blog article with workers' accounts. It says more than 13,000 North Koreans entered Russia in 2024, with officials projecting that the total could pass 50,000. Workers describe shifts from 06:00 to 02:00, which is 20 hours a day, and 2 rest days in a whole year. Most pay goes to the state as loyalty contributions; the remaining 100 to 200 dollars a month is only written into a ledger, to be paid on return. Men sleep in shipping containers or unfinished buildings, and minders from the state security service watch them.`,
    claims: [
      { question: 'north-korean-entries-to-russia', valueKind: 'text', valueText: 'more than 13,000', unit: 'people', period: '2024', excerpt: 'more than 13,000 North Koreans entered Russia in 2024' },
      { question: 'daily-working-hours', valueKind: 'number', value: 20, unit: 'hours', excerpt: 'shifts from 06:00 to 02:00, which is 20 hours a day' },
      { question: 'rest-days-per-year', valueKind: 'number', value: 2, unit: 'days', excerpt: '2 rest days in a whole year' },
      { question: 'monthly-pay', valueKind: 'range', value: 100, valueHigh: 200, unit: 'USD a month', excerpt: '100 to 200 dollars a month is only written into a ledger' },
    ],
  },
  {
    key: 'polish',
    title: 'Robotnicy z KRLD w Rosji, 2024 (parafraza)',
    publisher: null,
    language: 'pl',
    reliability: 'E',
    credibility: '3',
    text: `Parafraza przygotowana na potrzeby demonstracji Testimony Ledger; nie jest to tekst wydawcy.
Tekst bez tytułu i bez podanego wydawcy, powołujący się na wywiad Korei Południowej: w 2024 roku do Rosji przyjechało 13 221 obywateli Korei Północnej, dwanaście razy więcej niż rok wcześniej. Prawie 8 000 z nich podało cel edukacyjny, co według tekstu maskuje pracę na budowach wbrew rezolucjom Rady Bezpieczeństwa ONZ.`,
    claims: [
      { question: 'north-korean-entries-to-russia', valueKind: 'number', value: 13221, unit: 'people', period: '2024', excerpt: '13 221 obywateli Korei Północnej' },
      { question: 'entries-declaring-study', valueKind: 'number', value: 8000, unit: 'people', period: '2024', excerpt: 'Prawie 8 000 z nich podało cel edukacyjny' },
    ],
  },
];

export interface SeededSources {
  /** Report ids. */
  sources: Partial<Record<DemoSourceKey, string>>;
  /** Claim ids with their question key. */
  claims: { id: string; question: string }[];
}

/** Public paraphrased reports of the five shared sources, with the claims they share, in one organisation. */
export async function seedDemoSources(orgSlug: string): Promise<SeededSources> {
  const actor = await importActor(orgSlug);
  const seeded: SeededSources = { sources: {}, claims: [] };
  for (const s of DEMO_SOURCES) {
    const { id, duplicate } = await captureSource(actor, {
      title: s.title,
      publisher: s.publisher ?? undefined,
      language: s.language,
      reliability: s.reliability,
      credibility: s.credibility,
      visibility: 'public',
      text: s.text,
    });
    seeded.sources[s.key] = id;
    if (duplicate) continue;
    for (const c of s.claims) seeded.claims.push({ id: (await createClaim(actor, { ...c, sourceId: id, questionTitle: DEMO_QUESTIONS[c.question] })).id, question: c.question });
  }
  return seeded;
}
