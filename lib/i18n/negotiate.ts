// The interface language from the cookie the reader chose, else the browser's preference, else English.
// Pure, so proxy.ts (ETags of public pages) and getLocale() agree.
export function localeFrom(cookie: string | undefined, acceptLanguage: string | null): 'en' | 'ko' {
  if (cookie === 'en' || cookie === 'ko') return cookie;
  return /^\s*ko\b/i.test(acceptLanguage ?? '') ? 'ko' : 'en';
}
