import { fork } from 'node:child_process';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import type { Language } from '../../src/domain/language';
import { localeText } from '../helpers/localeText';
import { LocalizedReplies } from '../helpers/localizedReply';
import type { FuzzReport } from './fuzzRun';
import { promptsOf, SESSIONS } from './fuzzSessions';

/**
 * Over 10,000 generated messages (a seeded generator: the same ones on every run) to every prompt
 * of the chat, in both languages, through the real dialogs and middleware: no turn fails, no
 * promise is left rejected, and every line of every reply, every button and every card text is a
 * locale text of the conversation's language (or the user's input quoted). The loop runs in a
 * child process started with --unhandled-rejections=strict (test/dialogs/fuzzRun.ts): inside jest
 * a process 'unhandledRejection' listener is never called, so only a separate process can tell.
 */

const MESSAGES_PER_SESSION = 190;

interface Run {
  code: number | null;
  report?: FuzzReport;
  stderr: string;
}

function runFuzz(env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, 'fuzzRun.ts'), [], {
      execArgv: ['--unhandled-rejections=strict', '-r', 'ts-node/register/transpile-only'],
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith('fuzz-report '));
      resolve({ code, report: line ? (JSON.parse(line.slice('fuzz-report '.length)) as FuzzReport) : undefined, stderr });
    });
  });
}

describe('the reply check: every line, button and card text is a locale text of the language', () => {
  const replies = new LocalizedReplies();
  const other = (language: Language): Language => (language === 'nb' ? 'en' : 'nb');

  it.each<Language>(['nb', 'en'])('in %s: a localized reply passes; an added sentence, button or card text that is not localized fails', (language) => {
    const question = localeText(language, 'registration:email.question');
    const check = (reply: Partial<Activity>, input = 'x') => replies.problems(reply, input, [language]);
    expect(check({ text: question })).toEqual([]);
    expect(check({ text: `${localeText(language, 'chat:question.pickOne')}\n\n${localeText(language, 'chat:root.startQuestion')}` })).toEqual([]);
    // a variable filled in, and the user's own words quoted back
    expect(check({ text: localeText(language, 'support:queued', { number: 1001, position: 2, minutes: 5 }) })).toEqual([]);
    expect(check({ text: `${question}\n\nkari@@firma .no` }, 'kari@@firma .no')).toEqual([]);

    expect(check({ text: `${question}\n\nSomething went wrong, please try again.` })).toHaveLength(1);
    expect(check({ text: `${question} Please try again later.` })).toHaveLength(1);
    expect(check({ text: localeText(other(language), 'registration:email.question') })).toHaveLength(1);
    expect(check({ text: 'registration:email.question' })).toEqual(['a raw locale key registration:email.question']);
    expect(check({ text: question.replace(/\.$/, '') + ' {{email}}' })).toEqual(['an unrendered {{placeholder}}']);
    const buttons = (titles: string[]) => ({ text: question, suggestedActions: { to: [], actions: titles.map((title) => ({ type: 'imBack', title, value: title })) } });
    expect(check(buttons([localeText(language, 'registration:region.global')]))).toEqual([]);
    expect(check(buttons([localeText(language, 'registration:region.global'), 'Click here to continue']))).toHaveLength(1);
    const card = (text: string) => ({ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text }] } }] });
    expect(check(card(question))).toEqual([]);
    expect(check(card('Please fill in the form below to continue with your registration'))).toHaveLength(1);
  });
});

describe('fuzz: generated messages to every prompt, both languages', () => {
  let run: Run;
  beforeAll(async () => {
    run = await runFuzz({ FUZZ_N: String(MESSAGES_PER_SESSION) });
  }, 400_000);

  it('a promise left rejected in the loop makes the run fail (the check can fire)', async () => {
    const probe = await runFuzz({ FUZZ_N: '1', FUZZ_ONLY: 'language question', FUZZ_PROBE_REJECTION: '1' });
    expect(probe.code).not.toBe(0);
    expect(probe.stderr).toContain('a promise nobody handles (the probe)');
    expect(probe.report).toBeUndefined();
  }, 120_000);

  it(`${SESSIONS.length} sessions × ${MESSAGES_PER_SESSION} messages: no failed turn, no unhandled rejection, every reply localized`, () => {
    expect(SESSIONS.length * MESSAGES_PER_SESSION).toBeGreaterThanOrEqual(10_000);
    expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr.slice(-2000) }).toEqual({ code: 0, stderr: '' });
    const report = run.report!;
    expect(report.failures.slice(0, 20)).toEqual([]);
    expect(report.longestUnderstood).toBeLessThanOrEqual(2000);
    for (const session of SESSIONS) expect({ session: session.name, sent: report.sent[session.name] }).toEqual({ session: session.name, sent: MESSAGES_PER_SESSION });
  });

  it('has a session for every prompt of the dialogs, in both languages (a new dialog without one fails here)', () => {
    const dialogIds = run.report!.dialogIds;
    expect(dialogIds.length).toBeGreaterThanOrEqual(10);
    for (const language of ['nb', 'en'] as const) {
      const covered = new Set(SESSIONS.filter((s) => s.language === language || s.language === undefined).map((s) => s.prompt));
      expect({ language, missing: dialogIds.flatMap(promptsOf).filter((prompt) => !covered.has(prompt)) }).toEqual({ language, missing: [] });
    }
  });
});
