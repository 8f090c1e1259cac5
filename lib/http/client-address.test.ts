import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { clientAddress, pinForwardedFor, pinnedForwardedFor } from './client-address';

const headers = (xff?: string) => new Headers(xff === undefined ? {} : { 'x-forwarded-for': xff });

describe('client address', () => {
  it('without a proxy, keeps only the socket address: what the client wrote in X-Forwarded-For is dropped', () => {
    const pinned = pinnedForwardedFor('6.6.6.6, 7.7.7.7', '203.0.113.9', 0);
    expect(pinned).toBe('203.0.113.9');
    expect(clientAddress(headers(pinned), 0)).toBe('203.0.113.9');
  });

  it('behind one proxy, takes the address the proxy appended, not the ones the client sent', () => {
    // The client sent "6.6.6.6"; the proxy (at 10.0.0.2) appended the client's real address.
    const pinned = pinnedForwardedFor('6.6.6.6, 198.51.100.4', '10.0.0.2', 1);
    expect(pinned).toBe('6.6.6.6, 198.51.100.4, 10.0.0.2');
    expect(clientAddress(headers(pinned), 1)).toBe('198.51.100.4');
    expect(clientAddress(headers('6.6.6.6, 198.51.100.4, 10.0.0.3, 10.0.0.2'), 2)).toBe('198.51.100.4');
  });

  it('a request that bypassed the proxy is keyed by its socket address', () => {
    expect(clientAddress(headers(pinnedForwardedFor(undefined, '203.0.113.9', 1)), 1)).toBe('203.0.113.9');
    expect(clientAddress(headers(), 0)).toBe('unknown');
  });

  describe('on a real HTTP server', () => {
    let server: http.Server;
    afterAll(() => new Promise((r) => server.close(r)));
    it('rewrites the header before any request listener reads it, and drops the client\'s X-Forwarded-Host without a proxy', async () => {
      pinForwardedFor(0);
      server = http.createServer((req, res) => res.end(`${req.headers['x-forwarded-for']} ${req.headers['x-forwarded-host']}`));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const { port } = server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-forwarded-for': '6.6.6.6', 'x-forwarded-host': 'evil.example' } });
      expect(await res.text()).toBe('127.0.0.1 undefined');
    });
  });
});
