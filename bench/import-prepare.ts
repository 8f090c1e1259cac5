// Run by bench/import.ts as a child process: writes the synthetic CSV and creates (migrates) the
// embedded database's folder, so the benchmark's own process starts like a server restarted on it.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

const [file, rows, pgliteDir] = process.argv.slice(2);
const { syntheticCsv } = await import('@/lib/testimonies/synthetic');
const { openDatabase } = await import('@/db/client');

const out = createWriteStream(file!);
for (const chunk of syntheticCsv(Number(rows))) if (!out.write(chunk)) await once(out, 'drain');
out.end();
await once(out, 'finish');
if (pgliteDir !== '-') await (await openDatabase({ dataDir: pgliteDir! })).close();
