import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sourceFiles } from '../helpers/sourceFiles';

/**
 * botbuilder-dialogs' index also loads the prompts and @microsoft/recognizers-text-suite (about
 * 40 MB of memory and seconds of start-up) that the bot never uses: the bot imports dialog
 * classes through src/bot/dialogs/dialogKit.ts, from their own modules.
 */

describe('dialog imports', () => {
  const src = path.join(__dirname, '../../src');

  it('no source file loads the botbuilder-dialogs index at run time', () => {
    const offenders = sourceFiles(src).filter((file) =>
      // `import type` is erased by the compiler and loads nothing
      /^import\s+(?!type\s)[^;]*from\s+'botbuilder-dialogs'/m.test(fs.readFileSync(file, 'utf8')),
    );
    expect(offenders.map((file) => path.relative(src, file))).toEqual([]);
  });

  it('the modules the dialog kit imports from do not load the recognizers', () => {
    const kit = fs.readFileSync(path.join(src, 'bot/dialogs/dialogKit.ts'), 'utf8');
    const modules = [...kit.matchAll(/from '(botbuilder-dialogs\/lib\/[^']+)'/g)].map((m) => m[1]!);
    expect(modules).toContain('botbuilder-dialogs/lib/componentDialog');
    const script = `${JSON.stringify(modules)}.forEach((m) => require(m));
      console.log(JSON.stringify(Object.keys(require.cache).filter((f) => /recognizers-text|\\/prompts\\//.test(f))));`;
    const loaded = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: path.join(__dirname, '../..'), encoding: 'utf8' })) as string[];
    expect(loaded).toEqual([]);
  });
});
