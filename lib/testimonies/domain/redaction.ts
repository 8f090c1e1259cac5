import { NK_PROVINCES } from './indicators';
import { FEDERAL_SUBJECTS } from './regions';

export const REDACTION_KINDS = ['name', 'place', 'date', 'number', 'organisation'] as const;
export type RedactionKind = (typeof REDACTION_KINDS)[number];

/** One suggested replacement; start and end are UTF-16 offsets into the original text, end exclusive. */
export type Replacement = { start: number; end: number; kind: RedactionKind; original: string };
export type RedactionSuggestion = { redacted: string; replacements: Replacement[] };

export const placeholder = (kind: RedactionKind) => `[${kind}]`;

type Candidate = { start: number; end: number; kind: RedactionKind };

// Word boundaries by letters of any script ("Kim's", "Хабаровск"). Digits do not count as word characters:
// every digit becomes a placeholder, so a name glued to a number must match before and after redaction alike.
const NOT_AFTER_WORD = '(?<![\\p{L}_])';
const NOT_BEFORE_WORD = '(?![\\p{L}_])';
const GAP = '[ \\t\\u00a0]+';
const D = '\\p{Nd}';
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const alternation = (words: readonly string[]) =>
  [...new Set(words)]
    .sort((a, b) => b.length - a.length)
    .map(escape)
    .join('|');
const eitherCase = (word: string) => `[${word[0]!.toUpperCase()}${word[0]!.toLowerCase()}]${escape(word.slice(1))}`;

// ---------------------------------------------------------------------------------------------
// Dates and numbers

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTH_ABBREVIATIONS = ['Jan', 'Feb', 'Mar', 'Apr', 'Jun', 'Jul', 'Aug', 'Sep', 'Sept', 'Oct', 'Nov', 'Dec'];
const MONTH = `(?:${alternation(MONTHS)}|(?:${alternation(MONTH_ABBREVIATIONS)})\\.?)`;
// "May" alone is far more often the verb than the month; it is redacted only next to a day or a year.
const MONTH_ALONE = `(?:${alternation(MONTHS.filter((m) => m !== 'May'))})`;
const DAY = `${D}{1,2}(?:st|nd|rd|th)?(?![\\p{L}_]|${D})`;
const YEAR = `(?:19|20)${D}{2}s?`;
const LONE_YEAR = `(?<![${D}.,:/-])${YEAR}(?![${D}]|[.,:/-]${D})`;

const DATE_PATTERNS = [
  `${DAY}${GAP}(?:of${GAP})?${MONTH}(?:,?${GAP}${YEAR})?`,
  `${MONTH}${GAP}${DAY}(?:,?${GAP}${YEAR})?`,
  `${MONTH},?${GAP}(?:of${GAP})?${YEAR}`,
  `${MONTH_ALONE}`,
  `${D}{4}-${D}{1,2}-${D}{1,2}`,
  `${D}{1,2}[./-]${D}{1,2}[./-]${D}{2,4}`,
  `${D}{1,2}/${D}{4}`,
  `${YEAR}[ \\t]*[-–—][ \\t]*${YEAR}`,
  LONE_YEAR,
].map((source) => new RegExp(`${NOT_AFTER_WORD}(?:${source})${NOT_BEFORE_WORD}`, 'gu'));

const ORDINAL = '(?:(?:st|nd|rd|th)(?![\\p{L}_]))?';
const NUMBER_PATTERNS = [
  // 13 221 and 13 221,5: thousands grouped by spaces, as Russian and French write them.
  `(?<!${D})${D}{1,3}(?:[ \\u00a0\\u202f\\u2009]${D}{3}(?!${D}))+(?:[.,]${D}+)?`,
  // +7 914 123-45-67: a telephone number in international form is one number, not four.
  `\\+${D}(?:[ ()-]*${D}){6,}`,
  // 13,221 · 4.5 · 06:00 · 12-45-67 · 100-200 · 4th
  `\\+?(?<!${D})${D}+(?:[.,:/-]${D}+)*${ORDINAL}`,
].map((source) => new RegExp(source, 'gu'));

// ---------------------------------------------------------------------------------------------
// Names

