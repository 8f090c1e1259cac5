// Runs once when a server process starts: configuration, secrets, migrations, first-start demo.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { boot } = await import('./lib/boot');
  await boot();
}

// Errors Next catches while rendering a page or running a server action: one JSON line with the
// request's id (lib/log.ts keeps only the error's name, message and stack frames).
export async function onRequestError(err: unknown, request: { path: string; method: string; headers: Record<string, string | string[] | undefined> }, context: { routeType: string }) {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { describeError, log } = await import('./lib/log');
  const id = request.headers['x-request-id'];
  const where = { requestId: typeof id === 'string' ? id : undefined, method: request.method, path: request.path.split('?')[0], routeType: context.routeType };
  // Next refuses a server action whose Origin is not this site (CSRF) by throwing this: an attack
  // turned away, worth a warning, not a bug's error with a stack trace.
  if (context.routeType === 'action' && err instanceof Error && err.message === 'Invalid Server Actions request.') {
    log.warn('server action refused: its Origin is not this site', where);
    return;
  }
  log.error('unexpected error', { err: describeError(err), ...where });
}
