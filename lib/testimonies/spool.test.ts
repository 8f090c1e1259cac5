import { readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Spool } from './spool';

const roots: string[] = [];
const newRoot = () => {
  const root = mkdtempSync(path.join(tmpdir(), 'spool-test-'));
  roots.push(root);
  return root;
};
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

async function collect(spool: Spool, size: number) {
  const out: string[][] = [];
  for await (const b of spool.batches(size)) out.push(b);
  return out;
}

describe('Spool', () => {
  it('gives back every line in order, in batches, including multi-byte text split across chunks', async () => {
    const root = newRoot();
    const spool = new Spool(root);
    const lines = Array.from({ length: 25_003 }, (_, i) => JSON.stringify({ i, text: `노동자 ${i} — ${'x'.repeat(i % 97)}` }));
    for (const l of lines) await spool.push(l);
    await spool.finish();
    expect(spool.lines).toBe(lines.length);
    const batches = await collect(spool, 1000);
    expect(batches.map((b) => b.length)).toEqual([...Array(25).fill(1000), 3]);
    expect(batches.flat()).toEqual(lines);
    spool.remove();
    expect(readdirSync(root)).toEqual([]);
  });

  it('keeps nothing readable on disk', async () => {
    const root = newRoot();
    const spool = new Spool(root);
    await spool.push('SPOOL-SENTINEL narrative words');
    await spool.finish();
    const [dir] = readdirSync(root);
    const bytes = readFileSync(path.join(root, dir!, 'rows'));
    expect(bytes.toString('latin1')).not.toContain('SENTINEL');
    spool.remove();
  });

  it('refuses a file changed on disk before handing out its last batch', async () => {
    const root = newRoot();
    const spool = new Spool(root);
    for (let i = 0; i < 10; i++) await spool.push(`row ${i}`);
    await spool.finish();
    const [dir] = readdirSync(root);
    const file = path.join(root, dir!, 'rows');
    const bytes = readFileSync(file);
    bytes[3] = bytes[3]! ^ 1;
    writeFileSync(file, bytes);
    await expect(collect(spool, 100)).rejects.toThrow();
    spool.remove();
  });

  it('an empty spool yields no batch', async () => {
    const spool = new Spool(newRoot());
    await spool.finish();
    expect(await collect(spool, 10)).toEqual([]);
    spool.remove();
  });
});