const NAME_WORD = `\\p{Lu}\\p{L}*(?:[-'’]\\p{L}+)*`;
const NAME_TRIGGERS = [
  'named',
  'called',
  'nicknamed',
  'known as',
  'comrade',
  'brigade leader',
  'team leader',
  'squad leader',
  'foreman',
  'supervisor',
  'manager',
  'boss',
  'director',
  'minder',
  'guard',
  'interpreter',
  'translator',
  'friend',
  'colleague',
  'brother',
  'sister',
  'cousin',
  'uncle',
  'wife',
  'husband',
  'son',
  'daughter',
  'professor',
  'captain',
  'officer',
  'sergeant',
  'lieutenant',
  'colonel',
  'commander',
  'chairman',
  'secretary',
].map(eitherCase);
const TITLES = ['Mr', 'Mrs', 'Ms', 'Miss', 'Dr', 'Prof'].map((t) => `${escape(t)}\\.?`);
const TRIGGERED_NAME = new RegExp(
  `${NOT_AFTER_WORD}(?:${[...NAME_TRIGGERS, ...TITLES].join('|')})${GAP}(?<name>${NAME_WORD}(?:${GAP}${NAME_WORD}){0,2})`,
  'dgu',
);

const KOREAN_SURNAMES = [
  'Kim', 'Lee', 'Ri', 'Yi', 'Rhee', 'Park', 'Pak', 'Choi', 'Choe', 'Jung', 'Jong', 'Chung', 'Kang', 'Cho', 'Jo',
  'Yoon', 'Yun', 'Jang', 'Chang', 'Lim', 'Rim', 'Han', 'Oh', 'Seo', 'Shin', 'Sin', 'Kwon', 'Hwang', 'Ahn', 'Song',
  'Hong', 'Ko', 'Ryu', 'Jeon', 'Jon', 'Moon', 'Mun', 'Baek', 'Paek', 'Nam',
];
// Left out: O, So, An, Im, Go, Yu, which open too many English sentences ("An Hour later").
// A given name is one or two syllable words: "Chol", "Seung-chul", "Jong Un".
const KOREAN_GIVEN = `\\p{Lu}\\p{Ll}+(?:-\\p{L}\\p{Ll}*)?(?:${GAP}\\p{Lu}\\p{Ll}{0,4}(?![\\p{L}-]))?`;
const KOREAN_NAME = new RegExp(`${NOT_AFTER_WORD}(?:${alternation(KOREAN_SURNAMES)})${GAP}${KOREAN_GIVEN}${NOT_BEFORE_WORD}`, 'gu');

const RUSSIAN_GIVEN_NAMES = [
  'Aleksandr', 'Alexander', 'Alexei', 'Alexey', 'Aleksei', 'Anatoly', 'Andrei', 'Andrey', 'Anton', 'Artem', 'Artyom',
  'Boris', 'Denis', 'Dmitri', 'Dmitry', 'Evgeny', 'Yevgeny', 'Igor', 'Ivan', 'Konstantin', 'Maxim', 'Mikhail', 'Nikolai',
  'Oleg', 'Pavel', 'Roman', 'Ruslan', 'Sergei', 'Sergey', 'Stanislav', 'Vadim', 'Valery', 'Vasily', 'Viktor', 'Vitaly',
  'Vladimir', 'Vladislav', 'Yuri', 'Anna', 'Elena', 'Yelena', 'Irina', 'Marina', 'Maria', 'Natalia', 'Natalya', 'Olga',
  'Svetlana', 'Tatiana', 'Tatyana',
];
const RUSSIAN_NAME = new RegExp(`${NOT_AFTER_WORD}(?:${alternation(RUSSIAN_GIVEN_NAMES)})(?:${GAP}${NAME_WORD}){1,2}${NOT_BEFORE_WORD}`, 'gu');

// An e-mail address names its owner as surely as a name does.
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu;

// ---------------------------------------------------------------------------------------------
// Places

const shortName = (name: string) =>
  name
    .replace(/ \(Yakutia\)$/, '')
    .replace(/ – .*$/, '')
    .replace(/^Republic of /, '')
    .replace(/ (Oblast|Krai|Republic|Autonomous Okrug|Autonomous Oblast)$/, '');
