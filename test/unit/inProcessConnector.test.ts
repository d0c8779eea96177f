import type { Activity } from 'botbuilder';
import { claimsInProcessPath, InProcessConnectorClient, isInProcessServiceUrl, type BotSide } from '../../src/web/webchat/inProcessConnector';

/** A channel with one conversation, recording what the bot put into it. */
function fakeChannel(): BotSide & { stream: Array<Partial<Activity>> } {
  const stream: Array<Partial<Activity>> = [];
  return {
    stream,
    get: async (id: string) => (id === 'known' ? { id, userId: 'u-1' } : undefined) as Awaited<ReturnType<BotSide['get']>>,
    fromBot: async (id: string, activity: Partial<Activity>) => {
      if (id !== 'known') return undefined;
      stream.push(activity);
      return `known|${stream.length}`;
    },
    updateFromBot: async (id: string) => id === 'known',
    deleteFromBot: async () => true,
  };
}

describe('the in-process connector of the local Direct Line', () => {
  const serviceUrl = 'http://127.0.0.1:3978/directline/connector';

  it('puts the bot\'s replies and messages into the conversation, with the ids the stream gives', async () => {
    const channel = fakeChannel();
    const client = new InProcessConnectorClient(serviceUrl, channel);
    expect(await client.conversations.replyToActivity('known', 'a-1', { type: 'message', text: 'hei' })).toEqual({ id: 'known|1' });
    expect(await client.conversations.sendToConversation('known', { type: 'message', text: 'igjen' })).toEqual({ id: 'known|2' });
    expect(channel.stream.map((a) => a.text)).toEqual(['hei', 'igjen']);
    expect(await client.conversations.getConversationMembers('known')).toEqual([
      expect.objectContaining({ id: 'u-1', role: 'user' }),
      expect.objectContaining({ role: 'bot' }),
    ]);
  });

  it('fails with status 404 for a conversation it does not know (the notifier then falls back to email)', async () => {
    const client = new InProcessConnectorClient(serviceUrl, fakeChannel());
    await expect(client.conversations.sendToConversation('gone', { type: 'message', text: 'x' })).rejects.toMatchObject({ statusCode: 404 });
    await expect(client.conversations.updateActivity('gone', 'a', { type: 'message' })).rejects.toMatchObject({ statusCode: 404 });
  });

  it('recognizes only its own serviceUrl (loopback, the connector path) as in process', () => {
    expect(isInProcessServiceUrl(serviceUrl)).toBe(true);
    expect(isInProcessServiceUrl('http://127.0.0.1:41000/directline/connector/')).toBe(true);
    for (const other of ['http://10.0.0.1/directline/connector', 'https://127.0.0.1/directline/connector', 'http://127.0.0.1:3978', 'http://127.0.0.1:3978/directline/connectorx', undefined]) {
      expect(isInProcessServiceUrl(other)).toBe(false);
    }
    expect(claimsInProcessPath('http://example.com/directline/connector/v3')).toBe(true);
    expect(claimsInProcessPath('https://smba.trafficmanager.net/emea/')).toBe(false);
  });
});
