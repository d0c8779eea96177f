import { createHash, randomUUID } from 'node:crypto';
import { parseEmail } from '../../domain/email';
import { hashPassword, verifyPassword } from '../installers/passwordHasher';
import type { DocumentStore } from '../store/documentStore';
import type { Agent } from './supportDesk';

/** Agents choose long passwords: the console can change what installers' accounts hold. */
export const AGENT_PASSWORD_MIN_LENGTH = 12;

/** One support agent's account (created by `npm run agent:add`). */
interface AgentAccountRecord {
  id: string;
  email: string;
  firstName: string;
  /** scrypt, as for installers (passwordHasher). */
  passwordHash: string;
  createdAt: string;
  updatedAt: string;
}

export type AddAgentResult = { kind: 'created' | 'updated'; agent: Agent } | { kind: 'invalid'; field: 'email' | 'firstName' | 'password' };

/** Verified against when no account has the email, so a wrong email takes as long as a wrong password. */
let decoyHash: Promise<string> | undefined;

/** The store key: a hash of the normalized email (no address in key listings). */
function keyOf(emailId: string): string {
  return `agent-accounts/${createHash('sha256').update(emailId).digest('base64url')}`;
}

/** Support agents' accounts in the store: email (normalized), first name, scrypt password hash. */
export class AgentAccounts {
  constructor(private readonly store: DocumentStore) {}

  /** Creates the account, or replaces the first name and password of an existing one (same id). */
  async add(input: { email: string; firstName: string; password: string }): Promise<AddAgentResult> {
    const email = parseEmail(input.email);
    if (!email.ok) return { kind: 'invalid', field: 'email' };
    const firstName = input.firstName.trim();
    if (firstName === '' || firstName.length > 60 || /[\u0000-\u001f<>]/.test(firstName)) return { kind: 'invalid', field: 'firstName' };
    if ([...input.password].length < AGENT_PASSWORD_MIN_LENGTH) return { kind: 'invalid', field: 'password' };
    const key = keyOf(email.id);
    const passwordHash = await hashPassword(input.password);
    const now = new Date().toISOString();
    for (;;) {
      const current = await this.store.get<AgentAccountRecord>(key);
      const record: AgentAccountRecord = current
        ? { ...current.value, firstName, passwordHash, updatedAt: now }
        : { id: randomUUID(), email: email.id, firstName, passwordHash, createdAt: now, updatedAt: now };
      if (current) {
        try {
          await this.store.put(key, record, { etag: current.etag });
        } catch {
          continue; // changed meanwhile: read again
        }
      } else if ((await this.store.create(key, record)) === undefined) continue;
      return { kind: current ? 'updated' : 'created', agent: { id: record.id, firstName } };
    }
  }

  /** The agent when email and password match; undefined otherwise (which part was wrong is not told). */
  async verify(emailInput: string, password: string): Promise<Agent | undefined> {
    const email = parseEmail(emailInput);
    const record = email.ok ? (await this.store.get<AgentAccountRecord>(keyOf(email.id)))?.value : undefined;
    if (!record) {
      decoyHash ??= hashPassword('decoy password that nobody has');
      await verifyPassword(password, await decoyHash);
      return undefined;
    }
    return (await verifyPassword(password, record.passwordHash)) ? { id: record.id, firstName: record.firstName } : undefined;
  }
}
