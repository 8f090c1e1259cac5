import { convert } from 'html-to-text';

/** An uploaded HTML page as plain text: scripts, styles and images dropped, links without their addresses. */
export function htmlToPlainText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'script', format: 'skip' },
      { selector: 'style', format: 'skip' },
      { selector: 'noscript', format: 'skip' },
      { selector: 'img', format: 'skip' },
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
      { selector: 'table', format: 'dataTable' },
    ],
  });
}

/** Text of an uploaded file by its name: .html/.htm converted, .txt/.md kept as written. */
export function textOfUpload(name: string, content: string): string {
  return /\.html?$/i.test(name) ? htmlToPlainText(content) : content;
}

export const UPLOAD_EXTENSIONS = /\.(txt|md|html?)$/i;
