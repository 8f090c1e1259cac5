import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORDS } from './common-passwords';
import { hashPassword, MIN_PASSWORD_LENGTH, NewPassword, verifyPassword } from './password';

describe('NewPassword', () => {
  it(`refuses fewer than ${MIN_PASSWORD_LENGTH} characters`, () => {
    expect(MIN_PASSWORD_LENGTH).toBeGreaterThanOrEqual(12);
    expect(NewPassword.safeParse('x7#Kq!2v&Zp').success).toBe(false); // 11 characters, however varied
    expect(NewPassword.safeParse('').success).toBe(false);
    expect(NewPassword.safeParse('x7#Kq!2v&Zp9').success).toBe(true);
  });

  it('refuses common passwords whatever their case', () => {
    for (const p of ['password1234', 'PASSWORD1234', 'Qwerty123456', 'CorrectHorseBatteryStaple', 'TestimonyLedger']) {
      const result = NewPassword.safeParse(p);
      expect(result.success, p).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/common/);
    }
  });

  it('every entry of the common list is long enough to need the list (shorter ones fail on length anyway)', () => {
    for (const p of COMMON_PASSWORDS) {
      expect(p.length, p).toBeGreaterThanOrEqual(MIN_PASSWORD_LENGTH);
      expect(p, 'entries are compared lower-cased').toBe(p.toLowerCase());
    }
  });

  it('accepts a long passphrase with no digits, capitals or symbols (no composition rules)', () => {
    expect(NewPassword.parse('the river behind the dormitory')).toBe('the river behind the dormitory');
    expect(NewPassword.safeParse('a'.repeat(11) + 'b').success).toBe(true);
    expect(NewPassword.safeParse('비밀번호는길어야합니다요').success).toBe(true);
  });

  it('refuses more than 256 characters', () => {
    expect(NewPassword.safeParse('x'.repeat(256)).success).toBe(true);
    expect(NewPassword.safeParse('x'.repeat(257)).success).toBe(false);
  });
});

describe('password hashing', () => {
  it('hashes with argon2id, m=19456 KiB, t=2, p=1, and a random salt', async () => {
    const hash = await hashPassword('the river behind the dormitory');
    const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(hash);
    expect(match, hash).not.toBeNull();
    const [, m, t, p, salt, digest] = match!;
    expect({ m: Number(m), t: Number(t), p: Number(p) }).toEqual({ m: 19_456, t: 2, p: 1 });
    expect(Buffer.from(salt!, 'base64').length).toBeGreaterThanOrEqual(16);
    expect(Buffer.from(digest!, 'base64').length).toBeGreaterThanOrEqual(32);
    expect(await hashPassword('the river behind the dormitory')).not.toBe(hash);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('the river behind the dormitory');
    expect(await verifyPassword(hash, 'the river behind the dormitory')).toBe(true);
    expect(await verifyPassword(hash, 'the river behind the dormitory ')).toBe(false);
    expect(await verifyPassword(hash, 'The river behind the dormitory')).toBe(false);
    expect(await verifyPassword(hash, '')).toBe(false);
  });

  it('answers false, never throws, for a stored value that is not a hash', async () => {
    for (const garbage of ['', 'plain', '$argon2id$v=19$m=19456,t=2,p=1$', '$2b$10$abcdefghijklmnopqrstuv', '$argon2id$v=19$m=19456,t=2,p=1$AAAA$AAAA']) {
      expect(await verifyPassword(garbage, 'the river behind the dormitory'), garbage).toBe(false);
    }
  });
});
