import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { en } from '../../i18n/en';

// Crockford's base32: no I, L, O or U, so a code read aloud or copied by hand survives.
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const SUBJECT_CODE_LENGTH = 6;
const PREFIX = 'W-';
const PATTERN = new RegExp(`^${PREFIX}[${CROCKFORD_ALPHABET}]{${SUBJECT_CODE_LENGTH}}$`);

export type RandomBytes = (size: number) => Uint8Array;

/** A new subject code, e.g. W-7K3F9Q: about a billion codes, so collisions are rare but still checked on insert. */
export function newSubjectCode(random: RandomBytes = randomBytes): string {
  const bytes = random(SUBJECT_CODE_LENGTH);
  if (bytes.length < SUBJECT_CODE_LENGTH) throw new RangeError('Not enough random bytes');
  let body = '';
  // 256 is a multiple of 32, so taking the low five bits keeps every symbol equally likely.
  for (const byte of bytes.subarray(0, SUBJECT_CODE_LENGTH)) body += CROCKFORD_ALPHABET[byte & 31];
  return PREFIX + body;
}

/** Upper case, trimmed, with the letters people mistake for digits read as those digits. */
export function normaliseSubjectCode(input: string): string {
  const upper = input.trim().toUpperCase();
  const prefix = upper.slice(0, PREFIX.length);
  const body = upper.slice(PREFIX.length).replace(/[IL]/g, '1').replace(/O/g, '0');
  return prefix + body;
}

export function isSubjectCode(code: string): boolean {
  return PATTERN.test(code);
}

export const SubjectCode = z
  .string()
  .transform(normaliseSubjectCode)
  .pipe(z.string().regex(PATTERN, en.problems.subjectCodeFormat)); // worded again in Korean by its key
export type SubjectCode = z.output<typeof SubjectCode>;
