// The attacks' world: synthetic workers (lib/synthetic, deterministic keys and all) in a fresh
// database, a researcher to ask, and the truth the attacker is after, read from the facts exactly.
import type { Actor } from '@/lib/access';
import { aggregateFor, type AggregateAnswer, type OutCell } from '@/lib/aggregates';
import { AggregateQuery, MEASURES, quarterIndex, type AggregateQueryInput, type DimensionId } from '@/lib/aggregates/definitions';
import { groupFacts } from '@/lib/aggregates/query';
import { generateSynthetic } from '@/lib/synthetic';
import { orgWithActors } from '../actors';
import { freshDatabase, type TestDatabase } from '../db';

/** Small enough to build in a few seconds on PGlite, large enough for dozens of targets. */
export const WORLD = { orgs: 2, workers: 6000, seed: 15, batch: 3000 } as const;

export interface World {
  database: TestDatabase;
  researcher: Actor;
}

export async function buildWorld(): Promise<World> {
  const started = performance.now();
  const database = await freshDatabase();
  const opened = performance.now();
  await generateSynthetic(WORLD);
  const readers = await orgWithActors('attackers');
  console.log(`world: database ${((opened - started) / 1000).toFixed(1)} s, ${WORLD.workers} synthetic workers ${((performance.now() - opened) / 1000).toFixed(1)} s`);
  return { database, researcher: readers.researcher };
}

export const keyOf = (by: Record<string, string>) => JSON.stringify(Object.entries(by).sort());

/** Every cell and margin of an answer by its breakdown values: a count, or null when not shown. */
export function shownCounts(answer: AggregateAnswer): Map<string, number | null> {
  return new Map([...answer.cells, ...answer.margins].map((c: OutCell) => [keyOf(c.by), 'count' in c ? c.count : null]));
}

/** What the attacker cannot see: the true counts of a question, cells and margins, keyed like shownCounts. */
export async function trueCounts(world: World, q: AggregateQueryInput): Promise<Map<string, number>> {
  const v = AggregateQuery.parse(q);
  const by = v.by as DimensionId[];
  const groups = await groupFacts(
    world.database.db,
    { audience: 'research', orgId: null, fromQuarter: v.from ? quarterIndex(v.from, false) : undefined, toQuarter: v.to ? quarterIndex(v.to, true) : undefined },
    MEASURES.get(v.measure)!,
    by,
  );
  return new Map(groups.map((g) => [keyOf(Object.fromEntries(by.flatMap((d, i) => (g.keys[i] === null ? [] : [[d, g.keys[i]!]])))), g.count]));
}

export const ask = (world: World, q: AggregateQueryInput) => aggregateFor(world.researcher, q);
