// Planned areas (later issues add one file each): testimonies (+ consent, injuries, indicators,
// quotes, source links), sources (+ claims, questions), summaries (+ versions, snapshots),
// instance settings. Every table that belongs to an organisation carries org_id.
export * from './organisations';
export * from './users';
export * from './tokens';
export * from './audit';
export * from './testimonies';
export * from './sources';
export * from './imports';
export * from './aggregates';
export * from './summaries';
export * from './rate-limits';
