import path from 'node:path';
import { startUnderstander } from '../../src/services/understanding/nlpjsUnderstander';
jest.setTimeout(120000);
it('reads', async () => {
  const { understander } = await startUnderstander({ localesDir: path.join(__dirname, '../../locales'), memo: true });
  const exp = { kinds: ['yesNo' as const], choices: [] };
  const phrases = ['jeg er i Bergen', 'I am in Bergen', 'hjelp meg med språk', 'status hjelp', 'menneske språk', 'takk hei', 'hei takk', 'hjelp takk', 'hva med stasjonen', 'stasjon epost', 'epost status', 'kanskje senere hjelp', 'jeg vet ikke', "I don't know", 'not sure', 'usikker', 'vet ikke helt', 'hmm kanskje', 'maybe later help', 'what about email', 'email status', 'person language', 'help language', 'language help', 'english help', 'norsk hjelp', 'hjelp norsk', 'kan du', 'can you', 'what', 'hva', 'hvorfor', 'why', 'jeg lurer på noe', 'I wonder', 'litt av hvert', 'både og', 'begge deler', 'both', 'ingen av dem', 'neither', 'mer info', 'more info', 'fortell mer', 'tell me more', 'info'];
  for (const l of ['nb', 'en'] as const) for (const t of phrases) {
    const u = await understander.understand(t, exp, l);
    if (u.kind === 'none' && u.guesses.length) console.log(l, t, JSON.stringify(u));
  }
});
