import { index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisation } from './organisations';
import { appUser } from './users';

// Progress of a CSV import lives here, not in process memory, so any instance can show it.
export const importStatus = pgEnum('import_status', ['receiving', 'writing', 'done', 'refused', 'failed']);

export interface ImportIssue {
  line: number;
  column: string;
  message: string;
}

export const importJob = pgTable(
  'import_job',
  {
    // Chosen by the uploading page (it polls the id while the file is sent): a name within the
    // organisation, so another organisation's id is free here and says nothing about theirs.
    id: uuid().notNull().defaultRandom(),
    orgId: uuid().notNull().references(() => organisation.id),
    kind: text().notNull().default('testimonies'),
    status: importStatus().notNull().default('receiving'),
    rowsTotal: integer(), // known once the whole file is read
    rowsDone: integer().notNull().default(0), // rows read (receiving) or written (writing)
    imported: integer(),
    subjectsCreated: integer(),
    fileSha256: text(),
    message: text(),
    // The message's key and values in the problems catalogue, to word it in the reader's language.
    messageWording: jsonb().$type<{ key: string; vars?: Record<string, string | number> }>(),
    // line, column and message of bad rows; never cell values (they may be narrative text)
    issues: jsonb().$type<ImportIssue[]>(),
    createdBy: uuid().notNull().references(() => appUser.id),
    // host/pid/start of the process running it (lib/testimonies/import-progress.ts): start-up fails the jobs of dead ones
    runner: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(), // the running job's heartbeat
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] }), index('import_job_org_idx').on(t.orgId, t.createdAt)],
);

export type ImportJob = typeof importJob.$inferSelect;
