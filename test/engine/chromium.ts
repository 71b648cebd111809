import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

/** Debian's headless Chromium, driven over the DevTools protocol (a few commands, no client library). */
export interface Page {
  /** Every URL the page requested (Network.requestWillBeSent), the document included. */
  requests: string[];
  open(url: string, options?: { width?: number; height?: number; dark?: boolean }): Promise<void>;
  evaluate<T>(expression: string): Promise<T>;
  /** A PNG of the whole page, or of the band `from`..`from + height` (CSS px). */
  screenshot(band?: { from: number; height: number }): Promise<Buffer>;
}

export interface Chromium {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export const CHROMIUM = process.env.CHROMIUM ?? 'chromium';

function devtoolsUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let err = '';
    const onData = (d: Buffer) => {
      err += d;
      const m = err.match(/DevTools listening on (ws:\/\/\S+)/);
      if (m) {
        child.stderr?.off('data', onData);
        resolve(m[1]);
      }
    };
    child.stderr?.on('data', onData);
    child.once('error', (e) =>
      reject(new Error(`cannot start ${CHROMIUM} (${e.message}): install Debian's chromium package`)),
    );
    child.once('exit', (code) =>
      reject(new Error(`chromium exited (${code}) before DevTools answered:\n${err}`)),
    );
  });
}

export async function launchChromium(): Promise<Chromium> {
  const profile = await mkdtemp(join(tmpdir(), 'report-chromium-'));
  const child = spawn(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox', // root in CI
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const ws = new WebSocket(await devtoolsUrl(child), { perMessageDeflate: false });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  let nextId = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners: ((method: string, params: Record<string, unknown>, sessionId?: string) => void)[] = [];
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data));
    if (msg.id !== undefined) {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) p?.reject(new Error(`${msg.error.message} (${msg.error.code})`));
      else p?.resolve(msg.result);
    } else for (const l of listeners) l(msg.method, msg.params, msg.sessionId);
  });
  const send = <T = Record<string, unknown>>(method: string, params = {}, sessionId?: string) =>
    new Promise<T>((resolve, reject) => {
      nextId += 1;
      pending.set(nextId, { resolve: resolve as (v: unknown) => void, reject });
      ws.send(JSON.stringify({ id: nextId, method, params, sessionId }));
    });

  return {
    async newPage() {
      const { targetId } = await send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
      const { sessionId } = await send<{ sessionId: string }>('Target.attachToTarget', {
        targetId,
        flatten: true,
      });
      const requests: string[] = [];
      let loaded: (() => void) | undefined;
      listeners.push((method, params, from) => {
        if (from !== sessionId) return;
        if (method === 'Network.requestWillBeSent') requests.push((params.request as { url: string }).url);
        if (method === 'Page.loadEventFired') loaded?.();
      });
      await send('Page.enable', {}, sessionId);
      await send('Network.enable', {}, sessionId);
      return {
        requests,
        async open(url, options = {}) {
          await send(
            'Emulation.setDeviceMetricsOverride',
            {
              width: options.width ?? 1400,
              height: options.height ?? 900,
              deviceScaleFactor: 1,
              mobile: false,
            },
            sessionId,
          );
          await send(
            'Emulation.setEmulatedMedia',
            { features: [{ name: 'prefers-color-scheme', value: options.dark ? 'dark' : 'light' }] },
            sessionId,
          );
          const done = new Promise<void>((resolve) => (loaded = resolve));
          await send('Page.navigate', { url }, sessionId);
          await done;
        },
        async evaluate<T>(expression: string) {
          const r = await send<{ result: { value: T }; exceptionDetails?: { text: string } }>(
            'Runtime.evaluate',
            { expression, returnByValue: true, awaitPromise: true },
            sessionId,
          );
          if (r.exceptionDetails)
            throw new Error(`page script failed: ${JSON.stringify(r.exceptionDetails)}`);
          return r.result.value;
        },
        async screenshot(band) {
          const { cssContentSize: size } = await send<{ cssContentSize: { width: number; height: number } }>(
            'Page.getLayoutMetrics',
            {},
            sessionId,
          );
          const y = band?.from ?? 0;
          const height = Math.min(size.height - y, band?.height ?? size.height);
          const clip = { x: 0, y, width: size.width, height, scale: 1 };
          const r = await send<{ data: string }>(
            'Page.captureScreenshot',
            { format: 'png', captureBeyondViewport: true, clip },
            sessionId,
          );
          return Buffer.from(r.data, 'base64');
        },
      };
    },
    async close() {
      await send('Browser.close').catch(() => undefined);
      ws.close();
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
      await rm(profile, { recursive: true, force: true });
    },
  };
}
