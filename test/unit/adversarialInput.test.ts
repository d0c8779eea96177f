import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { adversarialInputs, PARSERS, slowestParser } from '../../bench/parsers';
import { projectRoot } from '../../src/config';
import { foldText, looksLikeQuestion } from '../../src/domain/understandingDecision';
import { type EmailParse, parseEmail } from '../../src/domain/email';
import { type PositionParse, parsePosition } from '../../src/domain/station';
import { parsePlace } from '../../src/domain/place';
import { MAX_TRANSCRIPT_CHARS, redactText } from '../../src/logger';
import type { Choice, Expectation } from '../../src/domain/understanding';
import { startAppUnderstander } from '../../src/services/understanding/appUnderstander';
import { tempDir } from '../helpers/appHarness';

/**
 * Every parser of outside text gets 100 kB of input built to make a backtracking pattern take
 * super-linear time ("1" + 6000 spaces + "x" took the coordinate parser 47 s). Each call runs
 * under a vm timeout, which interrupts a runaway regular expression: a parser that does not
 * answer within the (generous) bound fails the test instead of hanging it.
 */
const BOUND_MS = 10_000;
const INPUTS = adversarialInputs(100_000);

const sandbox = vm.createContext({ run: (): unknown => undefined });
const callRun = new vm.Script('run()');

function answerWithin<T>(what: string, run: () => T): T {
  try {
    sandbox.run = run;
    return callRun.runInContext(sandbox, { timeout: BOUND_MS }) as T;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new Error(`${what}: no answer within ${BOUND_MS / 1000} s`);
    throw error;
  }
}

const byName = (name: string) => PARSERS.find((p) => p.name === name)!;
const input = (name: string) => INPUTS.find((i) => i.name === name)!.text;

const EMAIL_PROBLEMS = ['empty', 'missing_at', 'several_at', 'spaces', 'missing_local', 'missing_domain', 'missing_tld', 'double_dot', 'edge_dot', 'invalid_characters', 'too_long'];
const POSITION_PROBLEMS = ['unreadable', 'out_of_range', 'null_island', 'rough'];
const WELL_FORMED_MAC = /^[0-9A-F]{4}(?::[0-9A-F]{4}){2,3}$/;
const MAC_PROBLEMS = ['empty', 'prose', 'not_hex', 'wrong_length', 'all_zero', 'multicast'];

