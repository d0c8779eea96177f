import fs from 'node:fs';
import path from 'node:path';
import { sourceFiles } from '../helpers/sourceFiles';

/**
 * Every choice, button and card is built by the cards module (src/bot/cards.ts) from the
 * channel's capabilities, so that a choice is shown once per channel: no other file builds
 * suggested actions, hero cards or Adaptive Cards itself.
 */

it('only src/bot/cards.ts builds choices, buttons and cards', () => {
  const src = path.join(__dirname, '../../src');
  const builders = /\bCardFactory\b|\bMessageFactory\b|suggestedActions|heroCard|adaptiveCard|application\/vnd\.microsoft\.card/;
  const offenders = sourceFiles(src)
    .filter((file) => builders.test(fs.readFileSync(file, 'utf8')))
    .map((file) => path.relative(src, file));
  expect(offenders).toEqual(['bot/cards.ts']);
});
