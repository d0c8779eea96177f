import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A channel that takes the bot's replies and never answers: the turn that sends them hangs. */
export async function hangingChannel(): Promise<{ serviceUrl: string; arrived: () => number; close: () => Promise<void> }> {
  let arrived = 0;
  const server = http.createServer(() => {
    arrived += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    serviceUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrived: () => arrived,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
