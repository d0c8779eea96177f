import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/config';
import type { Choice, Expectation, Understanding } from '../../src/domain/understanding';
import { decideUnderstanding, foldText, matchChoice } from '../../src/domain/understandingDecision';
import { modelCacheFile } from '../../src/services/understanding/modelCache';
import { startUnderstander } from '../../src/services/understanding/nlpjsUnderstander';
import type { Understander } from '../../src/services/understanding/understander';

/** The understanding port as a dialog will use it: a prompt's expectation in, one reading out. */
const localesDir = path.join(projectRoot(), 'locales');

const REGION_CHOICES: Choice[] = [
  { value: 'global', utterances: { nb: ['Europa / Storbritannia', 'europa', 'norge', 'uk'], en: ['Europe / UK', 'europe', 'norway', 'uk'] } },
  { value: 'na', utterances: { nb: ['Nord-Amerika', 'usa', 'canada'], en: ['North America', 'usa', 'canada'] } },
];
const PROMPTS = {
  YES_NO: { kinds: ['yesNo'] },
  EMAIL: { kinds: ['email'] },
  CODE: { kinds: ['code'] },
  REGION: { choices: REGION_CHOICES },
} satisfies Record<string, Expectation>;
const { YES_NO, EMAIL } = PROMPTS;

let understander: Understander;

beforeAll(async () => {
  ({ understander } = await startUnderstander({ localesDir, cacheDir: false }));
}, 60_000);

const summary = (u: Understanding) => {
  switch (u.kind) {
    case 'answer':
      return { answer: u.answer };
    case 'intent':
      return { intent: u.intent };
    case 'faq':
      return { faq: u.question };
    case 'none':
      return { none: true };
  }
};

describe('text folding', () => {
  it('folds æ/ø/å and their absence alike, drops punctuation and shortens drawn-out letters', () => {
    expect(foldText('Har ikke fått noen e-post!!')).toBe(foldText('har ikke fatt noen e post'));
    expect(foldText('Språk på NORSK, takk')).toBe('sprak pa norsk takk');
    expect(foldText('Første')).toBe(foldText('forste'));
    expect(foldText('Hæ?')).toBe('hae');
    expect(foldText('neeeei')).toBe('neei');
  });
});

describe('choices', () => {
  it.each([
    ['2', 'nb', 'na'],
    ['1', 'en', 'global'],
    ['Nord-Amerika', 'nb', 'na'],
    ['nord amerika', 'nb', 'na'],
    ['nordamerka', 'nb', 'na'],
    ['Europe / UK', 'nb', 'global'],
    ['north america', 'nb', 'na'],
    ['europa takk', 'nb', 'global'],
    ['i am in canada', 'en', 'na'],
  ])('"%s" (chat in %s) picks %s', (text, language, value) => {
    expect(matchChoice(text, REGION_CHOICES, language as 'nb' | 'en')?.value).toBe(value);
  });

  it('a number out of range or an unrelated word picks nothing', () => {
    expect(matchChoice('3', REGION_CHOICES, 'nb')).toBeUndefined();
    expect(matchChoice('kaffe', REGION_CHOICES, 'nb')).toBeUndefined();
  });

  describe('a choice that takes typos in its words (wordTypos)', () => {
    const same = (wordTypos: boolean): Choice[] => [{ value: 'same', utterances: { nb: ['samme sted', 'samme som forrige'], en: ['same spot'] }, wordTypos }];

    it.each([
      ['same som forrige', 'nb'],
      ['samme som forige', 'nb'],
      ['same sted som forrige', 'nb'],
      ['sme spot', 'en'],
      ['i am at the same spott', 'en'],
    ])('"%s" names it surely (one typo in a word of 4+ letters, alone or within the message)', (text, language) => {
      expect(matchChoice(text, same(true), language as 'nb' | 'en')).toEqual({ value: 'same', score: 0.9 });
      // without it, a typo is only a guess the model may outscore
      expect(matchChoice(text, same(false), language as 'nb' | 'en')?.score ?? 0).toBeLessThan(0.9);
    });

    it.each(['samme', 'same sd', 'sammen stedet', 'samme so forrige'])('"%s" does not (one word, two typos in a word, or a typo in a short word)', (text) => {
      expect(matchChoice(text, same(true), 'nb')?.score ?? 0).toBeLessThan(0.9);
    });
  });
});

