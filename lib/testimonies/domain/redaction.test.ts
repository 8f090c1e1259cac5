import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyReplacements, suggestRedactions, type Replacement } from './redaction';

const redact = (text: string) => suggestRedactions(text).redacted;
const kinds = (text: string) => suggestRedactions(text).replacements.map((r) => [r.kind, r.original]);

describe('suggestRedactions: names', () => {
  it.each([
    ['A worker named Tae ran at night.', 'A worker named [name] ran at night.'],
    ['The man they called Boss Chon hit him.', 'The man they called [name] hit him.'],
    ['Comrade Pak told us to stand.', 'Comrade [name] told us to stand.'],
    ['Mr. Lee kept the passports.', 'Mr. [name] kept the passports.'],
    ['Our brigade leader Ri Myong-chol counted us.', 'Our brigade leader [name] counted us.'],
    ['The foreman Sergei Ivanov shouted.', 'The foreman [name] shouted.'],
  ])('%s', (text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it.each(['Kim Chol', 'Kim Jong Un', 'Kim Seung-chul', 'Kang Dong-wan', 'Pak Song-il', 'Choe Hyon', 'Jang Su', 'Hwang Min', 'Oh Yong'])(
    'recognises the Korean name %s',
    (name) => {
      expect(redact(`Then ${name} left.`)).toBe('Then [name] left.');
    },
  );

  it('keeps a Korean surname without a given name, and ordinary capitalised words', () => {
    expect(redact('Kim said nothing. An Hour later, So I went.')).toBe('Kim said nothing. An Hour later, So I went.');
  });

  it('hides e-mail addresses as names', () => {
    expect(redact('Write to kim.chol@mail.ru today.')).toBe('Write to [name] today.');
  });
});

describe('suggestRedactions: places', () => {
  it.each([
    ['We worked in Primorsky Krai near Nakhodka.', 'We worked in [place] near [place].'],
    ['He was sent to Amur Oblast, then to Tatarstan.', 'He was sent to [place], then to [place].'],
    ['From Chongjin in North Hamgyong Province.', 'From [place] in [place].'],
    ['They flew from Pyongyang to Vladivostok via Khabarovsk.', 'They flew from [place] to [place] via [place].'],
    ['A site in St. Petersburg and one in Yekaterinburg.', 'A site in [place] and one in [place].'],
    ['Rebuilding in the Kursk Region.', 'Rebuilding in the [place].'],
    ['Work in Donetsk was mentioned.', 'Work in [place] was mentioned.'],
  ])('%s', (text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it('treats Russian short names of federal subjects as places', () => {
    expect(kinds('Sverdlovsk and Kemerovo and Sakha')).toEqual([
      ['place', 'Sverdlovsk'],
      ['place', 'Kemerovo'],
      ['place', 'Sakha'],
    ]);
  });
});

describe('suggestRedactions: dates and numbers', () => {
  it.each([
    ['He left on 12 March 2023.', 'He left on [date].'],
    ['He left on March 12th, 2023.', 'He left on [date].'],
    ['In May 2022 we moved; may I add more?', 'In [date] we moved; may I add more?'],
    ['It was cold in February.', 'It was cold in [date].'],
    ['Arrived 2024-03-12, left 05.06.2024.', 'Arrived [date], left [date].'],
    ['From 2019–2024 he stayed.', 'From [date] he stayed.'],
    ['In 2019 the ban began.', 'In [date] the ban began.'],
  ])('%s', (text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it.each([
    ['We were 40 men; 13 221 came that year.', 'We were [number] men; [number] came that year.'],
    ['They took 1,000.50 dollars and left $150.', 'They took [number] dollars and left $[number].'],
    ['A fall from the 4th floor, 4.5 metres.', 'A fall from the [number] floor, [number] metres.'],
    ['Shift from 06:00 to 02:00.', 'Shift from [number] to [number].'],
    ['Call +7 914 123-45-67 now.', 'Call [number] now.'],
    ['Room B12, bed 3.', 'Room B[number], bed [number].'],
  ])('%s', (text, expected) => {
    expect(redact(text)).toBe(expected);
  });
});

describe('suggestRedactions: organisations', () => {
  it.each([
    ['He worked for OOO "Vostok-Stroy" for a year.', 'He worked for [organisation] for a year.'],
    ['He worked for ООО «Восток» for a year.', 'He worked for [organisation] for a year.'],
    ['The contractor was Dalstroy Invest LLC.', 'The contractor was [organisation].'],
    ['We were sent by the Rason Construction Trust.', 'We were sent by the [organisation].'],
    ['Paid by Korea Rungrado General Trading Corporation.', 'Paid by [organisation].'],
    ['Hired through Amur Build Co. last spring.', 'Hired through [organisation] last spring.'],
    ['He was at the Mokran construction trust.', 'He was at the [organisation].'],
  ])('%s', (text, expected) => {
    expect(redact(text)).toBe(expected);
  });
});

describe('suggestRedactions: replacements', () => {
  it('lists each replacement with its kind, offsets and original text', () => {
    const text = 'Comrade Kim Chol took 700 in Kazan on 1 May 2024.';
    const { replacements } = suggestRedactions(text);
    expect(replacements).toEqual([
      { start: 8, end: 16, kind: 'name', original: 'Kim Chol' },
      { start: 22, end: 25, kind: 'number', original: '700' },
      { start: 29, end: 34, kind: 'place', original: 'Kazan' },
      { start: 38, end: 48, kind: 'date', original: '1 May 2024' },
    ]);
  });

  it('leaves text without anything identifying alone', () => {
    expect(suggestRedactions('We slept in containers and worked in the dark.')).toEqual({
      redacted: 'We slept in containers and worked in the dark.',
      replacements: [],
    });
  });

  it('also redacts a match that a longer, overlapping one hid', () => {
    expect(redact('Seung-chul, OOO Chol Krai')).toBe('[organisation] [place]');
    expect(redact('4.5Kim Chol')).toBe('[number][name]');
  });

  it('applyReplacements refuses overlapping spans', () => {
    expect(() =>
      applyReplacements('abcdef', [
        { start: 0, end: 3, kind: 'name' },
        { start: 2, end: 4, kind: 'place' },
      ]),
    ).toThrow(RangeError);
  });
});

// Texts built from the words redaction reacts to, so the properties meet the hard cases often.
const TOKENS = [
  'Kim', 'Chol', 'Jong', 'Un', 'Seung-chul', 'Pak', 'named', 'called', 'Mr', 'Mr.', 'Comrade', 'brigade leader',
  'foreman', 'Sergei', 'Ivanov', 'March', 'May', 'of', '12', '12th', '2024', '1999', '1,000', '13 221', '4.5', '06:00',
  '+7', '914', '-', '–', '/', '.', ',', ':', '"', '«', '»', "'", 'Vladivostok', 'Amur', 'Oblast', 'Krai', 'Region',
  'district', 'Pyongyang', 'North', 'Hamgyong', 'Province', 'LLC', 'OOO', 'Co.', 'Construction', 'Trust', 'company',
  'The', 'In', 'worked', 'in', 'we', 'Stroy', 'Vostok', '[name]', '[place]', '[date]', '[number]', '[organisation]',
  'kim@mail.ru', '@', '٣', '５', '\n', 'B12', 'Han', 'River',
];
const tokenText = fc
  .array(fc.tuple(fc.constantFrom(...TOKENS), fc.constantFrom(' ', '', ', ', '. ')), { maxLength: 30 })
  .map((parts) => parts.map(([token, gap]) => token + gap).join(''));
const anyText = fc.oneof(tokenText, fc.string({ maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 100 }), fc.string({ unit: 'binary', maxLength: 100 }));

// Written here independently of applyReplacements, so a fault there cannot hide itself.
function applyFromTheEnd(text: string, replacements: Replacement[]): string {
  let result = text;
  for (const r of [...replacements].sort((a, b) => b.start - a.start)) result = `${result.slice(0, r.start)}[${r.kind}]${result.slice(r.end)}`;
  return result;
}

describe('suggestRedactions: properties', () => {
  it('never leaves a digit in the output', () => {
    fc.assert(fc.property(anyText, (text) => !/\p{Nd}/u.test(redact(text))), { numRuns: 500 });
  });

  it('points each replacement at its original text, in order and without overlap', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const { replacements } = suggestRedactions(text);
        let cursor = 0;
        for (const r of replacements) {
          expect(r.start).toBeGreaterThanOrEqual(cursor);
          expect(r.end).toBeGreaterThan(r.start);
          expect(text.slice(r.start, r.end)).toBe(r.original);
          cursor = r.end;
        }
      }),
      { numRuns: 500 },
    );
  });

  it('gives the redacted text when the replacements are applied to the original', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const { redacted, replacements } = suggestRedactions(text);
        expect(applyFromTheEnd(text, replacements)).toBe(redacted);
      }),
      { numRuns: 500 },
    );
  });

  it('finds nothing more in a text it has already redacted', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const once = redact(text);
        expect(suggestRedactions(once)).toEqual({ redacted: once, replacements: [] });
      }),
      { numRuns: 1000 },
    );
  });
});
