import type { Activity, TurnContext } from 'botbuilder';
import { OnboardingAdapter } from '../../src/web/inProcessAdapter';

/** The adapter keeps a turn's ConnectorClient and UserTokenClient for the next turn with the same serviceUrl (no HTTP is made here). */
/** Runs a turn the way CloudAdapter.process does once the request is read (anonymous: no auth header). */
class ProbeAdapter extends OnboardingAdapter {
  runTurn(activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<unknown> {
    return this.processActivity('', activity, logic);
  }
}

describe('connector clients reused across turns', () => {
  const adapter = new ProbeAdapter({});
  const activity = (serviceUrl: string, id: string) =>
    ({
      type: 'message',
      id,
      text: 'hei',
      channelId: 'emulator',
      serviceUrl,
      conversation: { id: 'c' },
      from: { id: 'user' },
      recipient: { id: 'bot' },
    }) as Activity;

  async function clientsOf(serviceUrl: string, id: string): Promise<[unknown, unknown]> {
    let clients: [unknown, unknown] = [undefined, undefined];
    await adapter.runTurn(activity(serviceUrl, id), async (context) => {
      clients = [context.turnState.get(adapter.ConnectorClientKey), context.turnState.get(adapter.UserTokenClientKey)];
    });
    return clients;
  }

  it('uses the same clients for the same serviceUrl, and another connector for another serviceUrl', async () => {
    const [connector, tokens] = await clientsOf('http://127.0.0.1:3978', '1');
    expect(connector).toBeDefined();
    expect(tokens).toBeDefined();
    const [again, tokensAgain] = await clientsOf('http://127.0.0.1:3978', '2');
    expect(again).toBe(connector);
    expect(tokensAgain).toBe(tokens);
    const [other, otherTokens] = await clientsOf('http://127.0.0.1:3999', '3');
    expect(other).not.toBe(connector);
    expect(otherTokens).toBe(tokens);
  });
});
