import type { Request, Response } from 'restify';
import { isLanguage, languageFromAcceptLanguage, type Language } from '../../domain/language';
import { pageHeaders } from './layout';

/** The pages' language when neither the link, the installer nor the browser names one we speak. */
export const DEFAULT_PAGE_LANGUAGE: Language = 'nb';

/** A string field of a parsed query or body; anything else (missing, repeated, nested) reads as ''. */
export function formField(source: unknown, name: string): string {
  if (typeof source !== 'object' || source === null) return '';
  const value: unknown = Reflect.get(source, name);
  return typeof value === 'string' ? value : '';
}

/** The `lang` field of a parsed query or body, when it names a language we speak. */
export function languageField(source: unknown): Language | undefined {
  const value = formField(source, 'lang');
  return isLanguage(value) ? value : undefined;
}

export function otherLanguage(language: Language): Language {
  return language === 'nb' ? 'en' : 'nb';
}

/** The language a page asks for: `lang` in the form or link, else the browser's, else the default. */
export function requestLanguage(req: Request, fallback: Language = DEFAULT_PAGE_LANGUAGE): Language {
  return languageField(req.body) ?? languageField(req.query) ?? languageFromAcceptLanguage(req.header('accept-language')) ?? fallback;
}

/** Sends a page with the pages' security headers (no-store, no-referrer, nonce CSP). */
export function sendPage(res: Response, status: number, nonce: string, html: string): void {
  res.writeHead(status, { ...pageHeaders(nonce), 'Content-Length': String(Buffer.byteLength(html, 'utf8')) });
  res.end(html);
}