const REGION_NAMES = FEDERAL_SUBJECTS.flatMap((s) => [s.name, shortName(s.name)]).filter((n) => n !== 'Jewish');
const REGION_ALIASES = [
  'Primorye', 'Yakutia', 'Chechnya', 'Udmurtia', 'Chuvashia', 'Yugra', 'Kuzbass', 'Zabaikalsky', 'Transbaikalia',
  'Kabardino-Balkaria', 'Karachay-Cherkessia', 'North Ossetia', 'Alania', 'Kamchatka', 'Chukotka', 'Altai', 'Komi',
  'Buryatia', 'Tuva', 'Khakassia', 'Karelia', 'Adygea', 'Kalmykia', 'Crimea', 'Sevastopol', 'Donbas', 'Donbass',
];
const RUSSIAN_CITIES = [
  'Vladivostok', 'Khabarovsk', 'Nakhodka', 'Ussuriysk', 'Ussuriisk', 'Artyom', 'Artem', 'Arsenyev', 'Partizansk',
  'Bolshoy Kamen', 'Slavyanka', 'Zarubino', 'Posyet', 'Khasan', 'Blagoveshchensk', 'Komsomolsk-on-Amur',
  'Komsomolsk-na-Amure', 'Birobidzhan', 'Yuzhno-Sakhalinsk', 'Petropavlovsk-Kamchatsky', 'Magadan', 'Yakutsk', 'Chita',
  'Ulan-Ude', 'Moscow', 'St Petersburg', 'St. Petersburg', 'Saint Petersburg', 'Petersburg', 'Kazan', 'Novosibirsk',
  'Yekaterinburg', 'Ekaterinburg', 'Irkutsk', 'Krasnoyarsk', 'Tyumen', 'Chelyabinsk', 'Ufa', 'Samara', 'Nizhny Novgorod',
  'Rostov-on-Don', 'Krasnodar', 'Sochi', 'Volgograd', 'Voronezh', 'Kaliningrad', 'Murmansk', 'Barnaul', 'Kemerovo',
  'Novokuznetsk', 'Surgut', 'Tobolsk', 'Bratsk', 'Norilsk', 'Donetsk', 'Luhansk', 'Lugansk', 'Mariupol', 'Melitopol',
  'Zaporizhzhia', 'Kherson',
];
const NORTH_KOREAN_PLACES = [
  ...NK_PROVINCES.flatMap((p) => [p.name, `${p.name} Province`]),
  'Yanggang', 'North Hamgyung', 'South Hamgyung', 'Hamgyong', 'Pyongan', 'Hwanghae', 'Nampho', 'Rajin', 'Sonbong',
  'Rajin-Sonbong', 'Hamhung', 'Chongjin', 'Sinuiju', 'Wonsan', 'Hyesan', 'Kimchaek', 'Kanggye', 'Haeju', 'Sariwon',
  'Pyongsong', 'Sunchon', 'Tanchon', 'Hoeryong', 'Musan', 'Manpo', 'Anju', 'Kusong', 'Hamgyong-bukto', 'Onsong',
  'Kyongsong', 'Kilju', 'Songbong', 'Tumangang',
];
// Border crossings and escape routes: where a worker went is as telling as where he worked.
const OTHER_PLACES = [
  'Dandong', 'Shenyang', 'Yanji', 'Hunchun', 'Tumen', 'Harbin', 'Ulaanbaatar', 'Ulan Bator', 'Vientiane', 'Bangkok',
  'Hanoi', 'Seoul', 'Incheon', 'Busan',
];
const PLACE_NAMES = [...REGION_NAMES, ...REGION_ALIASES, ...RUSSIAN_CITIES, ...NORTH_KOREAN_PLACES, ...OTHER_PLACES];
const NAMED_PLACE = new RegExp(`${NOT_AFTER_WORD}(?:${alternation(PLACE_NAMES)})${NOT_BEFORE_WORD}`, 'gu');

