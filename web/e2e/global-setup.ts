// Starts the real server for the journeys: a fresh data directory, migrated, with the demo data
// (`kontor demo`), serving web/dist on a free 127.0.0.1 port; stopped (by its PID) afterwards.
// KONTOR_BIN names the binary (default ../build/server/kontor), KONTOR_E2E_WEB_DIR the built app
// (default web/dist).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const WEB = resolve(import.meta.dirname, '..');

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? ok(address.port) : fail()));
    });
  });
}

async function waitFor(url: string, ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`kontor did not answer ${url} within ${ms} ms`);
}

export default async function globalSetup() {
  const bin = resolve(WEB, process.env.KONTOR_BIN ?? '../build/server/kontor');
  const data = mkdtempSync(join(tmpdir(), 'kontor-e2e-'));
  const port = await freePort();
  const env = {
    ...process.env,
    KONTOR_DATA_DIR: data,
    KONTOR_LISTEN: `127.0.0.1:${port}`,
    KONTOR_WEB_DIR: process.env.KONTOR_E2E_WEB_DIR ?? join(WEB, 'dist'),
    KONTOR_LOG_LEVEL: 'warn',
  };
  execFileSync(bin, ['migrate'], { env, stdio: 'ignore' });
  execFileSync(bin, ['demo'], { env, stdio: 'ignore' });
  const server = spawn(bin, ['serve'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/healthz`, 15_000);
  process.env.KONTOR_E2E_URL = url;
  process.env.KONTOR_E2E_DATA = data;
  return async () => {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(data, { recursive: true, force: true });
  };
}
