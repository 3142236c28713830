import type { AddressInfo } from 'node:net';
import { createCarrierSimulatorServer } from './carrier-simulator.server';

describe('carrier simulator shell', () => {
  const server = createCarrierSimulatorServer();
  let baseUrl: string;

  beforeAll(async () => {
    await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolveClose) => server.close(() => resolveClose())));

  it('should report healthy and refuse what it does not simulate yet', async () => {
    expect((await fetch(`${baseUrl}/health`)).status).toBe(200);
    const refused = await fetch(`${baseUrl}/2010-04-01/Accounts/AC123/Calls.json`, { method: 'POST' });
    expect(refused.status).toBe(501);
    expect(await refused.json()).toMatchObject({ status: 501 });
  });
});
