import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { demoNarrativePhrases, scanText } from '../scripts/scan-logs.mjs';
import { demoTestimony } from './demo/testimonies';

const scan = (text: string) => scanText(text, demoNarrativePhrases()) as { line: number; kind: string }[];

describe('scripts/scan-logs.mjs', () => {
  it('knows every demo narrative: each one is found when it appears in a log', () => {
    const narratives = new Set(Array.from({ length: 60 }, (_, i) => demoTestimony(i, 1).narrative!));
    expect(narratives.size).toBeGreaterThan(3);
    for (const n of narratives) expect(scan(`{"level":"error","msg":"x","err":{"message":"${n}"}}`)).toHaveLength(1);
  });

  it('finds a subject code and a narrative fragment, and passes ordinary log lines', () => {
    const clean = '{"level":"info","time":"2026-11-23T18:00:00.000Z","requestId":"9b1c0f3e-2c9d-4a57-8e0b-3f1f5b1c2d3e","msg":"ready","database":"pglite"}';
    expect(scan(clean)).toEqual([]);
    expect(scan(`${clean}\nfailed for W-7K3F9Q`)).toEqual([{ line: 2, kind: 'subject code', at: 11 }]);
    const phrase = demoNarrativePhrases()[0] as string;
    expect(scan(`params: ${phrase.toUpperCase()}`)).toMatchObject([{ line: 1, kind: 'narrative' }]);
  });

  it('as a command: exit 1 on a finding, 0 on a clean file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'scan-logs-'));
    writeFileSync(path.join(dir, 'clean.log'), '{"level":"info","msg":"ready"}\n');
    writeFileSync(path.join(dir, 'leaky.log'), '{"level":"error","msg":"insert failed: W-4M7P2X"}\n');
    const run = (file: string) => spawnSync(process.execPath, ['scripts/scan-logs.mjs', path.join(dir, file)], { encoding: 'utf8' });
    expect(run('clean.log').status).toBe(0);
    const leaky = run('leaky.log');
    expect(leaky.status).toBe(1);
    expect(leaky.stderr).toContain('leaky.log:1: subject code');
    expect(leaky.stderr).not.toContain('W-4M7P2X');
  });
});