const SENTENCE_WORDS = ['The', 'A', 'An', 'In', 'At', 'On', 'To', 'From', 'Of', 'For', 'And', 'But', 'Our', 'His', 'Her', 'Their', 'My', 'This', 'That', 'We', 'They', 'He', 'She', 'It', 'I'];
const NOT_SENTENCE_WORD = `(?!(?:${alternation(SENTENCE_WORDS)})${NOT_BEFORE_WORD})`;
const CAPITALISED_RUN = (max: number) => `${NOT_SENTENCE_WORD}${NAME_WORD}(?:${GAP}${NAME_WORD}){0,${max - 1}}`;
const PLACE_SUFFIXES = ['Oblast', 'Krai', 'Kray', 'Okrug', 'Raion', 'Rayon', 'Province', 'Region', 'District', 'County', 'City', 'Street', 'Avenue', 'Prospekt', 'Prospect', 'Port', 'Bay', 'Station', 'Island', 'River'];
const SUFFIXED_PLACE = new RegExp(
  `${NOT_AFTER_WORD}${CAPITALISED_RUN(3)}${GAP}(?:${alternation(PLACE_SUFFIXES)}|${alternation(['region', 'district', 'province'])})${NOT_BEFORE_WORD}`,
  'gu',
);

// ---------------------------------------------------------------------------------------------
// Organisations

const LEGAL_FORMS = ['OOO', 'LLC', 'JSC', 'OJSC', 'CJSC', 'PJSC', 'OAO', 'ZAO', 'AO', 'ООО', 'ОАО', 'ЗАО', 'ПАО', 'АО'];
// Digits and placeholders are kept out of a quoted name so a second pass cannot find a new, shorter quote.
const QUOTED = '["«“„\'][^"«»“”„\'\\n\\p{Nd}\\[\\]]{1,60}["»”“\']';
const ORGANISATION_SUFFIXES = [
  'LLC', 'L.L.C.', 'Ltd.', 'Ltd', 'Limited', 'Co.', 'Co', 'Company', 'company', 'Corp.', 'Corp', 'Corporation',
  'corporation', 'Inc.', 'Inc', 'Group', 'Holding', 'Holdings', 'JSC', 'OOO', 'GmbH', 'Trading', 'Trust',
  'Construction Trust', 'construction trust', 'Construction Company', 'construction company', 'Enterprise',
  'Association', 'Bureau', 'Factory', 'factory', 'Plant', 'Shipyard', 'Combine', 'University', 'Institute',
  'Hospital', 'Clinic', 'School',
];
const ORGANISATION_PATTERNS = [
  `(?:${alternation(LEGAL_FORMS)})${GAP}(?:${QUOTED}|${CAPITALISED_RUN(4)})`,
  `(?:${QUOTED}|${CAPITALISED_RUN(4)}),?${GAP}(?:${alternation(ORGANISATION_SUFFIXES)})`,
].map((source) => new RegExp(`${NOT_AFTER_WORD}(?:${source})${NOT_BEFORE_WORD}`, 'gu'));

// ---------------------------------------------------------------------------------------------

function collect(text: string, pattern: RegExp, kind: RedactionKind, group?: string): Candidate[] {
  const found: Candidate[] = [];
  for (const match of text.matchAll(pattern)) {
    const [start, end]: [number?, number?] = group ? (match.indices?.groups?.[group] ?? []) : [match.index, match.index + match[0].length];
    if (start !== undefined && end !== undefined && end > start) found.push({ start, end, kind });
  }
  return found;
}

function candidates(text: string): Candidate[] {
  return [
    ...ORGANISATION_PATTERNS.flatMap((p) => collect(text, p, 'organisation')),
    ...collect(text, TRIGGERED_NAME, 'name', 'name'),
    ...collect(text, KOREAN_NAME, 'name'),
    ...collect(text, RUSSIAN_NAME, 'name'),
    ...collect(text, EMAIL, 'name'),
    ...collect(text, NAMED_PLACE, 'place'),
    ...collect(text, SUFFIXED_PLACE, 'place'),
    ...DATE_PATTERNS.flatMap((p) => collect(text, p, 'date')),
    ...NUMBER_PATTERNS.flatMap((p) => collect(text, p, 'number')),
  ];
}

