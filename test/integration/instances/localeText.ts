import fs from 'node:fs';
import path from 'node:path';

/** A text from the locale files, read as data (`namespace:a.b.c`), so a missing key fails the test. */
export function localeText(language: 'nb' | 'en', key: string): string {
  const [namespace, dotted] = key.split(':') as [string, string];
  const file = path.join(__dirname, '..', '..', '..', 'locales', language, `${namespace}.json`);
  let node: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const part of dotted.split('.')) node = (node as Record<string, unknown>)[part];
  if (typeof node !== 'string') throw new Error(`no text ${language}/${key}`);
  return node;
}