describe('two readings about as likely', () => {
  const classify = (status: number, help: number) => [
    { intent: 'status', score: status },
    { intent: 'help', score: help },
    { intent: 'None', score: 0.01 },
  ];

  it('neither sure and close ("status eller hjelp"): neither is taken, both are offered, best first', () => {
    expect(decideUnderstanding('status eller hjelp', {}, classify(0.53, 0.46), undefined)).toEqual({
      kind: 'none',
      guesses: [
        { kind: 'intent', intent: 'status', score: 0.53 },
        { kind: 'intent', intent: 'help', score: 0.46 },
      ],
    });
  });

  it.each([
    [0.53, 0.3], // far apart
    [0.7, 0.62], // close, but the best is sure enough alone
  ])('best %s, runner-up %s: the best is taken', (best, runnerUp) => {
    expect(decideUnderstanding('status', {}, classify(best, runnerUp), undefined)).toEqual({ kind: 'intent', intent: 'status', score: best });
  });
});

describe('understanding at a prompt', () => {
  it.each<[string, keyof typeof PROMPTS, 'nb' | 'en', ReturnType<typeof summary>]>([
    ['ja la oss kjøre', 'YES_NO', 'nb', { answer: { kind: 'yesNo', yes: true } }],
    ['jepp', 'YES_NO', 'nb', { answer: { kind: 'yesNo', yes: true } }],
    ['go ahead', 'YES_NO', 'nb', { answer: { kind: 'yesNo', yes: true } }],
    ['nei takk', 'YES_NO', 'en', { answer: { kind: 'yesNo', yes: false } }],
    ['not now', 'YES_NO', 'nb', { answer: { kind: 'yesNo', yes: false } }],
    ['oops, it should be ola.nordmann@gmail.com', 'EMAIL', 'en', { answer: { kind: 'email', email: 'ola.nordmann@gmail.com' } }],
    ['eposten min er kari@firma.no', 'EMAIL', 'nb', { answer: { kind: 'email', email: 'kari@firma.no' } }],
    ['koden er 123 456', 'CODE', 'nb', { answer: { kind: 'code', code: '123456' } }],
    ['Nord-Amerika', 'REGION', 'nb', { answer: { kind: 'choice', value: 'na' } }],
    ['jeg er i usa', 'REGION', 'nb', { answer: { kind: 'choice', value: 'na' } }],
    ['jeg er i usa', 'YES_NO', 'nb', { intent: 'changeRegion' }],
    ['har ikke fatt noen epost', 'EMAIL', 'nb', { intent: 'didntGetEmail' }],
    ['fikk ikke koden', 'CODE', 'nb', { intent: 'newCode' }],
    ['hjelp', 'REGION', 'nb', { intent: 'help' }],
    ['?', 'EMAIL', 'en', { intent: 'help' }],
    ['bytt språk', 'YES_NO', 'nb', { intent: 'language' }],
    ['ny stasjon', 'YES_NO', 'nb', { intent: 'onSite' }],
    ['can we do this in english', 'YES_NO', 'nb', { intent: 'language.en' }],
    ['norsk igjen takk', 'YES_NO', 'en', { intent: 'language.nb' }],
    ['bytt sprak til engelsk', 'EMAIL', 'nb', { intent: 'language.en' }],
    ['kan jeg snakke med et mennske', 'REGION', 'nb', { intent: 'human' }],
    ['where do i find the mac address', 'YES_NO', 'nb', { faq: 'macAddress' }],
    ['hvor finner jeg qr koden', 'REGION', 'en', { faq: 'qrCode' }],
    ['whats the weather like', 'YES_NO', 'en', { none: true }],
    ['hva koster en chargepoint lader', 'YES_NO', 'nb', { none: true }],
  ])('"%s" at a %s prompt (chat in %s) → %j', async (text, prompt, language, expected) => {
    expect(summary(await understander.understand(text, PROMPTS[prompt], language))).toEqual(expected);
  });

  it('yes or no at a prompt that does not ask for it is not taken as an answer', async () => {
    const result = await understander.understand('ja', EMAIL, 'nb');
    expect(result.kind).toBe('none');
  });

  it('an email at a prompt that does not ask for one is not taken as an answer', async () => {
    const result = await understander.understand('ola@gmail.com', YES_NO, 'en');
    expect(result.kind === 'answer' && result.answer.kind === 'email').toBe(false);
  });

  it('a miss offers at most the two best guesses, best first, with scores', async () => {
    const result = await understander.understand('hvor kan jeg kjøpe kaffe', YES_NO, 'nb');
    expect(result.kind).toBe('none');
    if (result.kind !== 'none') return;
    expect(result.guesses.length).toBeLessThanOrEqual(2);
    const scores = result.guesses.map((g) => g.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('a region extractor given to the adapter answers a region prompt', async () => {
    const { understander: withRegion } = await startUnderstander({
      localesDir,
      cacheDir: false,
      extractors: { region: (text) => (/texas/i.test(text) ? { kind: 'region', region: 'na' } : undefined) },
    });
    expect(await withRegion.understand("I'm in Texas", { kinds: ['region'] }, 'en')).toEqual({ kind: 'answer', answer: { kind: 'region', region: 'na' }, score: 1 });
  }, 60_000);
});

describe('model cache', () => {
  let dir: string;
  let cacheDir: string;
  const write = (language: string, intents: Record<string, string[]>) => {
    fs.mkdirSync(path.join(dir, language, 'nlu'), { recursive: true });
    fs.writeFileSync(path.join(dir, language, 'nlu', 'small.json'), JSON.stringify(intents));
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nlu-cache-test-'));
    cacheDir = path.join(dir, 'cache');
    write('nb', { help: ['hjelp', 'hjelp meg'], cancel: ['avbryt', 'stopp'] });
    write('en', { help: ['help', 'help me'], cancel: ['cancel', 'stop'] });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('trains on a cold start, loads the cached model next time, and trains again when a training file changes', async () => {
    const cold = await startUnderstander({ localesDir: dir, cacheDir });
    expect(cold.model.source).toBe('trained');
    expect(fs.existsSync(modelCacheFile(cacheDir, cold.model.key))).toBe(true);
    expect(fs.readdirSync(cacheDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const warm = await startUnderstander({ localesDir: dir, cacheDir });
    expect(warm.model).toMatchObject({ source: 'cache', key: cold.model.key });
    expect(summary(await warm.understander.understand('avbryt', YES_NO, 'nb'))).toEqual({ intent: 'cancel' });

    write('en', { help: ['help', 'help me', 'i need help'], cancel: ['cancel', 'stop'] });
    const changed = await startUnderstander({ localesDir: dir, cacheDir });
    expect(changed.model.source).toBe('trained');
    expect(changed.model.key).not.toBe(cold.model.key);
  });

  it('a damaged cache file is ignored: the model is trained again', async () => {
    const cold = await startUnderstander({ localesDir: dir, cacheDir });
    fs.writeFileSync(modelCacheFile(cacheDir, cold.model.key), '{"not a model');
    const again = await startUnderstander({ localesDir: dir, cacheDir });
    expect(again.model.source).toBe('trained');
    expect(summary(await again.understander.understand('help me', YES_NO, 'en'))).toEqual({ intent: 'help' });
  });

  it('an unknown intent name in a training file is an error that names the file', async () => {
    write('nb', { hjelp: ['hjelp'] });
    await expect(startUnderstander({ localesDir: dir, cacheDir })).rejects.toThrow('nb/nlu/small.json: unknown intent "hjelp"');
  });
});
