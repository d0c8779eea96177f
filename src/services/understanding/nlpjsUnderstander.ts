import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { parseEmail, withAddressSlips } from '../../domain/email';
import { type IntentVocabulary, intentVocabulary, isGrounded } from '../../domain/intentGrounding';
import type { Language } from '../../domain/language';
import { parseLinkCode } from '../../domain/oneTimeCode';
import { parsePlace } from '../../domain/place';
import { macFromQrPayload, parseMacAddress, parsePosition } from '../../domain/station';
import { type Expectation, type Extractors, NONE_INTENT, type Understanding } from '../../domain/understanding';
import { UNDERSTANDING_THRESHOLD, decideUnderstanding, foldText, isFreeTextAnswer, matchExpectedChoice, readWithoutModel } from '../../domain/understandingDecision';
import { parseStatedPassword } from '../../domain/statedPassword';
import { readCachedModel, writeCachedModel } from './modelCache';
import { NlpjsModel } from './nlpjsModel';
import { type TrainingData, readTrainingData } from './trainingData';
import type { Understander } from './understander';

/**
 * Part of the cache key besides the utterance files: the installed NLP.js versions and how the
 * model is trained (bump `v1` when that changes), so a cached model from other code is not used.
 */
const MODEL_FORMAT = [
  ...['@nlpjs/nlp', '@nlpjs/lang-no', '@nlpjs/lang-en'].map((name) => `${name}@${String((require(`${name}/package.json`) as { version?: unknown }).version)}`),
  'both-languages/v1',
].join(' ');

export interface UnderstanderOptions {
  /** The locales/ folder (utterances in <language>/nlu/*.json). */
  localesDir: string;
  /** Where trained models are cached; default a folder in os.tmpdir(). `false`: no cache. */
  cacheDir?: string | false;
  /** Readers of free answers (email, code, region from a place, station, stated password by default); these replace them by kind. */
  extractors?: Extractors;
}

export interface UnderstanderStart {
  understander: Understander;
  /** Where the model came from (`memory`: loaded before in this process) and how long loading took. */
  model: { source: 'cache' | 'trained' | 'memory'; ms: number; key: string };
}

