import { createEnv } from '@t3-oss/env-nextjs';
import { z } from 'zod';

// Every setting the server reads, validated once. README's configuration table mirrors this.
export const env = createEnv({
  server: {
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    DATA_DIR: z.string().min(1).default('./data'),
    AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    AUTH_URL: z.url().optional(),
    DATA_KEYS: z.string().optional(),
    DATA_KEY_CURRENT: z.string().optional(),
    // Ed25519 key (32 random bytes, base64) that signs the audit log's checkpoints (lib/audit/checkpoint.ts).
    AUDIT_SIGNING_KEY: z.string().optional(),
    // Public keys (base64, comma-separated) of earlier signing keys whose checkpoints `audit verify` still accepts.
    AUDIT_TRUSTED_PUBLIC_KEYS: z.string().optional(),
    // A checkpoint is written with the event that makes this many events, or this many minutes, since the last.
    AUDIT_CHECKPOINT_EVENTS: z.coerce.number().int().min(1).max(1_000_000).default(100),
    AUDIT_CHECKPOINT_MINUTES: z.coerce.number().int().min(1).max(10_080).default(10),
    SEED_DEMO: z.enum(['auto', 'yes', 'no']).default('auto'),
    // How many proxies in front of the app append to X-Forwarded-For (lib/http/client-address.ts).
    TRUST_PROXY: z.coerce.number().int().min(0).max(5).default(0),
    // Structured JSON logs (lib/log.ts) at this level and above.
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    // Multiplies every request limit of lib/http/rate-limit.ts (e.g. 10 for a test or load run).
    RATE_LIMIT_SCALE: z.coerce.number().positive().max(10_000).default(1),
    // Largest CSV import accepted over HTTP, in bytes (default 50 MB); the command line has no limit.
    IMPORT_MAX_BYTES: z.coerce.number().int().min(1024).optional(),
    // CSV imports running at once in this instance (on PostgreSQL never more than half of DATABASE_POOL_MAX); more get 503 with Retry-After.
    IMPORT_MAX_PER_INSTANCE: z.coerce.number().int().min(1).max(50).default(3),
    // CSV imports running at once per organisation, across all instances (counted in PostgreSQL); more get 429 with Retry-After.
    IMPORT_MAX_PER_ORG: z.coerce.number().int().min(1).max(50).default(2),
    // Minimum cell sizes; the floor of 3 is checked at start-up (lib/disclosure/k.ts) with a message naming the variable.
    MIN_CELL_PUBLIC: z.coerce.number().int().default(10),
    MIN_CELL_RESEARCHER: z.coerce.number().int().default(5),
    // The whole-record audit's protection interval P (lib/disclosure/k.ts); unset: the public k, never below 2.
    PROTECTION_INTERVAL: z.coerce.number().int().optional(),
    // The cell-key method for researchers (lib/disclosure/cell-key.ts): maximum deviation D and variance V
    // of the noise; checked at start-up (lib/disclosure/k.ts). Defaults: DEFAULT_PERTURBATION.
    CELL_KEY_MAX_DEVIATION: z.coerce.number().optional(),
    CELL_KEY_VARIANCE: z.coerce.number().optional(),
    // Distinct tables a researcher may ask per rolling window (lib/aggregates/budget.ts); repeats are free.
    AGGREGATE_TABLE_BUDGET: z.coerce.number().int().min(1).max(1_000_000).default(24),
    AGGREGATE_BUDGET_WINDOW_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  },
  client: {},
  experimental__runtimeEnv: {},
  emptyStringAsUndefined: true,
});

export const embedded = () => !env.DATABASE_URL;
export const secureCookies = () => env.AUTH_URL?.startsWith('https://') ?? false;