const KIND_RANK: Record<RedactionKind, number> = { organisation: 0, name: 1, place: 2, date: 3, number: 4 };

/** Longest match first, so "Rason Construction Trust" is one organisation rather than a place and two words. */
function chooseSpans(found: Candidate[]): Candidate[] {
  const ordered = [...found].sort((a, b) => b.end - b.start - (a.end - a.start) || KIND_RANK[a.kind] - KIND_RANK[b.kind] || a.start - b.start);
  const chosen: Candidate[] = [];
  for (const candidate of ordered) {
    if (!chosen.some((c) => c.start < candidate.end && candidate.start < c.end)) chosen.push(candidate);
  }
  return chosen.sort((a, b) => a.start - b.start);
}

/** Digits a partly overlapping span left uncovered: no digit may survive a suggestion. */
function leftoverDigits(text: string, chosen: Candidate[]): Candidate[] {
  const covered = new Uint8Array(text.length);
  for (const { start, end } of chosen) covered.fill(1, start, end);
  const leftovers: Candidate[] = [];
  for (const match of text.matchAll(/\p{Nd}+/gu)) {
    let start = -1;
    const end = match.index + match[0].length;
    for (let i = match.index; i <= end; i++) {
      const free = i < end && !covered[i];
      if (free && start < 0) start = i;
      if (!free && start >= 0) {
        leftovers.push({ start, end: i, kind: 'number' });
        start = -1;
      }
    }
  }
  return leftovers;
}

/** Replaces each span of the text by its placeholder; the spans must not overlap. */
export function applyReplacements(text: string, replacements: readonly Pick<Replacement, 'start' | 'end' | 'kind'>[]): string {
  let redacted = '';
  let cursor = 0;
  for (const { start, end, kind } of [...replacements].sort((a, b) => a.start - b.start)) {
    if (start < cursor) throw new RangeError('Replacements overlap');
    redacted += text.slice(cursor, start) + placeholder(kind);
    cursor = end;
  }
  return redacted + text.slice(cursor);
}

function findSpans(text: string, onPlaceholder: (c: Candidate) => boolean): Candidate[] {
  const chosen = chooseSpans(candidates(text).filter((c) => !onPlaceholder(c)));
  return [...chosen, ...leftoverDigits(text, chosen)];
}

/** The text with the spans replaced, and for each of its characters the original offset (-1 inside a placeholder). */
function render(text: string, spans: readonly Candidate[]): { redacted: string; originalOffset: number[] } {
  const originalOffset: number[] = [];
  let redacted = '';
  let cursor = 0;
  for (const { start, end, kind } of spans) {
    for (let i = cursor; i < start; i++) originalOffset.push(i);
    redacted += text.slice(cursor, start) + placeholder(kind);
    for (let i = 0; i < placeholder(kind).length; i++) originalOffset.push(-1);
    cursor = end;
  }
  for (let i = cursor; i < text.length; i++) originalOffset.push(i);
  return { redacted: redacted + text.slice(cursor), originalOffset };
}

/**
 * Suggests what to hide in a quote before publication. It errs towards hiding too much: a reviewer
 * restores what is harmless, while a missed name can cost a worker's family.
 */
export function suggestRedactions(text: string): RedactionSuggestion {
  let spans: Candidate[] = [];
  // A leftmost match can hide a shorter one inside it ("OOO Chol Krai"), and a placeholder can open a new
  // word boundary, so search the redacted text again until nothing new turns up: the result is then stable.
  for (let round = 0; round <= text.length; round++) {
    const { redacted, originalOffset } = render(text, spans);
    const onPlaceholder = (c: Candidate) => originalOffset.slice(c.start, c.end).includes(-1);
    const found = findSpans(redacted, onPlaceholder);
    if (found.length === 0) break;
    const inOriginal = found.map(({ start, end, kind }) => ({ start: originalOffset[start]!, end: originalOffset[end - 1]! + 1, kind }));
    spans = [...spans, ...inOriginal].sort((a, b) => a.start - b.start);
  }
  const replacements = spans.map(({ start, end, kind }) => ({ start, end, kind, original: text.slice(start, end) }));
  return { redacted: applyReplacements(text, replacements), replacements };
}
