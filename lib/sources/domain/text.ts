import { createHash } from 'node:crypto';

/**
 * The form a captured text is stored and hashed in: Unicode NFC, LF line endings, no trailing
 * spaces on lines, no surrounding blank space. Two captures of the same report from different
 * systems (Windows line endings, decomposed Korean or Polish letters) come out the same.
 */
export function normaliseText(raw: string): string {
  return raw
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u00a0]+$/gm, '')
    .trim();
}

/** SHA-256 (hex) of the normalised text: the identity of a captured report within an organisation. */
export function textHash(raw: string): string {
  return createHash('sha256').update(normaliseText(raw), 'utf8').digest('hex');
}
