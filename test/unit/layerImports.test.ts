import fs from 'node:fs';
import path from 'node:path';
import { sourceFiles } from '../helpers/sourceFiles';

/**
 * SDK-neutral below the bot: domain/ and services/ use the project's own types (a conversation
 * address, an event name), so a move to another bot SDK changes only bot/ and web/.
 */
describe('layer imports', () => {
  const src = path.join(__dirname, '../../src');
  /** `import … from 'x'`, `import type …`, `export … from 'x'`, `require('x')` and `import('x')`. */
  const modulesOf = (text: string) => [
    ...[...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!),
    ...[...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!),
    ...[...text.matchAll(/\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!),
  ];
  const sdk = /^(botbuilder|botframework-|restify|@microsoft\/agents)/;

  it.each(['domain', 'services'])('no file under src/%s imports botbuilder or restify (not even a type)', (layer) => {
    const files = sourceFiles(path.join(src, layer));
    expect(files.length).toBeGreaterThan(5);
    const offenders = files.flatMap((file) =>
      modulesOf(fs.readFileSync(file, 'utf8'))
        .filter((module) => sdk.test(module))
        .map((module) => `${path.relative(src, file)} → ${module}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the check sees an import of botbuilder where there is one', () => {
    const bot = fs.readFileSync(path.join(src, 'bot/notifyTurns.ts'), 'utf8');
    expect(modulesOf(bot)).toContain('botbuilder');
    expect(modulesOf("import type {\n  Storage,\n  StoreItems,\n} from 'botbuilder';")).toEqual(['botbuilder']);
  });

  it('domain/ does no I/O: no node: modules, no services', () => {
    const offenders = sourceFiles(path.join(src, 'domain')).flatMap((file) =>
      modulesOf(fs.readFileSync(file, 'utf8'))
        .filter((module) => /^node:|^(fs|net|http|https|child_process)$|\/services\//.test(module))
        .map((module) => `${path.relative(src, file)} → ${module}`),
    );
    expect(offenders).toEqual([]);
  });
});
