// Measures the dashboard in Chromium against a release `baton serve`:
// how long a 1,000- and a 10,000-task board take to become interactive, how
// smooth dragging and scrolling stay on the big board, and how long a CLI
// write takes to reach an open tab. Prints markdown rows; bench/dashboard.sh
// collects them into a table.
import { expect, test, type Page } from '@playwright/test';
import { baton, column, freshBoard, token } from '../tests/helpers';

const api = `http://127.0.0.1:${process.env.BATON_E2E_PORT ?? 3107}/api/v1`;
const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${api}${path}`, { method, headers: auth, body: body && JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** A board of `n` tasks in a realistic mix of statuses, through the REST API. */
async function fill(slug: string, n: number) {
  const ids: string[] = [];
  const batch = 16;
  for (let i = 0; i < n; i += batch) {
    const made = await Promise.all(
      Array.from({ length: Math.min(batch, n - i) }, (_, k) => {
        const j = i + k;
        const parents = j % 4 === 3 && ids.length > 10 ? [ids[(j * 7) % ids.length]] : [];
        return call('POST', `/tasks?board=${slug}`, {
          title: `Task ${j}: ${['write the docs', 'fix the parser', 'review the release', 'triage reports'][j % 4]}`,
          body: 'Some body text describing the work in a sentence or two, as agents write them.',
          assignee: `profile-${j % 8}`,
          tenant: j % 5 === 0 ? 'acme' : null,
          priority: j % 4,
          parents,
          triage: j % 50 === 0,
        });
      }),
    );
    for (const m of made) ids.push(m.task.id);
  }
  // 40 % done, 5 % blocked: the shape of a board that has been in use.
  const done = ids.filter((_, j) => j % 10 < 4);
  for (let i = 0; i < done.length; i += 1000) {
    await call('POST', `/tasks/bulk?board=${slug}`, { ids: done.slice(i, i + 1000), status: 'done' });
  }
  const blocked = ids.filter((_, j) => j % 20 === 5);
  for (let i = 0; i < blocked.length; i += 1000) {
    await call('POST', `/tasks/bulk?board=${slug}`, { ids: blocked.slice(i, i + 1000), status: 'blocked' });
  }
  return ids;
}

function row(what: string, result: string, target: string) {
  console.log(`| ${what} | ${result} | ${target} |`);
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)];
const ms = (v: number) => `${v.toFixed(0)} ms`;

/** Opens the board and returns ms from navigation start to hydrated. */
async function openTimed(page: Page, slug: string): Promise<number> {
  await page.goto(`/boards/${slug}?token=${token}`, { waitUntil: 'commit' });
  const at = await page.waitForFunction(
    () => document.querySelector('[data-hydrated="true"]') && performance.now(),
    null,
    { polling: 'raf', timeout: 60_000 },
  );
  const hydrated = (await at.jsonValue()) as number;
  await expect(page.locator('.live')).toHaveText('Live', { timeout: 30_000 });
  return hydrated;
}

/** Records the longest gap between animation frames while `work` runs. */
async function longestFrame(page: Page, work: () => Promise<void>): Promise<number> {
  await page.evaluate(() => {
    const w = window as any;
    w.__frames = { last: performance.now(), worst: 0, on: true };
    const tick = (t: number) => {
      const f = w.__frames;
      f.worst = Math.max(f.worst, t - f.last);
      f.last = t;
      if (f.on) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await work();
  return page.evaluate(() => {
    const f = (window as any).__frames;
    f.on = false;
    return f.worst as number;
  });
}

async function heapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
  return used / 1024 / 1024;
}

test('dashboard benchmarks', async ({ page }) => {
  for (const n of [1_000, 10_000]) {
    const slug = freshBoard(`bench${n}`);
    const started = Date.now();
    await fill(slug, n);
    console.error(`filled ${n} tasks in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) runs.push(await openTimed(page, slug));
    row(`open a ${n.toLocaleString('en')}-task board: navigation → interactive (median of 5)`, ms(median(runs)), n === 1000 ? '—' : 'usable');
    const cards = await page.locator('.card').count();
    row(`cards in the DOM at first paint, ${n.toLocaleString('en')} tasks`, `${cards}`, 'bounded');
    row(`JS heap after load, ${n.toLocaleString('en')} tasks`, `${(await heapMb(page)).toFixed(1)} MB`, '—');

    // Drag a ready card across the board to triage (a todo card would be
    // promoted straight back by the dispatcher), and scroll the done column.
    const first = page.locator('section.column[data-column="ready"] .card').first();
    const id = (await first.getAttribute('data-task-id'))!;
    const a = (await first.boundingBox())!;
    const b = (await column(page, 'triage').boundingBox())!;
    const dragWorst = await longestFrame(page, async () => {
      // Grab the middle: the top-left corner holds the selection checkbox.
      await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
      await page.mouse.down();
      await page.mouse.move(a.x + a.width / 2 + 20, a.y + a.height / 2 + 10, { steps: 3 });
      await page.mouse.move(b.x + b.width / 2, b.y + 80, { steps: 40 });
      await page.mouse.up();
    });
    await expect(column(page, 'triage').locator(`[data-task-id="${id}"]`)).toBeVisible();
    row(`longest frame while dragging a card, ${n.toLocaleString('en')} tasks`, ms(dragWorst), '≤ 50 ms (smooth)');

    // From the click to the 200th card in the DOM (Leptos renders in a
    // microtask after the click, so a MutationObserver sees it land).
    const shown = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const col = document.querySelector('section.column[data-column="done"]')!;
          const btn = col.querySelector('button.show-more') as HTMLElement;
          const t = performance.now();
          const done = () => col.querySelectorAll('.card').length >= 200;
          new MutationObserver((_, obs) => {
            if (done()) {
              obs.disconnect();
              resolve(performance.now() - t);
            }
          }).observe(col, { subtree: true, childList: true });
          btn.click();
        }),
    );
    await expect(column(page, 'done').locator('.card')).toHaveCount(200);
    row(`"Show more" renders the next 100 cards, ${n.toLocaleString('en')} tasks`, ms(shown), 'usable');

    const scrollWorst = await longestFrame(page, async () => {
      for (let i = 0; i < 20; i++) {
        await page.mouse.wheel(0, 400);
        await page.waitForTimeout(16);
      }
    });
    row(`longest frame while scrolling, ${n.toLocaleString('en')} tasks`, ms(scrollWorst), '≤ 50 ms (smooth)');
  }

  // A CLI write reaching an open tab, measured on a 1,000-task board.
  const slug = freshBoard('benchlive');
  await fill(slug, 1000);
  await openTimed(page, slug);
  await page.evaluate(() => {
    const w = window as any;
    w.__seen = {};
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('.card-title')) {
        const t = el.textContent ?? '';
        if (t.startsWith('live ') && !(t in w.__seen)) w.__seen[t] = Date.now();
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const lat: number[] = [];
  for (let i = 0; i < 20; i++) {
    const title = `live ${i}`;
    const t0 = Date.now();
    baton('--board', slug, 'create', title, '--priority', '9', '--json');
    await page.waitForFunction((t) => (window as any).__seen[t] !== undefined, title, { timeout: 10_000 });
    lat.push((await page.evaluate((t) => (window as any).__seen[t], title)) - t0);
    await page.waitForTimeout(100);
  }
  row('CLI `create` → card on an open tab (p50 / max of 20; CLI process included)', `${ms(median(lat))} / ${ms(Math.max(...lat))}`, '≤ 500 ms');
});
