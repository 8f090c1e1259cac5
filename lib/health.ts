import 'server-only';
import { sql } from 'drizzle-orm';
import { db } from '@/db';
import { Unavailable } from './errors';

/** A round trip to the database; 503 in the error shape when it is away. */
export async function ping() {
  try {
    await (await db()).execute(sql`select 1`);
  } catch {
    throw new Unavailable('The database is not reachable.');
  }
}
