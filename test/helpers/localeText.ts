import fs from 'node:fs';
import path from 'node:path';
import type { Language } from '../../src/domain/language';

const cache = new Map<string, unknown>();

/**
 * A string of locales/<language>/<namespace>.json read as data, with {{variables}} filled in
 * (not through the bot's translator): a key missing from the files fails the test.
 */
export function localeText(language: Language, key: string, vars: Record<string, string | number> = {}): string {
  const [namespace, dotted] = key.split(':') as [string, string];
  const file = path.join(__dirname, '..', '..', 'locales', language, `${namespace}.json`);
  if (!cache.has(file)) cache.set(file, JSON.parse(fs.readFileSync(file, 'utf8')));
  let value: unknown = cache.get(file);
  for (const part of dotted.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
  if (typeof value !== 'string') throw new Error(`no text ${key} in locales/${language}`);
  return value.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, name: string) => {
    if (!(name in vars)) throw new Error(`${key}: no value for {{${name}}}`);
    return String(vars[name]);
  });
}

/**
 * What a text-only channel (no suggested actions, no cards) shows for a question with choices:
 * the text, then the choices numbered (labels read from the locale files as data).
 */
export function withNumberedChoices(language: Language, text: string, labelKeys: readonly string[]): string {
  return `${text}\n\n${labelKeys.map((key, i) => `${i + 1}. ${localeText(language, key)}`).join('\n')}`;
}
