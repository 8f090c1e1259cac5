import 'server-only';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, readdirSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';

// Lines kept on disk between reading an import and writing it: 100,000 prepared rows held in memory
// took ~400 MB. The file is encrypted (AES-256-GCM) with a key that exists only in this object, so
// what a crash leaves behind is unreadable; the tag is checked before the last batch is handed out,
// so a changed file fails the import (whose transaction then rolls back) instead of writing it.

const PREFIX = 'ledger-import-';
const STALE_MS = 24 * 60 * 60 * 1000;

const processAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Start-up: folders of spools whose process is gone (their name carries its pid), and those of this
 * pid, left by an earlier run of it (in a container the server is often pid 1 every time). Call it
 * before this process starts an import. Returns how many were removed.
 */
export function removeDeadSpools(root = tmpdir()): number {
  let removed = 0;
  for (const name of readdirSync(root)) {
    const pid = Number(new RegExp(`^${PREFIX}(\\d+)-`).exec(name)?.[1] ?? NaN);
    if (!Number.isInteger(pid) || (pid !== process.pid && processAlive(pid))) continue;
    rmSync(path.join(root, name), { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}

/** Folders of spools older than a day: left by a process that died (kill -9) mid-import. */
function sweepStale(root: string) {
  for (const name of readdirSync(root)) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = path.join(root, name);
    try {
      if (Date.now() - statSync(dir).mtimeMs > STALE_MS) rmSync(dir, { recursive: true, force: true });
    } catch {
      // another process removed it meanwhile
    }
  }
}

export class Spool {
  private count = 0;
  private readonly key = randomBytes(32);
  private readonly iv = randomBytes(12);
  private readonly dir: string;
  private readonly file: string;
  private readonly cipher;
  private readonly out: WriteStream;
  private tag: Buffer | undefined;

  constructor(root = tmpdir()) {
    sweepStale(root);
    this.dir = mkdtempSync(path.join(root, `${PREFIX}${process.pid}-`));
    this.file = path.join(this.dir, 'rows');
    this.cipher = createCipheriv('aes-256-gcm', this.key, this.iv);
    this.out = createWriteStream(this.file, { mode: 0o600 });
    this.out.on('error', () => {}); // surfaced by finish()
  }

  /** Adds one line (without a newline of its own); waits when the disk is behind. */
  async push(line: string): Promise<void> {
    this.count += 1;
    if (!this.out.write(this.cipher.update(`${line}\n`, 'utf8'))) await once(this.out, 'drain');
  }

  get lines(): number {
    return this.count;
  }

  /** Ends writing; call once, before reading. */
  async finish(): Promise<void> {
    this.out.end(this.cipher.final());
    await once(this.out, 'finish');
    this.tag = this.cipher.getAuthTag();
  }

  /** The lines in order, `size` at a time. Throws (and hands out no last batch) if the file was changed. */
  async *batches(size: number): AsyncGenerator<string[]> {
    if (!this.tag) throw new Error('spool read before finish()');
    const decipher = createDecipheriv('aes-256-gcm', this.key, this.iv);
    decipher.setAuthTag(this.tag);
    const text = new StringDecoder('utf8'); // a character may be split between two chunks
    let carry = '';
    let batch: string[] = [];
    for await (const chunk of createReadStream(this.file)) {
      const lines = (carry + text.write(decipher.update(chunk as Buffer))).split('\n');
      carry = lines.pop()!;
      for (const line of lines) {
        batch.push(line);
        if (batch.length === size) {
          yield batch;
          batch = [];
        }
      }
    }
    carry += text.end(decipher.final()); // final() throws when the tag does not match
    if (carry) batch.push(carry);
    if (batch.length) yield batch;
  }

  /** Deletes the file; safe to call more than once. */
  remove(): void {
    this.out.destroy();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
