import 'server-only';
import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';
import { COMMON_PASSWORDS } from './common-passwords';

// OWASP's minimum for argon2id: 19 MiB, 2 iterations, 1 lane. Algorithm 2 = argon2id.
const PARAMS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;

/** Length and a common-password list; no composition rules (NIST SP 800-63B). */
export const NewPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(256, 'Use at most 256 characters.')
  .refine((p) => !COMMON_PASSWORDS.has(p.toLowerCase()), 'This password is too common; choose another.');

export function hashPassword(password: string): Promise<string> {
  return hash(password, PARAMS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

// Verifying against this when the account does not exist keeps the timing of both answers alike.
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword('not a real password, only for timing');
  return dummy;
}
