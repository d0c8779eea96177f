import { containerBootstrap } from '@nlpjs/core';
import { LangEn } from '@nlpjs/lang-en';
import { LangNo } from '@nlpjs/lang-no';
import { Nlp, type NlpInstance } from '@nlpjs/nlp';
import { LANGUAGES, type Language } from '../../domain/language';
import { NONE_INTENT } from '../../domain/understanding';
import { type Classification, foldText } from '../../domain/understandingDecision';
import type { TrainingData } from './trainingData';

/** NLP.js names Norwegian 'no'. */
const NLP_LOCALE: Record<Language, string> = { nb: 'no', en: 'en' };
/** A score at which the other language's model is not asked. */
const SURE = 0.9;
/**
 * Only the start of a message is classified: intents are said in a few words, and NLP.js keeps
 * every text it has prepared for an hour, so this bounds that memory and the time per message.
 */
const MAX_CLASSIFIED_LENGTH = 200;

/**
 * One NLP.js neural classifier per language (with its stemmer and stop words), trained on both
 * languages' utterances so a line in the other language still lands; when the chat language's
 * model is unsure, the other is asked too and the one surer of a real intent wins. Spell
 * checking (one edit per word of 4+ letters against the trained vocabulary) catches typos;
 * folding æ/ø/å catches their absence.
 */
export class NlpjsModel {
  private constructor(private readonly nlp: NlpInstance) {}

  static async create(): Promise<NlpjsModel> {
    const container = containerBootstrap();
    container.registerConfiguration(
      'nlu-??',
      { keepStopwords: true, nonefeatureValue: 1, nonedeltaMultiplier: 1.2, spellCheck: true, spellCheckDistance: 1, filterZeros: true, log: false },
      true,
    );
    container.use(Nlp);
    container.use(LangNo);
    container.use(LangEn);
    const nlp = container.get<NlpInstance>('nlp');
    Object.assign(nlp.settings, { autoSave: false, autoLoad: false, threshold: 0, calculateSentiment: false });
    nlp.addLanguage(LANGUAGES.map((language) => NLP_LOCALE[language]));
    return new NlpjsModel(nlp);
  }

  async train(data: TrainingData): Promise<void> {
    for (const modelLanguage of LANGUAGES) {
      for (const dataLanguage of LANGUAGES) {
        for (const [intent, lines] of Object.entries(data.byLanguage[dataLanguage])) {
          for (const line of lines) this.nlp.addDocument(NLP_LOCALE[modelLanguage], foldText(line), intent);
        }
      }
    }
    await this.nlp.train();
  }

  export(): string {
    return this.nlp.export(true);
  }

  import(model: string): void {
    this.nlp.import(model);
  }

  /**
   * The classes of the more confident language model, best first. The chat language's model is
   * asked first; the other only when the first is not sure of a real intent.
   */
  async classify(text: string, language: Language): Promise<Classification[]> {
    const folded = foldText(text).slice(0, MAX_CLASSIFIED_LENGTH);
    if (!folded) return [{ intent: NONE_INTENT, score: 1 }];
    let best: Classification[] = [];
    let bestScore = -1;
    for (const model of language === 'nb' ? (['nb', 'en'] as const) : (['en', 'nb'] as const)) {
      const result = await this.nlp.process(NLP_LOCALE[model], folded);
      const top = result.classifications.find((c) => c.intent !== NONE_INTENT)?.score ?? 0;
      if (top > bestScore) {
        bestScore = top;
        best = result.classifications.map(({ intent, score }) => ({ intent, score }));
      }
      if (bestScore >= SURE) break;
    }
    return best;
  }
}