/** What each parser must answer to input that is 100 kB of junk (no valid address, station, command or choice in it). */
const CONTRACTS: Record<string, (answer: unknown, text: string) => void> = {
  'domain/understandingDecision foldText': (answer) => {
    expect(typeof answer).toBe('string');
    expect(answer as string).not.toMatch(/^\s|\s$|\s\s/);
  },
  'domain/understandingDecision looksLikeQuestion': (answer) => expect(typeof answer).toBe('boolean'),
  'domain/email parseEmail': (answer) => {
    expect(answer).toMatchObject({ ok: false });
    expect(EMAIL_PROBLEMS).toContain((answer as EmailParse & { ok: false }).problem);
  },
  'domain/email maskEmail': (answer, text) => expect((answer as string).length).toBeLessThanOrEqual(text.length + 4),
  // a fix is only ever a well-formed address (junk like "a@a@…" is nobody's typo of a provider)
  'domain/email suggestEmailFix': (answer) => {
    if (answer !== undefined) expect(parseEmail(answer as string)).toMatchObject({ ok: true });
  },
  // the text again, with at most what it had (words joined, whitespace single)
  'domain/email withAddressSlips': (answer, text) => {
    expect(typeof answer).toBe('string');
    expect((answer as string).length).toBeLessThanOrEqual(text.length + 8);
  },
  'domain/understandingDecision isFreeTextAnswer': (answer) => expect(typeof answer).toBe('boolean'),
  'domain/input isTooLong': (answer) => expect(answer).toBe(true),
  'domain/supportHours parseSupportHours': (answer) => expect(answer).toEqual(expect.any(Object)),
  'domain/journey suggestRegion': (answer) => expect(answer).toBe('global'),
  'domain/language languageFromLocale': (answer) => expect(answer).toBeUndefined(),
  'domain/language languageFromAcceptLanguage': (answer) => expect(answer).toBeUndefined(),
  // a place is a few words ("I'm in Manchester, UK"): 100 kB is never read
  'domain/place parsePlace': (answer) => expect(answer).toEqual({ kind: 'unknown' }),
  // the invitation page's name and company: too long or missing, or (junk that is mostly blanks) a short tidy text
  'domain/accountSetup parseAccountSetup': (answer) => {
    const parsed = answer as { ok: true; account: Record<string, string> } | { ok: false; problems: Array<{ field: string; code: string }> };
    if (parsed.ok) {
      for (const value of Object.values(parsed.account)) {
        expect([...value].length).toBeLessThanOrEqual(100);
        expect(value).not.toMatch(/^\s|\s$|\s\s/);
      }
    } else {
      expect(parsed.problems.map((p) => p.field)).toEqual(['firstName', 'lastName', 'company']);
      for (const problem of parsed.problems) expect(['too_long', 'required']).toContain(problem.code);
    }
  },
  // a profile field is a few words: 100 kB is refused as too long, before any pattern reads it
  'domain/profileFields parseField': (answer) => expect(answer).toEqual(Array(7).fill({ ok: false, problem: 'tooLong' })),
  'domain/profileFields parsePhone': (answer) => expect(answer).toEqual({ ok: false, problem: 'invalid' }),
  'domain/profileFields parsePostalCode': (answer) => expect(answer).toEqual({ ok: false, problem: 'unreadable' }),
  'domain/profileFields parsePreferredLanguage': (answer) => expect(answer).toEqual({ ok: false, problem: 'unknown' }),
  'domain/passwordPolicy checkPassword': (answer, text) =>
    expect(answer).toContainEqual({ field: 'password', code: text.trim() === '' ? 'required' : 'too_long' }),
  'domain/station parseMacAddress': (answer) => {
    expect(answer).toMatchObject({ ok: false });
    expect(MAC_PROBLEMS).toContain((answer as { problem: string }).problem);
  },
  // "0a-0a-0a-…" does start with a well-formed address
  'domain/station macFromQrPayload': (answer) => (answer === undefined ? undefined : expect(answer).toMatch(WELL_FORMED_MAC)),
  'domain/station parsePosition': (answer) => {
    const parsed = answer as PositionParse;
    if (parsed.ok) {
      // junk like "1, 1, 1, …" does start with a coordinate pair: it must be a real one
      expect(Math.abs(parsed.position.latitude)).toBeLessThanOrEqual(90);
      expect(Math.abs(parsed.position.longitude)).toBeLessThanOrEqual(180);
    } else {
      expect(POSITION_PROBLEMS).toContain(parsed.problem);
    }
  },
  'logger redactText': (answer) => {
    const words = (answer as string).split(/\s+/);
    expect(words.filter((w) => /[\p{L}\p{N}._+%-](?:@|%40)/u.test(w))).toEqual([]);
    expect(answer as string).not.toMatch(/[A-Za-z0-9_.-]{40,}/);
    expect((answer as string).match(/[A-Za-z0-9_.-]{24,}/g)?.filter((run) => /\d/.test(run)) ?? []).toEqual([]);
  },
  'logger transcriptText': (answer) => expect((answer as string).length).toBeLessThanOrEqual(MAX_TRANSCRIPT_CHARS + 40),
  'logger loggableId': (answer) => expect((answer as string).length).toBeLessThanOrEqual(100),
  "domain/understandingDecision matchChoice (the questions' choices)": (answer) => expect(answer).toEqual([undefined, undefined, undefined, undefined]),
  'web identifyTypedCode': (answer) => {
    const identified = answer as { mac?: string };
    if (identified.mac !== undefined) expect(identified.mac).toMatch(WELL_FORMED_MAC);
    else expect(answer).toMatchObject({ problem: { field: 'code' } });
  },
  // a code is exactly six digits, wherever they stand; 100 kB is never read
  'domain/oneTimeCode parseLinkCode': (answer) => expect(answer).toBeUndefined(),
  // a 100 kB message is not someone telling their password: never read
  'domain/statedPassword parseStatedPassword': (answer) => expect(answer).toBeUndefined(),
  'web readPosition': (answer) => expect(answer).toMatchObject({ ok: false }),
  'web formField / languageField': (answer, text) => expect(answer).toEqual([text, undefined]),
  'web messageFromName (page path)': (answer) => expect(answer).toBeUndefined(),
  'web escapeHtml (a field shown again)': (answer) => expect(answer as string).not.toMatch(/[<>"'`]/),
};

describe('100 kB of adversarial input to every parser', () => {
  it('the inputs include the known slow ones and generated runs of spaces, digits, "<", "@", ".", ":", "-" and mixes', () => {
    expect(INPUTS.length).toBeGreaterThan(90);
    for (const { text } of INPUTS) expect(text.length).toBe(100_000);
    const names = INPUTS.map((i) => i.name);
    for (const unit of [' ', '1', '<', '@', '.', ':', '-']) expect(names).toContain(`${JSON.stringify(unit)} repeated`);
    expect(names.filter((n) => n.startsWith('random mix'))).toHaveLength(4);
  });

  it('every exported parse/normalise/recognise function of src/domain is among the parsers', () => {
    const dir = path.join(projectRoot(), 'src', 'domain');
    const readers = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((file) => [...fs.readFileSync(path.join(dir, file), 'utf8').matchAll(/^export function (\w+)/gm)].map((m) => `domain/${file.replace(/\.ts$/, '')} ${m[1]}`))
      .filter((name) => / (?:parse|normali[sz]e|recogni[sz]e|macFrom|languageFrom)/.test(name));
    expect(readers.length).toBeGreaterThanOrEqual(8);
    expect(readers.filter((name) => !PARSERS.some((p) => p.name === name))).toEqual([]);
  });

  it('every parser has a contract here', () => {
    expect(PARSERS.map((p) => p.name).sort()).toEqual(Object.keys(CONTRACTS).sort());
  });

  it.each(PARSERS.map((p) => [p.name]))('%s answers every input, and the answer is right', (name) => {
    const parser = byName(name);
    for (const { name: inputName, text } of INPUTS) {
      const answer = answerWithin(`${name} on ${inputName}`, () => parser.parse(text));
      try {
        CONTRACTS[name]!(answer, text);
      } catch (error) {
        throw new Error(`${name} on ${inputName}: ${(error as Error).message}`);
      }
    }
  }, 120_000);

  it('the understanding (the trained nlp.js model) answers every input, at a question with choices, one taking any text, and one with neither', async () => {
    const { understander } = await startAppUnderstander(tempDir('adversarial-nlu-'));
    const yesNo: Choice = { value: 'yes', utterances: { nb: ['ja'], en: ['yes'] } };
    const expectations: Expectation[] = [{ choices: [yesNo], kinds: ['yesNo'] }, { kinds: ['text'] }, {}];
    const kinds = ['answer', 'intent', 'faq', 'none'];
    for (const { name, text } of INPUTS) {
      for (const [i, expectation] of expectations.entries()) {
        const started = performance.now();
        const answer = await understander.understand(text, expectation, i === 1 ? 'en' : 'nb');
        const ms = performance.now() - started;
        expect({ input: name, expectation: i, kind: kinds.includes(answer.kind), slow: ms > BOUND_MS ? ms : false }).toEqual({ input: name, expectation: i, kind: true, slow: false });
      }
    }
  }, 600_000);

  it('the known slow inputs get their plain answers', () => {
    const coordinates = input('coordinates: "1" + spaces + "x"');
    expect(answerWithin('coordinates', () => parsePosition(coordinates))).toEqual({ ok: false, problem: 'unreadable' });
    expect(answerWithin('coordinates in 20,000 (Direct Line)', () => parsePosition('1' + ' '.repeat(19_998) + 'x'))).toEqual({ ok: false, problem: 'unreadable' });
    expect(answerWithin('email <<<', () => parseEmail(input('email: "<" repeated')))).toEqual({ ok: false, problem: 'empty' });
    expect(answerWithin('email a...x', () => parseEmail(input('email: "a" + dots + "x"')))).toEqual({ ok: false, problem: 'missing_at' });
    expect(answerWithin('email ola@firma.no!!!x', () => parseEmail(input('email: word + closing punctuation + "x"')))).toEqual({ ok: false, problem: 'too_long' });
    expect(answerWithin('redaction aaa', () => redactText(input('redaction: one long word')))).toBe('[redacted]');
    expect(answerWithin('redaction a.a.@', () => redactText(input('redaction: word characters + "@"')))).toBe('[email]');
    expect(answerWithin('redaction password', () => redactText(input('redaction: "password" + spaces')))).toBe(input('redaction: "password" + spaces'));
    // a password word before every other word: each is read with at most a few words after it
    const talk = 'passordet funker ikke på siden '.repeat(3_000);
    expect(answerWithin('redaction password talk', () => redactText(`${talk}passordet er sommerfugl`))).toBe(`${talk}passordet [redacted]`);
    expect(answerWithin('redaction password commas', () => redactText('password ,'.repeat(10_000)))).toBe('password [redacted]');
    expect(answerWithin('question', () => looksLikeQuestion(' '.repeat(50_000) + 'what is this' + ' '.repeat(50_000)))).toBe(true);
    expect(answerWithin('fold', () => foldText('!'.repeat(100_000) + 'x'))).toBe('x');
    expect(answerWithin('place', () => parsePlace('Oslo '.repeat(20_000)))).toEqual({ kind: 'unknown' });
  });

  it('a 10 MB message is redacted (it froze the app for over 10 minutes)', () => {
    const post = 'ola.nordmann'.repeat(10 * 1024 * 1024 / 12) + '@firma.no my password is hunter2 ' + 'a'.repeat(1000);
    const redacted = answerWithin('10 MB redaction', () => redactText(post));
    expect(redacted).toBe('[email] my password [redacted]');
  }, 60_000);

  it('the parsers still read what people type', () => {
    expect(parsePosition('59,9139 10,7522')).toEqual({ ok: true, position: { latitude: 59.9139, longitude: 10.7522 } });
    expect(parsePosition('59.9139,10.7522')).toEqual({ ok: true, position: { latitude: 59.9139, longitude: 10.7522 } });
    expect(parsePosition('59.9139 ;  10.7522')).toEqual({ ok: true, position: { latitude: 59.9139, longitude: 10.7522 } });
    expect(parsePosition('59,9139,   10,7522')).toEqual({ ok: true, position: { latitude: 59.9139, longitude: 10.7522 } });
    expect(parseEmail('<a href="mailto:ola@firma.no">ola@firma.no</a>')).toEqual({ ok: true, email: 'ola@firma.no', id: 'ola@firma.no' });
    expect(parseEmail('«Ola@Firma.NO».')).toEqual({ ok: true, email: 'Ola@firma.no', id: 'ola@firma.no' });
    expect(parseEmail('<<ola@firma.no>')).toEqual({ ok: true, email: 'ola@firma.no', id: 'ola@firma.no' });
    expect(parseEmail('Ola Nordmann <ola@firma.no>')).toEqual({ ok: true, email: 'ola@firma.no', id: 'ola@firma.no' });
    expect(parseEmail('<at>Bot</at> ola@firma.no<br/>')).toEqual({ ok: true, email: 'ola@firma.no', id: 'ola@firma.no' });
  });

  it('slowestParser (for npm run bench) names a parser, the input and a time', () => {
    const slowest = answerWithin('slowestParser', () => slowestParser(2_000));
    expect(PARSERS.map((p) => p.name)).toContain(slowest.name);
    expect(adversarialInputs(2_000).map((i) => i.name)).toContain(slowest.input);
    expect(slowest.ms).toBeGreaterThanOrEqual(0);
  });
});
