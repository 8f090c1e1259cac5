import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database } from './client';

// Tests only (test/db.ts opens its databases with `guardConnections`): a query on the pool, or a second transaction, started while the
// same async context holds an open transaction needs a second connection while holding one. N requests
// doing that at once deadlock a pool of N (issue 16: ten imports, DATABASE_POOL_MAX=10); PGlite, which
// has one connection, hangs at the first. Inside a transaction, use it.

export class SecondConnectionInTransaction extends Error {
  override name = 'SecondConnectionInTransaction';
  constructor(what: string) {
    super(`${what} on the pool while this async context holds an open transaction: it waits for a second connection while holding one (use the transaction)`);
  }
}

const inTransaction = new AsyncLocalStorage<true>();
/** Every violation seen in this process, in case the code under test swallowed the error (test/setup-int.ts checks it). */
export const connectionViolations: SecondConnectionInTransaction[] = [];

const violation = (what: string) => {
  const e = new SecondConnectionInTransaction(what);
  connectionViolations.push(e);
  return e;
};

type Fn = (...args: unknown[]) => unknown;

/** A transaction's work runs in the marked context; a transaction started inside one is refused. */
function guardedBegin(begin: Fn): Fn {
  return function (this: unknown, ...args: unknown[]) {
    if (inTransaction.getStore()) return Promise.reject(violation('a second transaction'));
    const last = args.length - 1;
    const work = args[last] as Fn;
    args[last] = (...inner: unknown[]) => inTransaction.run(true, () => work(...inner));
    return begin.apply(this, args);
  };
}

function guardedQuery(name: string, query: Fn): Fn {
  return function (this: unknown, ...args: unknown[]) {
    if (inTransaction.getStore()) throw violation(`a query (${name})`);
    return query.apply(this, args);
  };
}

/**
 * postgres.js: the pool itself (a tagged-template function) behind a proxy, so calls as `` sql`…` ``,
 * `sql.unsafe`, `sql.reserve` and `sql.begin` are all seen. A transaction's own client is another
 * object, left alone.
 */
export function guardPostgres<T extends object>(pool: T): T {
  const call = guardedQuery('sql``', (...args) => Reflect.apply(pool as Fn, pool, args));
  return new Proxy(pool, {
    apply: (_target, _this, args) => call(...args),
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (key === 'begin') return guardedBegin((value as Fn).bind(target));
      if (key === 'unsafe' || key === 'reserve' || key === 'file') return guardedQuery(key, (value as Fn).bind(target));
      return value;
    },
  });
}

/** PGlite: its one connection; the transaction's client is another object, left alone. */
export function guardPglite<T extends object>(client: T): T {
  const methods = client as unknown as Record<string, Fn>;
  for (const name of ['query', 'exec', 'sql']) if (methods[name]) methods[name] = guardedQuery(name, methods[name].bind(client));
  methods.transaction = guardedBegin(methods.transaction!.bind(client));
  return client;
}
