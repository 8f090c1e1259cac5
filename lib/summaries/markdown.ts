import MarkdownIt from 'markdown-it';

// The body of a summary is Markdown written by staff and read by the public. Rendered with raw HTML
// off (it is shown as text), images off (an outside image would tell its host who reads the page),
// and links kept only when they go to http(s) addresses, marked nofollow noopener. Headings move one
// level down so the summary's title stays the page's only h1.

const ALLOWED_LINK = /^https?:\/\//i;

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
md.disable(['image']);
md.validateLink = (url: string) => ALLOWED_LINK.test(url.trim());
md.linkify.set({ fuzzyLink: false, fuzzyEmail: false });

md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  tokens[idx]!.attrSet('rel', 'nofollow noopener');
  return self.renderToken(tokens, idx, options);
};
const shift = (tag: string) => `h${Math.min(6, Number(tag.slice(1)) + 1)}`;
md.renderer.rules.heading_open = (tokens, idx, options, _env, self) => {
  tokens[idx]!.tag = shift(tokens[idx]!.tag);
  return self.renderToken(tokens, idx, options);
};
md.renderer.rules.heading_close = (tokens, idx, options, _env, self) => {
  tokens[idx]!.tag = shift(tokens[idx]!.tag);
  return self.renderToken(tokens, idx, options);
};

/** Safe HTML for a summary's Markdown body. */
export function renderMarkdown(source: string): string {
  return md.render(source);
}
