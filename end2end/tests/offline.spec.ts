// The dashboard when its server goes away and comes back: a server of its
// own (not the suite's), stopped with SIGTERM or SIGKILL mid-session and
// started again on the same port and home. The badge and a banner say the
// server is not answering; a card opened meanwhile says why it cannot show
// and loads by itself once the server is back; nothing panics.
import { expect, test, type Page } from '@playwright/test';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { token } from './helpers';

const port = Number(process.env.BATON_E2E_PORT ?? 3107) + 7;
const base = `http://127.0.0.1:${port}`;
const bin = process.env.BATON_BIN!;

class Server {
  home = mkdtempSync(join(tmpdir(), 'baton-offline-'));
  proc: ChildProcess | undefined;

  cli(...args: string[]): string {
    return execFileSync(bin, ['--home', this.home, ...args], { encoding: 'utf8' });
  }

  async start() {
    this.proc = spawn(bin, ['--home', this.home, 'serve', '--addr', `127.0.0.1:${port}`, '--token', token], {
      env: { ...process.env, BATON_LOG: 'warn' },
      stdio: 'ignore',
    });
    for (let i = 0; i < 200; i++) {
      try {
        if ((await fetch(`${base}/healthz`)).ok) return;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the server did not come up');
  }

  async stop(signal: NodeJS.Signals) {
    const p = this.proc!;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill(signal);
    await exited;
    this.proc = undefined;
  }
}

/** A Rust panic aborts the WebAssembly ("RuntimeError: unreachable"). A
 * chunk's failed fetch is also reported by the split loader's own script
 * (an unhandled "Failed to fetch"); that one is expected here. */
function watchForPanics(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => {
    if (/panicked|unreachable|RuntimeError/.test(String(e))) errors.push(String(e));
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && /panicked|unreachable/.test(m.text())) errors.push(m.text());
  });
  return errors;
}

async function openLive(page: Page, id: string) {
  await page.goto(`${base}/?token=${token}`);
  await expect(page.locator('[data-hydrated="true"]')).toHaveCount(1, { timeout: 20_000 });
  await expect(page.locator('.live')).toHaveText('Live', { timeout: 10_000 });
  await expect(page.locator(`[data-task-id="${id}"]`)).toBeVisible();
}

test('a card opened while the server is gone says why and loads once it is back (SIGTERM)', async ({ page }) => {
  const server = new Server();
  const t = JSON.parse(server.cli('create', 'Written before the outage', '--json'));
  await server.start();
  const panics = watchForPanics(page);
  try {
    await openLive(page, t.id);
    await server.stop('SIGTERM');
    await expect(page.locator('.live')).toHaveText(/Offline/, { timeout: 15_000 });
    await expect(page.getByRole('alert').filter({ hasText: 'not answering' })).toBeVisible();

    // The drawer's code has never been fetched: it cannot be now.
    await page.locator(`[data-task-id="${t.id}"] .card-title`).click();
    await expect(page.locator('aside.drawer .chunk-failed')).toContainText('could not be loaded', { timeout: 10_000 });
    await expect(page.locator('aside.drawer .loading')).toHaveCount(0);

    await server.start();
    await expect(page.locator('.live')).toHaveText('Live', { timeout: 30_000 });
    await expect(page.locator('.offline-banner')).toHaveCount(0);
    // Nobody clicked "Try again": the drawer loaded when the stream was back.
    await expect(page.locator('aside.drawer .drawer-title')).toHaveText('Written before the outage', { timeout: 10_000 });
    expect(panics).toEqual([]);
  } finally {
    if (server.proc) await server.stop('SIGTERM');
  }
});

test('with the drawer loaded, a call to a killed server fails in plain words and recovers (SIGKILL)', async ({ page }) => {
  const server = new Server();
  const t = JSON.parse(server.cli('create', 'Open me twice', '--json'));
  await server.start();
  const panics = watchForPanics(page);
  try {
    await openLive(page, t.id);
    await page.locator(`[data-task-id="${t.id}"] .card-title`).click();
    await expect(page.locator('aside.drawer .drawer-title')).toHaveText('Open me twice');
    await page.keyboard.press('Escape');
    await expect(page.locator('aside.drawer')).toHaveCount(0);

    await server.stop('SIGKILL');
    await expect(page.locator('.live')).toHaveText(/Offline/, { timeout: 15_000 });
    await page.locator(`[data-task-id="${t.id}"] .card-title`).click();
    const error = page.locator('aside.drawer .error[role="alert"]');
    await expect(error).toContainText("Baton's server did not answer", { timeout: 10_000 });
    await expect(error).not.toContainText('TypeError');
    await expect(page.locator('aside.drawer .loading')).toHaveCount(0);

    // Written while the tab was away: the board catches up when it is back.
    const later = JSON.parse(server.cli('create', 'Written during the outage', '--json'));
    await server.start();
    await expect(page.locator('.live')).toHaveText('Live', { timeout: 30_000 });
    await expect(page.locator('aside.drawer .drawer-title')).toHaveText('Open me twice', { timeout: 10_000 });
    await expect(page.locator(`[data-task-id="${later.id}"]`)).toBeVisible({ timeout: 10_000 });
    expect(panics).toEqual([]);
  } finally {
    if (server.proc) await server.stop('SIGTERM');
  }
});
