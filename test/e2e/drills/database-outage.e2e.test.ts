import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../../support/app.js';
import { expectProblem, json } from '../../support/http.js';
import { type CuttableProxy, startAppBehindProxiedDatabase } from '../../support/proxy.js';
import { missing } from '../../support/skip.js';
import { waitFor } from '../../support/wait.js';

describe.skipIf(missing('postgres'))(
  'Postgres down: readiness fails, requests fail with 503, service resumes',
  () => {
    let proxy: CuttableProxy;
    let t: TestApp;
    let close: () => Promise<void>;

    beforeAll(async () => {
      ({ t, proxy, close } = await startAppBehindProxiedDatabase());
    });
    afterAll(async () => close?.());

    const get = (url: string) => t.app.inject({ method: 'GET', url });

    it('is ready and serves while the database answers', async () => {
      expect((await get('/readyz')).json()).toMatchObject({ status: 'ok', checks: { database: 'up' } });
      expect((await get('/api/v1/products?q=outage-before')).statusCode).toBe(200);
    });

    it('with the database unreachable: /readyz 503, /healthz 200, reads and writes 503 problem+json', async () => {
      await proxy.cut();
      const ready = await get('/readyz');
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ status: 'unavailable', checks: { database: 'down' } });
      expect((await get('/healthz')).statusCode).toBe(200); // liveness: do not restart the pod for it

      const read = await get('/api/v1/products?q=outage-during');
      expectProblem(read, 503, 'UNAVAILABLE');
      expect(read.body).not.toMatch(/ECONNREFUSED|postgres|SELECT/i);

      const write = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/register',
        ...json({ email: `outage${Date.now()}@example.com`, password: 'a long password', name: 'Out Age' }),
      });
      expectProblem(write, 503, 'UNAVAILABLE');
    });

    it('recovers on its own when the database is back', async () => {
      await proxy.open(proxy.port);
      await waitFor('readiness to return', async () => (await get('/readyz')).statusCode === 200, 10_000);
      expect((await get('/api/v1/products?q=outage-after')).statusCode).toBe(200);
      const write = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/register',
        ...json({ email: `back${Date.now()}@example.com`, password: 'a long password', name: 'Back Again' }),
      });
      expect(write.statusCode, write.body).toBe(201);
    });
  },
);
