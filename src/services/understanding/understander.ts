import type { Language } from '../../domain/language';
import type { Expectation, Understanding } from '../../domain/understanding';

/**
 * The understanding port: what a message means at a prompt. Dialogs state what the prompt
 * expects and act on the result; they never match strings themselves nor import the library.
 * `language` is the chat's language (it ranks choice phrases); a message in the other language
 * is understood too.
 */
export interface Understander {
  understand(text: string, expectation: Expectation, language: Language): Promise<Understanding>;
}
