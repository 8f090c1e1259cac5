import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

export const ISSUER = 'Testimony Ledger';

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(secret: string, email: string): string {
  return generateURI({ issuer: ISSUER, label: email, secret });
}

/** Rendered on the server as an SVG data URL: no client script, no third party. */
export async function qrDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** Checks a 6-digit code within one step either side; returns its time step so it cannot be replayed. */
export async function checkTotp(secret: string, code: string, afterStep: number | null): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  try {
    const result = await verify({
      secret,
      token: code,
      epochTolerance: 30,
      ...(afterStep != null ? { afterTimeStep: afterStep } : {}),
    });
    return result.valid && 'timeStep' in result ? Number(result.timeStep) : null;
  } catch {
    return null;
  }
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Ten one-time codes of 80 random bits each (so a plain SHA-256 of them is safe to store). */
export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(10);
    let bits = 0n;
    for (const b of bytes) bits = (bits << 8n) | BigInt(b);
    let out = '';
    for (let i = 0; i < 16; i++) {
      out = CROCKFORD[Number(bits & 31n)] + out;
      bits >>= 5n;
    }
    return out.match(/.{4}/g)!.join('-');
  });
}

export function normaliseRecoveryCode(input: string): string {
  const compact = input.toUpperCase().replace(/[^0-9A-Z]/g, '');
  return compact.length === 16 ? compact.match(/.{4}/g)!.join('-') : '';
}

export const recoveryCodeHash = (code: string) => createHash('sha256').update(code).digest('hex');
