import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';

// Whatever an author writes, the page gets no markup of theirs: no script, no handler, no
// javascript: link, no image, no raw HTML element.

/** Every tag name the rendered HTML contains. */
const tags = (html: string) => [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1]!.toLowerCase());
const SAFE_TAGS = new Set(['p', 'a', 'em', 'strong', 'ul', 'ol', 'li', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'code', 'pre', 'hr', 'br', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 's']);

describe('renderMarkdown', () => {
  it('renders ordinary Markdown, headings one level down', () => {
    const html = renderMarkdown('# Findings\n\nWorkers **often** reported *long* days.\n\n- one\n- two');
    expect(html).toContain('<h2>Findings</h2>');
    expect(html).toContain('<strong>often</strong>');
    expect(html).toContain('<li>one</li>');
  });

  it('shows a script element as text', () => {
    const html = renderMarkdown('Before <script>alert(1)</script> after\n\n<script>\nalert(2)\n</script>');
    expect(tags(html)).not.toContain('script');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('drops javascript:, data: and vbscript: links but keeps http(s) ones with nofollow noopener', () => {
    const html = renderMarkdown('[a](javascript:alert(1)) [b](JAVASCRIPT:alert(1)) [c](data:text/html;base64,PHNjcmlwdD4=) [d](vbscript:x) [e]( javascript:alert(1)) [f](https://example.org/report) <javascript:alert(1)>');
    expect(html).not.toMatch(/href="(?!https:\/\/example\.org)/i);
    expect(html).toContain('<a href="https://example.org/report" rel="nofollow noopener">f</a>');
    expect(html.match(/<a /g)).toHaveLength(1);
  });

  it('keeps no relative or protocol-relative link', () => {
    const html = renderMarkdown('[a](/sign-in) [b](//evil.example/x) [c](mailto:x@example.org)');
    expect(html).not.toContain('<a ');
  });

  it('turns bare http addresses into links, marked the same way', () => {
    expect(renderMarkdown('See https://example.org/a.')).toContain('<a href="https://example.org/a" rel="nofollow noopener">');
  });

  it('renders no image, so no onerror handler and no outside request', () => {
    const html = renderMarkdown('![x](https://tracker.example/p.gif) <img src=x onerror="alert(1)"> ![y](x" onerror="alert(1))');
    expect(tags(html)).not.toContain('img');
    expect(html).not.toMatch(/<[^>]+\son\w+=/i);
  });

  it('shows raw HTML elements and attributes as text', () => {
    const html = renderMarkdown('<div style="position:fixed">x</div>\n\n<iframe src="https://evil.example"></iframe> <a href="javascript:alert(1)">y</a> <svg onload=alert(1)>');
    for (const tag of tags(html)) expect(SAFE_TAGS.has(tag), tag).toBe(true);
    expect(html).toContain('&lt;iframe');
    expect(html).not.toMatch(/<[^>]+\son\w+=/i);
  });

  it('escapes quotes in link titles and addresses', () => {
    const html = renderMarkdown('[a](https://example.org/"onmouseover="alert(1) "t\\"itle")');
    expect(html).not.toMatch(/<a [^>]*\son\w+=/i);
  });
});
