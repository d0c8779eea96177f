/**
 * Creates a support agent's account for the console at /agent (or sets a new first name and
 * password for an existing email), in the store the app uses (DATA_URL / DATA_DIR as for the app):
 *
 *   npm run agent:add
 *
 * It asks for the email address, the first name (shown to installers: "Kari has joined") and the
 * password (typed twice, never echoed). The password is never an argument or an environment
 * variable (it would be in the shell history and the process list). Without a terminal it reads
 * three lines from stdin: email, first name, password (e.g. from a password manager's pipe).
 */
import { Writable } from 'node:stream';
import readline from 'node:readline';
import { loadConfig } from '../src/config';
import { AGENT_PASSWORD_MIN_LENGTH, AgentAccounts, type AddAgentResult } from '../src/services/support/agentAccounts';
import type { DocumentStore } from '../src/services/store/documentStore';
import { openDocumentStore } from '../src/services/store/keyvDocumentStore';

export interface AgentInput {
  email: string;
  firstName: string;
  password: string;
}

/** Stores the account; returns the line the command prints (no password, no full email). */
export async function addAgent(store: DocumentStore, input: AgentInput): Promise<{ result: AddAgentResult; message: string }> {
  const result = await new AgentAccounts(store).add(input);
  if (result.kind === 'invalid') {
    const why = {
      email: 'that is not a valid email address',
      firstName: 'the first name is empty or too long',
      password: `the password must have at least ${AGENT_PASSWORD_MIN_LENGTH} characters`,
    }[result.field];
    return { result, message: `agent:add: not saved: ${why}` };
  }
  return { result, message: `agent:add: ${result.kind === 'created' ? 'created' : 'updated'} the account of ${result.agent.firstName}; sign in at /agent` };
}

/** Reads the three answers from a terminal (password hidden, asked twice) or from piped lines. */
export async function readAgentInput(input: NodeJS.ReadableStream & { isTTY?: boolean }, output: NodeJS.WritableStream): Promise<AgentInput> {
  // the terminal's echo of what is typed: shown for the first two answers (email, first name),
  // never from the third line on (the password, even typed ahead before its question)
  let linesTyped = 0;
  const shown = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (linesTyped < 2) output.write(chunk);
      callback();
    },
  });
  const rl = readline.createInterface({ input, output: shown, terminal: input.isTTY === true });
  const lines: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  rl.on('line', (line) => {
    linesTyped += 1;
    const next = waiting.shift();
    if (next) next(line);
    else lines.push(line);
  });
  let closed = false;
  rl.once('close', () => {
    closed = true;
    for (const next of waiting.splice(0)) next('');
  });
  const ask = (prompt: string, hidden = false): Promise<string> => {
    if (input.isTTY) output.write(prompt);
    return new Promise<string>((resolve) => {
      const ready = lines.shift();
      if (ready !== undefined) resolve(ready);
      else if (closed) resolve('');
      else waiting.push(resolve);
    }).then((answer) => {
      if (hidden && input.isTTY) output.write('\n');
      return answer;
    });
  };
  try {
    const email = (await ask('Email address: ')).trim();
    const firstName = (await ask('First name (shown to installers): ')).trim();
    const password = await ask('Password: ', true);
    if (input.isTTY && (await ask('Password again: ', true)) !== password) throw new Error('the two passwords differ; nothing saved');
    return { email, firstName, password };
  } finally {
    rl.close();
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const answers = await readAgentInput(process.stdin, process.stdout);
  const store = await openDocumentStore(config.DATA_URL);
  try {
    const { result, message } = await addAgent(store, answers);
    console.log(message);
    if (result.kind === 'invalid') process.exitCode = 1;
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error('agent:add: ' + (error instanceof Error ? error.message : String(error)));
    process.exitCode = 1;
  });
}
