import net from 'node:net';

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || defaultPort) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/**
 * Probes Redis and PostgreSQL once for the whole run. Suites that need them read
 * TEST_REDIS_URL / TEST_DATABASE_URL and are skipped (with this printed reason) when empty.
 * With REQUIRE_SERVICES=1 (set by .ci/run) an unreachable service fails the run instead.
 */
export default async function globalSetup(): Promise<void> {
  const services = [
    { name: 'Redis', variable: 'REDIS_URL', url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0', port: 6379, out: 'TEST_REDIS_URL' },
    { name: 'PostgreSQL', variable: 'DATABASE_URL', url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', port: 5432, out: 'TEST_DATABASE_URL' },
  ];
  for (const service of services) {
    if (await reachable(service.url, service.port)) {
      process.env[service.out] = service.url;
    } else {
      process.env[service.out] = '';
      const message = `${service.name} is not reachable at ${service.url}: its storage tests are SKIPPED (set ${service.variable}; .ci/run starts it)`;
      if (process.env.REQUIRE_SERVICES === '1') throw new Error(message);
      process.stdout.write(`\n${message}\n`);
    }
  }
}
