// The Admiralty (NATO) system: source reliability A–F, information credibility 1–6.
export const RELIABILITY = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export const CREDIBILITY = ['1', '2', '3', '4', '5', '6'] as const;
export type Reliability = (typeof RELIABILITY)[number];
export type Credibility = (typeof CREDIBILITY)[number];

/** E/F (unreliable, cannot be judged) or 5/6 (improbable, cannot be judged): shown as unreliable beside every claim. */
export function isUnreliable(reliability: Reliability, credibility: Credibility): boolean {
  return reliability === 'E' || reliability === 'F' || credibility === '5' || credibility === '6';
}
