import net from 'node:net';
import { startApp } from '../helpers/appHarness';

/**
 * Stopping the app (SIGTERM on a deploy) must not wait forever for a client that never finishes
 * its request: a phone that lost signal halfway through an upload holds its socket open.
 * Without the bound, stop() never resolves and this test fails on Jest's timeout.
 */
describe('stop with a client that never finishes its request', () => {
  const halfSent = (url: string, path: string, headers: string, firstBytes: string): Promise<net.Socket> =>
    new Promise((resolve, reject) => {
      const { hostname, port } = new URL(url);
      const socket = net.connect(Number(port), hostname, () => {
        socket.write(`POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\n${headers}\r\n${firstBytes}`, () => resolve(socket));
      });
      socket.on('error', () => undefined);
      socket.once('error', reject);
    });

  it.each([
    ['a photo upload', '/station/scan', 'Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 8000000\r\n', '--b\r\nContent-Disposition: form-data; name="photo"; filename="p.png"\r\nContent-Type: image/png\r\n\r\n' + 'B'.repeat(64 * 1024)],
    ['a chat message', '/api/messages', 'Content-Type: application/json\r\nContent-Length: 5000\r\n', '{"type":"message","text":"hei'],
  ])('%s: stop() ends and closes the connection', async (_what, path, headers, firstBytes) => {
    const app = await startApp();
    const socket = await halfSent(app.url, path, headers, firstBytes);
    const closedByServer = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await app.stop();
    await closedByServer;
    expect(socket.destroyed).toBe(true);
  }, 20_000);
});
