export {};
// `npm run bench -- <name>`: benchmarks that print their figures and a ratio against a baseline
// measured in the same run (never a number written down beforehand).
const benches: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  import: () => import('./import'),
  aggregates: () => import('./aggregates'),
  public: () => import('./public'),
  load: () => import('./load'),
  audit: () => import('./audit'),
};

const [which, ...args] = process.argv.slice(2);
if (!which || !benches[which]) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}> [options]`);
  process.exit(2);
}
benches[which]!()
  .then((b) => b.run(args))
  .then(
    () => process.exit(Number(process.exitCode ?? 0)),
    (e: unknown) => {
      console.error(e instanceof Error ? `${e.message.slice(0, 500)}${e.cause === undefined ? "" : `\n${String(e.cause).slice(0, 500)}`}` : e);
      process.exit(1);
    },
  );
