#!/usr/bin/env node
// Scans server logs for what must never be logged: the demo's narrative sentences (lib/demo/testimonies.ts)
// and anything shaped like a subject code (W-7K3F9Q). scripts/test.mjs runs it on the logs of the e2e
// servers (.test-results/server-<name>.log, written by scripts/e2e-server.mjs), whose database holds the demo.
//
//   node scripts/scan-logs.mjs [file…]     exit 0 when clean, 1 when something was found or nothing was scanned
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SUBJECT_CODE = /\bW-[0-9A-HJKMNP-TV-Z]{6}\b/i;

/** The demo's narratives, read from its source, cut into phrases of four words or more (each is searched for alone). */
export function demoNarrativePhrases(source = readFileSync(path.join(root, 'lib/demo/testimonies.ts'), 'utf8')) {
  const block = /const NARRATIVES = \[([\s\S]*?)\];/.exec(source)?.[1];
  if (!block) throw new Error('scan-logs: no NARRATIVES list in lib/demo/testimonies.ts');
  const sentences = [...block.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1].replace(/\\'/g, "'"));
  const phrases = sentences.flatMap((s) => s.split(/[;,.]/)).map((p) => p.trim().toLowerCase()).filter((p) => p.split(/\s+/).length >= 4);
  if (phrases.length < sentences.length) throw new Error('scan-logs: the demo narratives did not yield phrases');
  return phrases;
}

/** Every line that holds a phrase or a subject code: where, and what kind (never the line itself). */
export function scanText(text, phrases) {
  const findings = [];
  text.split('\n').forEach((line, i) => {
    const lower = line.toLowerCase();
    const phrase = phrases.find((p) => lower.includes(p));
    if (phrase) findings.push({ line: i + 1, kind: 'narrative', phrase });
    const code = SUBJECT_CODE.exec(line);
    if (code) findings.push({ line: i + 1, kind: 'subject code', at: code.index });
  });
  return findings;
}

function defaultFiles() {
  const dir = path.join(root, '.test-results');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => /^server-.*\.log$/.test(f)).map((f) => path.join(dir, f));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = process.argv.length > 2 ? process.argv.slice(2) : defaultFiles();
  if (files.length === 0) {
    console.error('scan-logs: no log files to scan (run the e2e suite first: it writes .test-results/server-<name>.log)');
    process.exit(1);
  }
  const phrases = demoNarrativePhrases();
  let lines = 0;
  let found = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    lines += text.split('\n').length;
    for (const f of scanText(text, phrases)) {
      found += 1;
      if (found <= 20) console.error(`scan-logs: ${path.relative(root, file)}:${f.line}: ${f.kind}${f.phrase ? ` ("${f.phrase}")` : ''}`);
    }
  }
  console.log(`scan-logs: ${files.length} file(s), ${lines} lines, ${phrases.length} narrative phrases and the subject-code pattern: ${found ? `${found} finding(s)` : 'nothing found'}`);
  process.exit(found ? 1 : 0);
}
