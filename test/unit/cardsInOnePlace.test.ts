import fs from 'node:fs';
import path from 'node:path';

/**
 * Every choice, button and card is built by the cards module (src/bot/cards.ts) from the
 * channel's capabilities, so that a choice is shown once per channel: no other file builds
 * suggested actions, hero cards or Adaptive Cards itself.
 */
function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

it('only src/bot/cards.ts builds choices, buttons and cards', () => {
  const src = path.join(__dirname, '../../src');
  const builders = /\bCardFactory\b|\bMessageFactory\b|suggestedActions|heroCard|adaptiveCard|application\/vnd\.microsoft\.card/;
  const offenders = sourceFiles(src)
    .filter((file) => builders.test(fs.readFileSync(file, 'utf8')))
    .map((file) => path.relative(src, file));
  expect(offenders).toEqual(['bot/cards.ts']);
});
