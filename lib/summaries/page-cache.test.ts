import { describe, expect, it } from 'vitest';
import { isRenderRequest, PageCache, renderToken, type StoredPage } from './page-cache';

const page = (bytes: number, marker = 0): StoredPage => ({ status: 200, headers: [['content-type', 'text/html']], body: new Uint8Array(bytes).fill(marker) });

describe('the store of rendered summary pages', () => {
  it('renders a key once for concurrent readers, then serves the stored page', async () => {
    const cache = new PageCache(1000);
    let renders = 0;
    const render = async () => {
      renders += 1;
      await new Promise((r) => setTimeout(r, 10));
      return page(100, 7);
    };
    const first = await Promise.all(Array.from({ length: 5 }, () => cache.getOrRender('a', render)));
    expect(renders).toBe(1);
    expect(first.every((r) => r.page?.body[0] === 7 && !r.hit)).toBe(true);
    const again = await cache.getOrRender('a', render);
    expect(again.hit).toBe(true);
    expect(renders).toBe(1);
  });

  it('keeps nothing when the render fails or is not a page, and tries again next time', async () => {
    const cache = new PageCache(1000);
    expect((await cache.getOrRender('x', async () => null)).page).toBeNull();
    expect(cache.paused).toBe(false); // a page that is not there is no failure
    expect((await cache.getOrRender('x', async () => Promise.reject(new Error('down')))).page).toBeNull();
    expect(cache.size).toBe(0);
    expect(cache.paused).toBe(true); // proxy.ts renders as usual for a while
    expect((await cache.getOrRender('x', async () => page(10))).page).not.toBeNull();
    expect(cache.size).toBe(1);
  });

  it('stays within its byte budget, dropping the least recently used first', () => {
    const cache = new PageCache(300);
    cache.set('a', page(100));
    cache.set('b', page(100));
    cache.set('c', page(100));
    cache.get('a'); // a is now the most recently used
    cache.set('d', page(100));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
    expect(cache.get('d')).toBeDefined();
    expect(cache.storedBytes).toBe(300);
    cache.set('huge', page(301));
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.storedBytes).toBe(300);
  });

  it('lets only the server itself skip the store', () => {
    const token = renderToken('secret-1');
    expect(isRenderRequest(token, 'secret-1')).toBe(true);
    expect(isRenderRequest(token, 'secret-2')).toBe(false);
    expect(isRenderRequest(`${token}x`, 'secret-1')).toBe(false);
    expect(isRenderRequest(null, 'secret-1')).toBe(false);
  });
});
