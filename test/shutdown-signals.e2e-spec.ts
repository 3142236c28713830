import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntil } from '@app/testing';

// A process whose orderly shutdown hangs must still exit, and must still run its emergency stops
// (they stop the local servers that live in their own session and would otherwise outlive it).
describe('onShutdownSignal', () => {
  const directory = mkdtempSync(join(tmpdir(), 'crossroads-signals-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  const script = (marker: string) => `
    const { onShutdownSignal, registerEmergencyStop } = require('./dist/libs/runtime/src/shutdown-signals.util.js');
    registerEmergencyStop(() => require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'stopped'));
    onShutdownSignal(() => new Promise(() => undefined), 300);
    process.stdout.write('ready\\n');
    setInterval(() => undefined, 1000);
  `;

  it.each([
    ['a shutdown that outlives its timeout', 1, 1],
    ['a second signal', 130, 2],
  ])('should exit on %s and run the emergency stops', async (_case, expectedCode, signals) => {
    const marker = join(directory, `stopped-${expectedCode}`);
    const child = spawn(process.execPath, ['-e', script(marker)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
    await waitUntil(async () => (output.includes('ready') ? true : undefined), 'the script to start');
    child.kill('SIGTERM');
    if (signals === 2) {
      await new Promise((resolveLater) => setTimeout(resolveLater, 50));
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(expectedCode);
    expect(existsSync(marker)).toBe(true);
  });
});
