// Child process of test/publication-kill.int.test.ts: approves (publishes) one summary as one user,
// on DATABASE_URL, saying on stderr when it starts and when it is done.
import { useDatabase } from '@/db';
import { openDatabase } from '@/db/client';
import { approveSummary } from '@/lib/summaries';
import { actorOf } from '../fixtures';

const [userId, summaryId] = process.argv.slice(2);
const database = await openDatabase({ url: process.env.DATABASE_URL!, migrate: false });
useDatabase(database);
const actor = await actorOf(userId!);
process.stderr.write('approving\n');
await approveSummary(actor, summaryId!);
process.stderr.write('published\n');
await database.close();
