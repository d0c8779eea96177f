import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/config';
import { readLocaleResources } from '../../src/services/i18n/translator';

/**
 * The fuzz test's messages: commands, what people say (the understanding's training files), the
 * locale files' own short texts, email addresses, MAC addresses, coordinates, junk characters,
 * template and injection strings, texts around the 2,000-character cap, and empty ones. Drawn
 * from a seeded generator, so every run sends the same ones.
 */

const LOCALES = readLocaleResources() as unknown as Record<string, Record<string, unknown>>;
const leaves = (node: unknown): string[] => (typeof node === 'string' ? [node] : node && typeof node === 'object' ? Object.values(node).flatMap(leaves) : []);

// ---------------------------------------------------------------- the generator
const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const int = (random: () => number, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

const COMMANDS = [
  'help', 'hjelp', '?', 'status', 'fremdrift', 'cancel', 'avbryt', 'restart', 'start på nytt', 'language', 'språk', 'English', 'norsk',
  'agent', 'menneske', 'support', 'region', 'region europa', 'region north america', 'station', 'stasjon', 'delete my data',
  'slett dataene mine', 'slett alt', 'delete everything',
];
const LABELS = Object.values(LOCALES).flatMap((namespaces) => Object.entries(namespaces).flatMap(([namespace, tree]) => (namespace === 'nlu' ? [] : leaves(tree)))).filter((v) => v.length < 40 && !v.includes('{{'));
/** What people say, as the understanding is trained on it (locales/<language>/nlu/*.json read as data). */
const UTTERANCES = ['nb', 'en'].flatMap((language) => {
  const dir = path.join(projectRoot(), 'locales', language, 'nlu');
  return fs.readdirSync(dir).flatMap((name) => Object.values(JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Record<string, string[]>).flat());
});
const WORDS = [...COMMANDS, ...UTTERANCES, ...LABELS, '0', '1', '2', '3', '4', '-1', '99', '1.5'];
const JUNK_CHARS = [
  ...'abcxyzABCæøåÆØÅ0123456789 !"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  '\t', '\n', '\r', '\u0000', '\u00a0', '\u200b', '\u202e', '\u0301', '😀', '👩‍🔧', '\ud83d', '用', 'ß', 'İ', '\ufeff',
];
const TEMPLATES = [
  '{{email}}', '{{minutes}}', 'registration:email.question', 'chat:help.general', '<at>Bot</at> hjelp', '**fet**', '[x](javascript:alert(1))',
  '<script>alert(1)</script>', '${process.exit()}', '%s%s%s', 'null', 'undefined', '__proto__', 'constructor', '\\u0000',
];
const LONG_UNITS = ['1 ', ' ', '<', '@', '.', 'a', '1', ':', '-', '1,', 'a@', '😀'];

function wordInput(random: () => number): string {
  let word = pick(random, WORDS);
  const r = random();
  if (r < 0.2) word = word.toUpperCase();
  else if (r < 0.3) word = `  ${word}!! `;
  else if (r < 0.4) word = `${word} ${pick(random, WORDS)}`;
  else if (r < 0.45) word = word.slice(0, Math.max(1, word.length - 1));
  return word;
}

function emailInput(random: () => number): string {
  const local = Array.from({ length: int(random, 0, 12) }, () => pick(random, [...'abcz019._+-'])).join('');
  const domain = pick(random, ['firma.no', 'elektro.no', 'sparks.co.uk', 'x', 'a..b.no', 'blåbær.no', '例子.广告', 'no', '-x.no']);
  const address = `${local}@${domain}`;
  return pick(random, [
    address, `<${address}>`, `mailto:${address}`, `min e-post er ${address}`, `${address}.`, `${local}@@${domain}`, `${local} @${domain}`,
    'kåre@blåbær.no', '用户@例子.广告', `fuzz${int(random, 1, 99999)}@test.no`,
  ]);
}

function macInput(random: () => number): string {
  const hex = (n: number) => Array.from({ length: n }, () => pick(random, [...'0123456789abcdef'])).join('');
  const digits = '00' + hex(int(random, 0, 1) === 0 ? 10 : 14);
  const groups = (size: number, sep: string) => digits.match(new RegExp(`.{1,${size}}`, 'g'))!.join(sep);
  return pick(random, [digits, groups(4, ':'), groups(2, '-'), groups(4, '.'), `mac ${groups(2, ':')}`, hex(int(random, 1, 20)), `https://x.test/?mac=${digits}`]);
}

function coordinatesInput(random: () => number): string {
  const lat = (random() * 200 - 100).toFixed(int(random, 0, 6));
  const lng = (random() * 400 - 200).toFixed(int(random, 0, 6));
  return pick(random, [
    `${lat}, ${lng}`, `${lat.replace('.', ',')} ${lng.replace('.', ',')}`, `${lat};${lng}`, `https://maps.test/@${lat},${lng},17z`, '0, 0', `${lat}`,
  ]);
}

function junkInput(random: () => number): string {
  return Array.from({ length: int(random, 1, 60) }, () => pick(random, JUNK_CHARS)).join('');
}

function longInput(random: () => number): string {
  const length = pick(random, [1999, 2000, 2001, 5000, 20_000, 100_000]);
  const unit = pick(random, LONG_UNITS);
  const body = unit.repeat(Math.ceil(length / unit.length)).slice(0, length - 2);
  return `1${body}x`;
}

export function generateInput(random: () => number): string {
  const r = random();
  if (r < 0.25) return wordInput(random);
  if (r < 0.37) return emailInput(random);
  if (r < 0.47) return macInput(random);
  if (r < 0.57) return coordinatesInput(random);
  if (r < 0.82) return junkInput(random);
  if (r < 0.87) return pick(random, TEMPLATES);
  if (r < 0.95) return longInput(random);
  return pick(random, ['', ' ', '\n', '\t\t']);
}

