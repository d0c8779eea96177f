import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/config';

type Flat = Map<string, string>;

function flatten(value: unknown, prefix: string, out: Flat): void {
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, String(value));
  }
}

function load(language: string): Flat {
  const dir = path.join(projectRoot(), 'locales', language);
  const out: Flat = new Map();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    flatten(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')), file.replace(/\.json$/, '') + ':', out);
  }
  return out;
}

const variables = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]).sort();
/** i18next plural forms differ between languages; compare them by their base key. */
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');

describe('locales', () => {
  const nb = load('nb');
  const en = load('en');

  it('nb and en have the same files and the same keys', () => {
    const files = (l: string) => fs.readdirSync(path.join(projectRoot(), 'locales', l)).sort();
    expect(files('nb')).toEqual(files('en'));
    expect([...new Set([...nb.keys()].map(base))].sort()).toEqual([...new Set([...en.keys()].map(base))].sort());
  });

  it('no value is empty', () => {
    for (const [key, value] of [...nb, ...en]) expect({ key, empty: value.trim() === '' }).toEqual({ key, empty: false });
  });

  it('each key uses the same interpolation variables in both languages', () => {
    for (const [key, value] of nb) {
      const other = en.get(key) ?? en.get(base(key) + '_other');
      expect({ key, vars: variables(value) }).toEqual({ key, vars: variables(other ?? '') });
    }
  });

  it('longer Norwegian texts are not left in English', () => {
    // the length a reader sees: "{{minutes}} min" is a short text in both languages
    const shown = (value: string) => value.replace(/\{\{\w+\}\}/g, '').length;
    const same = [...nb].filter(([key, value]) => shown(value) > 12 && en.get(key) === value && !/^https?:/.test(value));
    expect(same).toEqual([]);
  });

  it('src/bot holds no user-visible string literal (all text comes from locales)', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.ts')) {
          const code = fs
            .readFileSync(full, 'utf8')
            .replace(/\/\*[\s\S]*?\*\//g, '')
            .replace(/\/\/.*$/gm, '')
            .replace(/logger\.\w+\([\s\S]*?\);/g, '')
            .replace(/^import .*$/gm, '');
          for (const match of code.matchAll(/(['"`])((?:(?!\1).)*)\1/g)) {
            const literal = match[2]!.replace(/\$\{[^}]*\}/g, ' ');
            // two words of letters (a sentence or a phrase), or any letter outside ASCII: that is text for people
            if (/[A-Za-zÆØÅæøå]{2,}[,.!?]?\s+[A-Za-zÆØÅæøå]{2,}/.test(literal) || /[æøåÆØÅ]/.test(literal)) {
              offenders.push(`${path.relative(projectRoot(), full)}: ${literal}`);
            }
          }
        }
      }
    };
    walk(path.join(projectRoot(), 'src', 'bot'));
    expect(offenders).toEqual([]);
  });
});
