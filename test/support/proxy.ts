import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';

export /** A TCP pass-through to Postgres that the test can cut, to make the database unreachable for real. */
class CuttableProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly host: string,
    private readonly targetPort: number,
  ) {}

  async open(port = 0): Promise<void> {
    const server = createServer((client) => {
      const upstream = tcpConnect(this.targetPort, this.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('proxy has no port');
    this.port = address.port;
    this.server = server;
  }

  get isOpen(): boolean {
    return this.server !== undefined;
  }

  async cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Opens a cuttable proxy in front of the Postgres of `databaseUrl`; `url` reaches the same database through it. */
export const proxiedDatabase = async (
  databaseUrl: string,
): Promise<{ proxy: CuttableProxy; url: string }> => {
  const target = new URL(databaseUrl);
  const proxy = new CuttableProxy(target.hostname, Number(target.port || 5432));
  await proxy.open();
  const proxied = new URL(databaseUrl);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  return { proxy, url: proxied.toString() };
};
