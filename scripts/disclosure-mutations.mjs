// `node scripts/disclosure-mutations.mjs`: removes each disclosure rule in turn and checks that the
// property tests (or, for the perturbation, the attacks in test/attacks) fail without it (issue 6: "each fails when its rule is removed"). Restores every
// file afterwards, also when interrupted. Exit 1 if any mutation survives.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const MUTATIONS = [
  { rule: 'primary suppression', file: 'lib/disclosure/suppress.ts', from: 'const hidden = values.map((v) => v > 0 && v < k); // primary', to: 'const hidden = values.map(() => false);' },
  { rule: 'complementary suppression', file: 'lib/disclosure/suppress.ts', from: 'if (hiddenCount === 1) return true;', to: 'if (hiddenCount === 1) return false;' },
  { rule: 'hidden sums under k', file: 'lib/disclosure/suppress.ts', from: 'return hiddenSum > 0 && hiddenSum < k;', to: 'return false;' },
  { rule: 'canonical key order', file: 'lib/disclosure/suppress.ts', from: /return keys\.map\(\(_, i\) => i\)\.sort\([^\n]*/, to: 'return keys.map((_, i) => i);' },
  { rule: 'statistics only from k workers', file: 'lib/disclosure/round.ts', from: 'if (statisticsAllowed(cell.count, k)) {', to: 'if (true) {' },
  { rule: 'share parts of 0 or at least k', file: 'lib/disclosure/round.ts', from: '!small(part) && !small(whole - part)', to: 'true' },
  { rule: 'differencing check', file: 'lib/disclosure/difference.ts', from: /difference > 0 && difference < k/g, to: 'false' },
  { rule: 'audit: share constraints', file: 'lib/disclosure/audit.ts', from: "rows.push({ entries: entries(2 * s - 1), lower: 0, upper: Infinity, tag: t });\n    rows.push({ entries: entries(2 * s + 1), lower: -Infinity, upper: -1, tag: t });", to: '' },
  { rule: 'audit: cross-snapshot constraints', file: 'lib/disclosure/audit.ts', from: 'const all = [...published([input.candidate]), ...published(input.current)];', to: 'const all = [...published([input.candidate])];' },
  { rule: 'audit: changes between populations', file: 'lib/disclosure/audit.ts', from: 'findings.push(...(await changes(input, system, stats)));', to: '' },
  { rule: 'audit: protection interval', file: 'lib/disclosure/audit.ts', from: 'if (b.high - b.low < P) narrow.push(', to: 'if (b.high - b.low < 1) narrow.push(' },
  // The cell-key method (issue 15): the table's own properties, and the attacks on synthetic data.
  { rule: 'cell key: exactly unbiased table', file: 'lib/disclosure/cell-key.ts', from: 'while (bias > 0 && plus >= 0 && w[plus]! > 0) {', to: 'while (false) {' },
  { rule: 'cell key: mixed position', file: 'lib/disclosure/cell-key.ts', from: /const h = mix32\(\(mix32\(\(cellKey[^\n]*/, to: 'const h = (cellKey << 1) >>> 0;' },
  { rule: 'cell key: researchers perturbed', file: 'lib/aggregates/index.ts', from: 'const groups = perturbation ? exact.map((g) => perturbGroup(g, perturbation)) : exact;', to: 'const groups = exact;', tests: ['--project', 'pglite', 'test/attacks'] },
];

const originals = new Map();
const restore = () => {
  for (const [file, text] of originals) writeFileSync(file, text);
};
process.on('SIGINT', () => {
  restore();
  process.exit(130);
});

let survived = 0;
// `node scripts/disclosure-mutations.mjs "cell key"`: only the rules whose name contains the words given.
const only = process.argv[2];
for (const m of MUTATIONS.filter((m) => !only || m.rule.includes(only))) {
  const text = readFileSync(m.file, 'utf8');
  originals.set(m.file, text);
  const mutated = text.replace(m.from, m.to);
  if (mutated === text) {
    console.log(`?  ${m.rule}: the code to remove was not found in ${m.file} (update this script)`);
    survived++;
    continue;
  }
  writeFileSync(m.file, mutated);
  try {
    const run = spawnSync('npx', ['vitest', 'run', '--maxWorkers=1', ...(m.tests ?? ['--project', 'unit', 'lib/disclosure'])], { encoding: 'utf8' });
    const failed = /Tests\s+.*?(\d+) failed/.exec(run.stdout.replace(/\x1b\[[0-9;]*m/g, ''));
    if (run.status !== 0 && failed) console.log(`ok ${m.rule}: removed, ${failed[1]} tests fail`);
    else {
      console.log(`!! ${m.rule}: removed, and the tests still pass`);
      survived++;
    }
  } finally {
    writeFileSync(m.file, text);
  }
}
restore();
console.log(survived ? `${survived} mutation(s) survived` : 'every rule is guarded by a failing test');
process.exit(survived ? 1 : 0);
