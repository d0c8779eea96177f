/*
 * The anchor of the benchmark: a bare Bot Framework echo bot (botbuilder CloudAdapter, anonymous,
 * on restify), the smallest bot the SDK can run. `node dist/bench/echoBot.js` serves it on $PORT.
 */
import type { AddressInfo } from 'node:net';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication, MessageFactory } from 'botbuilder';
import restify from 'restify';

export interface EchoBot {
  url: string;
  close(): Promise<void>;
}

export async function startEchoBot(port = 0, host = '127.0.0.1'): Promise<EchoBot> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity(MessageFactory.text(`Echo: ${context.activity.text ?? ''}`));
    await next();
  });
  const server = restify.createServer();
  server.use(restify.plugins.bodyParser());
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  server.get('/readyz', async (_req, res) => {
    res.json(200, { status: 'ready' });
  });
  await new Promise<void>((resolve) => server.listen(port, host, () => resolve()));
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (require.main === module) {
  startEchoBot(Number(process.env.PORT ?? 3979)).then(
    (bot) => {
      const stop = () => void bot.close().then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    },
    (error: unknown) => {
      process.stderr.write(`echo bot failed to start: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
