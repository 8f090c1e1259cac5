// `npm run cli -- <command>`: thin over lib/, like the pages and the API.
import { once } from 'node:events';
import { createReadStream, createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { closeDb, useDatabase } from '@/db';
import { DatabaseBusy, openDatabase } from '@/db/client';
import { aggregateFor } from '@/lib/aggregates';
import { perturbedNotice } from '@/lib/aggregates/csv';
import { checkFacts } from '@/lib/aggregates/facts';
import { exportCheckpoint, verifyChain, verifyLog } from '@/lib/audit';
import { checkpointFile, parseCheckpointFile, type SignedCheckpoint } from '@/lib/audit/checkpoint';
import { BackupRefused, restoreBackup, writeBackup } from '@/lib/backup';
import { issueToken, MAX_TOKEN_DAYS } from '@/lib/auth/tokens';
import { DEFAULT_BATCH, keyStatus, rotateKeys, sealLegacyPlaintext } from '@/lib/crypto/rotate';
import { env } from '@/lib/env';
import { AppError, zodIssues } from '@/lib/errors';
import { describeError, log, newRequestId, setLogLevel, setLogSink, withRequestId } from '@/lib/log';
import { inTransaction } from '@/lib/scope';
import { ConfigError } from '@/lib/secrets';
import { exportTestimoniesCsv } from '@/lib/testimonies/export';
import { importTestimoniesCsv, ImportRefused } from '@/lib/testimonies/import';
import { findUserByEmail, operatorActingAs, operatorCreateOrg, operatorCreateUser, operatorDisableUser } from '@/lib/users';
import { NotFound } from '@/lib/errors';
import { generateSynthetic } from '@/lib/synthetic';
import { importActor, importSources, readManifest, reportFiles } from '@/lib/sources/import';

const HELP = `Testimony Ledger command line

Usage: npm run cli -- <command> [options]

  org create --slug <slug> --name <name> [--contact <e-mail>]
  user create --org <slug> --email <email> --role <researcher|caseworker|reviewer|admin>
              password read from stdin when piped; otherwise generated and printed once
  user disable --email <email>      disables the account and revokes its tokens at once
  token create --email <email> [--days <n>] [--name <name>]
              prints the token alone on stdout (shown only this once)
  sources import --org <slug> [--as <email>] [--manifest <manifest.json>] [--public] <file or folder>
              captures .txt/.md/.html reports (metadata from the manifest); the same text
              again is reported as a duplicate, not stored twice
  import testimonies --org <slug> --as <email> <file.csv>
              imports a CSV (columns: see the template, GET /api/v1/testimonies/import/template)
              as that user, all or nothing; prints the count, or every bad row and exits 1
  export testimonies --org <slug> --as <email> [--out <file.csv>]
              the organisation's testimonies as CSV, without narrative or notes (audited);
              stdout unless --out
  aggregate --as <email> [--org <slug>] [--measure <m>] [--by <d>]... [--from <P>] [--to <P>]
              the aggregate that user may see (researchers: every organisation; staff: their
              own), as JSON with suppressed cells and the k used; --by once or twice; periods
              are a year or a quarter (2024, 2024Q2); audited like the dashboard
  facts verify [--batch <n>]        recomputes every worker's aggregate facts from the testimonies:
                                    "ok <n> subjects", or how many differ (exit 1)
  facts rebuild [--batch <n>]       rewrites the facts that differ and prints how many; <n> subjects
                                    per transaction (default 2000)
  audit verify [--against <file>]   walks the hash chain and its signed checkpoints: "ok <n> events"
                                    or the first broken row (exit 1); --against a file that
                                    "audit checkpoint" wrote: also that every event up to it is there
  audit checkpoint [--out <file>]   verifies the log, then signs its head now and writes that
                                    checkpoint (with the public key) to <file>, or stdout: keep it
                                    apart from the database
  keys status                       how many values each data key id still protects, per column
  keys rotate [--batch <n>]         re-encrypts every value under DATA_KEY_CURRENT, <n> rows per
                                    transaction (default 500); run it again to resume
  db migrate                        applies pending migrations, then encrypts values of columns
                                    that became encrypted (home province) still stored in clear
  backup <file>                     writes the whole database to <file> (gzip'd JSON lines, one
                                    consistent snapshot; PostgreSQL may keep serving meanwhile).
                                    Encrypted values stay encrypted; the keys and secrets
                                    (DATA_KEYS, AUTH_SECRET, AUDIT_SIGNING_KEY, DATA_DIR/secrets.json)
                                    are NOT in it
  restore <file>                    restores a backup into an empty, freshly migrated database, all
                                    or nothing, checking every table's SHA-256; warns when DATA_KEYS
                                    lacks a key the restored values need
  synth --orgs <n> --workers <n> --seed <n> [--batch <n>]
              synthetic data for benchmarks and tests: organisations synth-1 … synth-<orgs>
              (each with a disabled caseworker and reviewer) and <workers> pseudonymous workers
              in all, each with one approved testimony, consent (a few withdrawn), injuries, ILO
              answers and the aggregate facts; figures drawn from the shared source reports.
              Structured data only: narratives and notes are left empty. The same seed gives the
              same rows; <batch> workers (default 5000) are written per transaction, and a run
              stopped half-way resumes when started again with the same options. Progress on
              stderr.

Every command takes --verbose (-v): JSON log lines at debug level on stderr, for operators;
without it only the plain messages above are printed.

Database: DATABASE_URL (PostgreSQL) when set, else the embedded database in DATA_DIR (./data).
The embedded database can be opened by one process at a time: stop the server first.
`;

class UsageError extends Error {}
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
/** A file given to a command that it cannot use: the message says why. */
class FileRefused extends Error {}

function readCheckpointFile(file: string): SignedCheckpoint {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new FileRefused(`cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  const checkpoint = parseCheckpointFile(text);
  if (!checkpoint) throw new FileRefused(`${file} is not an audit checkpoint written by "audit checkpoint"`);
  return checkpoint;
}

async function readStdin(): Promise<string | undefined> {
  if (process.stdin.isTTY) return undefined;
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  return text.length ? text : undefined;
}

function need(values: Record<string, unknown>, ...names: string[]) {
  for (const n of names) if (typeof values[n] !== 'string' || !values[n]) throw new UsageError(`--${n} is required`);
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      verbose: { type: 'boolean', short: 'v' },
      slug: { type: 'string' },
      name: { type: 'string' },
      contact: { type: 'string' },
      org: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string' },
      days: { type: 'string' },
      batch: { type: 'string' },
      as: { type: 'string' },
      manifest: { type: 'string' },
      public: { type: 'boolean' },
      out: { type: 'string' },
      measure: { type: 'string' },
      by: { type: 'string', multiple: true },
      from: { type: 'string' },
      to: { type: 'string' },
      orgs: { type: 'string' },
      workers: { type: 'string' },
      seed: { type: 'string' },
      against: { type: 'string' },
    },
  });
  const command = ['backup', 'restore'].includes(positionals[0]!) ? positionals[0]! : positionals.slice(0, 2).join(' ');
  if (values.verbose) setLogLevel('debug');
  if (values.help || positionals.length === 0) {
    process.stdout.write(HELP);
    return 0;
  }
  const known = ['sources import', 'org create', 'user create', 'user disable', 'token create', 'audit verify', 'audit checkpoint', 'keys status', 'keys rotate', 'db migrate', 'import testimonies', 'export testimonies', 'aggregate', 'facts verify', 'facts rebuild', 'synth', 'backup', 'restore'];
  if (!known.includes(command)) throw new UsageError(`unknown command "${positionals.join(' ')}"`);

  // synth: two bulk writers and a connection watching them.
  const started = performance.now();
  log.debug('command started', { command });
  const database = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR, poolMax: command === 'synth' ? 4 : 2 });
  useDatabase(database);
  log.debug('database open', { database: database.kind });
  try {
    switch (command) {
      case 'db migrate':
        for (const { column, sealed } of await sealLegacyPlaintext()) console.log(`encrypted ${sealed} value(s) of ${column} stored in clear`);
        console.log(`ok: migrations applied (${database.kind})`);
        return 0;
      case 'org create': {
        need(values, 'slug', 'name');
        const org = await operatorCreateOrg({ slug: values.slug!, name: values.name!, contact: values.contact });
        console.log(`created organisation ${org.slug} (${org.id})`);
        return 0;
      }
      case 'user create': {
        need(values, 'org', 'email', 'role');
        const password = await readStdin();
        const created = await operatorCreateUser(values.org!, { email: values.email!, role: values.role as never, password });
        console.log(`created user ${values.email!.toLowerCase()} (${created.id})`);
        if (created.password) console.log(`password (shown once): ${created.password}`);
        return 0;
      }
      case 'user disable': {
        need(values, 'email');
        await operatorDisableUser(values.email!);
        console.log(`disabled ${values.email!.toLowerCase()}; its sessions and tokens stop at their next request`);
        return 0;
      }
      case 'token create': {
        need(values, 'email');
        const days = z.coerce.number().int().min(1).max(MAX_TOKEN_DAYS).parse(values.days ?? '90');
        const token = await inTransaction(async (tx) => {
          const user = await findUserByEmail(tx, values.email!);
          if (!user || user.disabledAt) throw new NotFound('active user with that e-mail');
          return issueToken(tx, null, user, values.name ?? 'command line', days);
        });
        process.stdout.write(`${token.token}\n`);
        return 0;
      }
      case 'sources import': {
        need(values, 'org');
        const target = positionals[2];
        if (!target) throw new UsageError('give a file or a folder to import');
        const files = reportFiles(target);
        const manifest = values.manifest ? readManifest(values.manifest) : undefined;
        const actor = await importActor(values.org!, values.as);
        const lines = await importSources(actor, files, { manifest, visibility: values.public ? 'public' : 'internal' });
        for (const l of lines) console.log(`${l.duplicate ? 'duplicate' : 'new      '} ${l.id} ${l.language.padEnd(3)} ${l.file}  "${l.title}"`);
        const fresh = lines.filter((l) => !l.duplicate).length;
        console.log(`${lines.length} files: ${fresh} new, ${lines.length - fresh} duplicates`);
        return 0;
      }
      case 'import testimonies': {
        need(values, 'org', 'as');
        const file = positionals[2];
        if (!file) throw new UsageError('give the CSV file: import testimonies --org <slug> --as <email> <file.csv>');
        const actor = await operatorActingAs(values.org!, values.as!);
        try {
          const result = await importTestimoniesCsv(actor, createReadStream(file), {
            maxBytes: Number.POSITIVE_INFINITY,
            onProgress: (p) => process.stderr.write(p.phase === 'receiving' ? `read ${p.rowsDone} rows\n` : `writing ${p.rowsDone}/${p.rowsTotal}\n`),
          });
          console.log(`imported ${result.imported} testimonies (${result.subjectsCreated} new subjects), import ${result.jobId}, sha256 ${result.fileSha256}`);
          return 0;
        } catch (e) {
          if (!(e instanceof ImportRefused)) throw e;
          console.log(e.message);
          for (const i of e.csvIssues) console.log(`line ${i.line}, column ${i.column}: ${i.message}`);
          return 1;
        }
      }
      case 'export testimonies': {
        need(values, 'org', 'as');
        const actor = await operatorActingAs(values.org!, values.as!);
        const out = await exportTestimoniesCsv(actor);
        const target = values.out ? createWriteStream(values.out) : process.stdout;
        for await (const chunk of out.chunks) if (!target.write(chunk)) await once(target, 'drain');
        if (values.out) {
          (target as ReturnType<typeof createWriteStream>).end();
          await once(target, 'finish');
          console.error(`exported ${out.rows} testimonies to ${values.out}`);
        }
        return 0;
      }
      case 'aggregate': {
        need(values, 'as');
        const actor = await operatorActingAs(values.org, values.as!);
        // Only the options given: the query is strict, like the API's.
        const query = Object.fromEntries(Object.entries({ measure: values.measure, by: values.by, from: values.from, to: values.to }).filter(([, v]) => v !== undefined));
        const result = await aggregateFor(actor, query);
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        // The JSON says "perturbed": true; a person at a terminal is told what that means, in both languages.
        if (result.perturbed && result.perturbation) process.stderr.write(`${perturbedNotice(result.perturbation.maxDeviation)}\n`);
        return 0;
      }
      case 'facts verify':
      case 'facts rebuild': {
        const rebuild = command === 'facts rebuild';
        const batch = z.coerce.number().int().min(1).max(100_000).parse(values.batch ?? '2000');
        const result = await checkFacts({
          rebuild,
          batch,
          onBatch: process.stderr.isTTY ? ({ subjects, differing }) => process.stderr.write(`checked ${subjects} subjects, ${differing.length} differing\n`) : undefined,
        });
        if (rebuild) {
          console.log(`fixed ${result.differing.length} subjects (${result.subjects} checked)`);
          return 0;
        }
        if (result.differing.length === 0) {
          console.log(`ok ${result.subjects} subjects`);
          return 0;
        }
        console.log(`${result.differing.length} of ${result.subjects} subjects differ from their testimonies; run "facts rebuild"`);
        for (const id of result.differing.slice(0, 20)) console.log(`differs: subject ${id}`);
        return 1;
      }
      case 'synth': {
        need(values, 'orgs', 'workers', 'seed');
        const rate = (n: number, s: number) => Math.round(n / Math.max(s, 0.001)).toLocaleString('en');
        const result = await generateSynthetic({ orgs: values.orgs!, workers: values.workers!, seed: values.seed!, ...(values.batch ? { batch: values.batch } : {}) }, (p) =>
          process.stderr.write(`${p.org}: ${p.done.toLocaleString('en')}/${p.total.toLocaleString('en')} workers, ${p.written.toLocaleString('en')} written, ${p.seconds.toFixed(1)} s (${rate(p.written, p.seconds)}/s)\n`),
        );
        const r = result.rows;
        console.log(
          `synthetic data: ${result.written.toLocaleString('en')} workers written, ${result.present.toLocaleString('en')} already present, in ${result.seconds.toFixed(1)} s ` +
            `(${r.testimonies.toLocaleString('en')} testimonies, ${r.injuries.toLocaleString('en')} injuries, ${r.indicators.toLocaleString('en')} indicator answers, ${r.facts.toLocaleString('en')} facts)`,
        );
        for (const o of result.orgs) console.log(`  ${o.slug} (${o.id}): ${o.workers.toLocaleString('en')} workers, ${o.written.toLocaleString('en')} written now`);
        return 0;
      }
      case 'audit verify': {
        const against = values.against ? readCheckpointFile(values.against) : undefined;
        const result = await verifyLog(database.db, { against });
        if (!result.ok) {
          console.log(`broken at event ${result.brokenId}: ${result.reason} (${result.count} events verified before it)`);
          return 1;
        }
        const latest = result.latest;
        console.log(
          `ok ${result.count} events` +
            (latest ? `; ${plural(latest.id, 'signed checkpoint')}, the latest at event ${latest.lastEventId} (${latest.at.toISOString()}); ${plural(result.unsigned, 'event')} after it` : ''),
        );
        if (against) console.log(`the log holds every event up to the checkpoint in ${values.against} (event ${against.lastEventId}, ${against.at.toISOString()})`);
        return 0;
      }
      case 'audit checkpoint': {
        const result = await exportCheckpoint(database.db);
        if (!result.ok) {
          console.log(`not signed: the log is broken at event ${result.brokenId}: ${result.reason}`);
          return 1;
        }
        const c = result.checkpoint;
        if (!values.out) {
          process.stdout.write(checkpointFile(c));
          return 0;
        }
        writeFileSync(values.out, checkpointFile(c));
        console.log(`wrote ${values.out}: checkpoint at event ${c.lastEventId} (${c.eventCount} events, ${c.at.toISOString()}), signed by public key ${c.publicKey}`);
        console.log(`Keep it apart from the database: "audit verify --against ${values.out}" proves the log still holds every event up to it.`);
        return 0;
      }
      case 'backup': {
        const file = positionals[1];
        if (!file || positionals.length > 2) throw new UsageError('give the file to write: backup <file>');
        const { bytes, header } = await writeBackup(database.db, database.kind, file);
        const rows = header.tables.reduce((n, t) => n + t.rows, 0);
        console.log(`wrote ${file}: ${rows} rows in ${header.tables.length} tables, ${bytes} bytes (${database.kind}, ${header.schema.migrations} migrations)`);
        const keys = Object.entries(header.keyIds);
        console.log(`encrypted values: ${keys.length ? keys.map(([k, n]) => `${n} under key ${k}`).join(', ') : 'none'}`);
        const needed = keys.map(([k]) => k).join(', ');
        console.log(
          'NOT in the backup: DATA_KEYS, AUTH_SECRET, AUDIT_SIGNING_KEY and DATA_DIR/secrets.json. ' +
            (keys.length ? `Keep data key${keys.length > 1 ? 's' : ''} ${needed} apart from this file: without ${keys.length > 1 ? 'them' : 'it'} the restored values cannot be read.` : 'Keep them apart from this file.'),
        );
        return 0;
      }
      case 'restore': {
        const file = positionals[1];
        if (!file || positionals.length > 2) throw new UsageError('give the backup file: restore <file>');
        const result = await restoreBackup(database.db, file, { onTable: ({ table, rows }) => process.stderr.write(`checked ${table}: ${rows} rows\n`) });
        console.log(`restored ${result.rows} rows in ${result.header.tables.length} tables from the backup of ${result.header.createdAt} (${result.header.database}); every table matched its SHA-256`);
        const chain = await verifyChain(database.db);
        console.log(chain.ok ? `audit chain: ok ${chain.count} events` : `audit chain: broken at event ${chain.brokenId}: ${chain.reason}`);
        for (const k of result.missingKeys) {
          console.log(
            `warning: data restored intact, but ${result.keyIds[k]} encrypted values (narratives, notes, quotes, second-factor secrets) are unreadable until data key "${k}" is in DATA_KEYS (embedded: DATA_DIR/secrets.json)`,
          );
        }
        return chain.ok ? 0 : 1;
      }
      case 'keys status': {
        const status = await keyStatus();
        console.log(`current key: ${status.current}`);
        const totals = new Map<string, number>(status.configured.map((k) => [k, 0]));
        for (const { column, byKey } of status.columns) {
          const counts = Object.entries(byKey);
          for (const [k, n] of counts) totals.set(k, (totals.get(k) ?? 0) + n);
          console.log(`${column}: ${counts.length ? counts.map(([k, n]) => `${k} ${n}`).join(', ') : 'no values'}`);
        }
        for (const [k, n] of totals) {
          const note = !status.configured.includes(k) ? ' (not in DATA_KEYS: these values cannot be read)' : k !== status.current && n === 0 ? ' (protects nothing: may leave DATA_KEYS)' : '';
          console.log(`key ${k}: ${n} values${note}`);
        }
        return 0;
      }
      case 'keys rotate': {
        const batchSize = z.coerce.number().int().min(1).max(100_000).parse(values.batch ?? String(DEFAULT_BATCH));
        const result = await rotateKeys({
          batchSize,
          onBatch: ({ column, rows, total }) => console.log(`${column}: ${rows} re-encrypted (${total} so far)`),
        });
        for (const { column, rotated } of result.columns) console.log(`${column}: ${rotated} values now under ${result.current}`);
        console.log(`done: every value is under ${result.current}; run "keys status" before removing an old key from DATA_KEYS`);
        return 0;
      }
    }
    return 0;
  } finally {
    log.debug('command finished', { command, ms: Math.round(performance.now() - started) });
    await closeDb();
  }
}

const isParseArgsError = (e: unknown) => e instanceof TypeError && !!(e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');

// The command line's own log lines go to stderr (stdout carries tokens and exports), and only with --verbose.
setLogSink((line) => void process.stderr.write(line));
setLogLevel('silent');

withRequestId(newRequestId(), () => run(process.argv.slice(2))).then(
  (code) => process.exit(code),
  (e: unknown) => {
    log.error('command failed', { err: describeError(e) });
    if (e instanceof z.ZodError) console.error(`error: ${zodIssues(e).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
    else if (e instanceof UsageError) console.error(`error: ${e.message}\n\n${HELP}`);
    else if (e instanceof AppError || e instanceof DatabaseBusy || e instanceof ConfigError || e instanceof BackupRefused || e instanceof FileRefused) console.error(`error: ${e.message}`);
    else if (isParseArgsError(e)) console.error(`error: ${(e as Error).message}\n\n${HELP}`);
    else {
      // Only what lib/log.ts would log: a database error's message can hold row values.
      const d = describeError(e);
      const where = [d.code, d.constraint].filter(Boolean).join(', ');
      console.error(`error: ${String(d.name)}${d.message ? `: ${String(d.message)}` : ''}${where ? ` (${where})` : ''}`);
    }
    // A usage mistake (unknown command or option, missing option) exits 2, like other command-line tools.
    process.exit(e instanceof UsageError || isParseArgsError(e) ? 2 : 1);
  },
);