/** The email in a message ("oops, it should be ola@gmail.com"), if exactly one reads as valid. */
function emailInText(text: string): string | undefined {
  const candidates = withAddressSlips(text).split(/[\s,;:<>()"']+/).filter((word) => word.includes('@'));
  const valid = candidates.map((word) => parseEmail(word.replace(/[.!?]+$/, ''))).filter((parse) => parse.ok);
  return valid.length === 1 && valid[0].ok ? valid[0].email : undefined;
}

export const DEFAULT_EXTRACTORS: Extractors = {
  email: (text) => {
    const email = emailInText(text);
    return email ? { kind: 'email', email } : undefined;
  },
  code: (text) => {
    const code = parseLinkCode(text);
    return code ? { kind: 'code', code } : undefined;
  },
  region: (text) => {
    const place = parsePlace(text);
    return place.kind === 'region' ? { kind: 'region', region: place.region } : undefined;
  },
  password: (text) => (parseStatedPassword(text) ? { kind: 'password' } : undefined),
  station: (text) => (parseMacAddress(text).ok || macFromQrPayload(text) || parsePosition(text).ok ? { kind: 'station' } : undefined),
};

class NlpjsUnderstander implements Understander {
  constructor(
    private readonly model: NlpjsModel,
    private readonly extractors: Extractors,
    /** Every training utterance, folded: at a prompt that takes any text, only these (and questions) are read by the model. */
    private readonly knownPhrases: ReadonlySet<string>,
    /** The words each class was trained on: a reading the message shares none of is only a guess. */
    private readonly vocabulary: IntentVocabulary,
  ) {}

  async understand(text: string, expectation: Expectation, language: Language): Promise<Understanding> {
    // a certain reading needs no model (and a password must not reach its caches)
    const choice = matchExpectedChoice(text, expectation, language);
    const certain = readWithoutModel(text, expectation, language, this.extractors, choice);
    if (certain) return certain;
    if (expectation.kinds?.includes('text') && isFreeTextAnswer(text, this.knownPhrases, expectation.notTextAnswer)) {
      // a choice of the prompt with a typo ("englsh") is still that choice
      if (choice && choice.score >= UNDERSTANDING_THRESHOLD) return { kind: 'answer', answer: { kind: 'choice', value: choice.value }, score: choice.score };
      return { kind: 'answer', answer: { kind: 'text' }, score: 1 };
    }
    const classifications = await this.model.classify(text, language);
    const decided = decideUnderstanding(text, expectation, classifications, choice);
    if (decided.kind === 'intent' || decided.kind === 'faq') {
      // the model names some class for any message, often with full confidence; one it shares no word with is offered, not acted on
      const name = decided.kind === 'intent' ? decided.intent : `faq.${decided.question}`;
      if (!isGrounded(text, name, this.vocabulary)) return { kind: 'none', guesses: [decided] };
    }
    return decided;
  }
}

export function defaultModelCacheDir(): string {
  return path.join(os.tmpdir(), 'installer-onboarding-nlu');
}

/** The model cached under this key; a missing or unreadable file is no model. */
async function cachedModel(cacheDir: string, key: string): Promise<{ model: NlpjsModel; source: 'cache' } | undefined> {
  const cached = await readCachedModel(cacheDir, key);
  if (!cached) return undefined;
  try {
    const model = await NlpjsModel.create();
    model.import(cached);
    return { model, source: 'cache' };
  } catch {
    return undefined;
  }
}

async function trainedModel(data: TrainingData, cacheDir: string | false, key: string): Promise<{ model: NlpjsModel; source: 'trained' }> {
  const model = await NlpjsModel.create();
  await model.train(data);
  if (cacheDir) await writeCachedModel(cacheDir, key, model.export());
  return { model, source: 'trained' };
}

/** Models this process has loaded, by key: many apps in one process (the tests) load or train once. */
const loaded = new Map<string, Promise<{ model: NlpjsModel; source: 'cache' | 'trained' | 'memory' }>>();

async function loadModel(data: TrainingData, cacheDir: string | false, key: string): Promise<{ model: NlpjsModel; source: 'cache' | 'trained' }> {
  return (cacheDir && (await cachedModel(cacheDir, key))) || trainedModel(data, cacheDir, key);
}

/**
 * Reads the utterance files, then loads the model cached for exactly these files or trains (and
 * caches) it. With `memo`, a model this process already loaded for the same files is shared.
 */
export async function startUnderstander(options: UnderstanderOptions & { memo?: boolean }): Promise<UnderstanderStart> {
  const started = performance.now();
  const data = await readTrainingData(options.localesDir);
  const key = createHash('sha256').update(MODEL_FORMAT).update(data.hash).digest('hex').slice(0, 32);
  const cacheDir = options.cacheDir === undefined ? defaultModelCacheDir() : options.cacheDir;
  let model: { model: NlpjsModel; source: 'cache' | 'trained' | 'memory' };
  if (options.memo) {
    const known = loaded.get(key);
    if (known) model = { model: (await known).model, source: 'memory' };
    else {
      // a failed load is forgotten, so the next start tries again
      const loading = loadModel(data, cacheDir, key).catch((error: unknown) => {
        loaded.delete(key);
        throw error;
      });
      loaded.set(key, loading);
      model = await loading;
    }
  } else model = await loadModel(data, cacheDir, key);
  const knownPhrases = new Set(
    Object.values(data.byLanguage).flatMap((utterances) => Object.entries(utterances).flatMap(([intent, lines]) => (intent === NONE_INTENT ? [] : lines.map(foldText)))),
  );
  const vocabulary = intentVocabulary(Object.values(data.byLanguage));
  const understander = new NlpjsUnderstander(model.model, { ...DEFAULT_EXTRACTORS, ...options.extractors }, knownPhrases, vocabulary);
  return { understander, model: { source: model.source, ms: performance.now() - started, key } };
}
