/** The small part of NLP.js v4 (which ships no types) that the understanding adapter uses. */
declare module '@nlpjs/core' {
  export interface Container {
    use(plugin: unknown): void;
    get<T = unknown>(name: string): T;
    registerConfiguration(tag: string, settings: Record<string, unknown>, overwrite?: boolean): void;
  }
  export function containerBootstrap(settings?: Record<string, unknown>): Container;
}

declare module '@nlpjs/nlp' {
  export interface NlpClassification {
    intent: string;
    score: number;
  }
  export interface NlpResult {
    locale: string;
    intent: string;
    score: number;
    classifications: NlpClassification[];
  }
  export interface NlpInstance {
    settings: Record<string, unknown>;
    addLanguage(locales: string | string[]): void;
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<void>;
    process(locale: string, utterance: string): Promise<NlpResult>;
    export(minified?: boolean): string;
    import(data: string): void;
  }
  export const Nlp: unknown;
}

declare module '@nlpjs/lang-no' {
  export const LangNo: unknown;
}

declare module '@nlpjs/lang-en' {
  export const LangEn: unknown;
}
