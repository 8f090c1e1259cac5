import { BadInput, problem } from '../errors';

/**
 * Checks that an excerpt stands in the captured text at the given offsets (UTF-16 code units, as a
 * browser selection gives them). When the offsets are off but the exact excerpt occurs once, its
 * real position is used; otherwise the claim is refused.
 */
export function locateExcerpt(text: string, excerpt: string, start?: number, end?: number): { start: number; end: number; excerpt: string } {
  const wanted = excerpt.normalize('NFC').replace(/\r\n?/g, '\n');
  if (wanted.trim() === '') throw new BadInput(problem('excerptEmpty'), [{ path: 'excerpt', message: 'empty' }]);
  if (start !== undefined && end !== undefined && end > start && text.slice(start, end) === wanted) return { start, end, excerpt: wanted };
  const at = text.indexOf(wanted);
  if (at === -1) {
    throw new BadInput(problem('excerptMissing'), [
      { path: 'excerpt', message: 'not found in the captured text' },
    ]);
  }
  if (start === undefined && text.indexOf(wanted, at + 1) !== -1) {
    throw new BadInput(problem('excerptAmbiguous'), [
      { path: 'excerpt', message: 'ambiguous without offsets' },
    ]);
  }
  if (start !== undefined && text.indexOf(wanted, at + 1) !== -1) {
    const near = indexNearest(text, wanted, start);
    return { start: near, end: near + wanted.length, excerpt: wanted };
  }
  return { start: at, end: at + wanted.length, excerpt: wanted };
}

function indexNearest(text: string, wanted: string, around: number) {
  let best = -1;
  for (let i = text.indexOf(wanted); i !== -1; i = text.indexOf(wanted, i + 1)) {
    if (best === -1 || Math.abs(i - around) < Math.abs(best - around)) best = i;
  }
  return best;
}
