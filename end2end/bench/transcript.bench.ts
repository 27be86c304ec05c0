// Measures how long a 10,000-entry agent transcript takes to open in the
// drawer, in Chromium against a release `baton serve`: from the click on the
// card to the drawer's Conversation showing its newest 200 entries (the
// server parses the whole file; the page gets only what it shows). Prints
// markdown rows; bench/dashboard.sh collects them into its table.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { card, createTask, freshBoard, openBoard, showTask } from '../tests/helpers';

const ENTRIES = 10_000;
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)];

/** The real Claude Code recording, repeated to at least `ENTRIES` lines. */
function bigTranscript(path: string) {
  const lines = readFileSync('fixtures/transcripts/claude-code.jsonl', 'utf8').trimEnd().split('\n');
  const [header, ...body] = lines;
  const out = [header];
  while (out.length <= ENTRIES) out.push(...body);
  writeFileSync(path, out.join('\n') + '\n');
}

/** ms from the click on the card to the 200th transcript entry in the DOM. */
async function openTimed(page: Page, id: string): Promise<number> {
  const title = card(page, id).locator('.card-title');
  await title.evaluate((el) => {
    const w = window as any;
    w.__opened = undefined;
    const t = performance.now();
    const seen = () => document.querySelectorAll('aside.drawer .conversation ol.transcript > li').length >= 200;
    new MutationObserver((_, obs) => {
      if (seen()) {
        obs.disconnect();
        w.__opened = performance.now() - t;
      }
    }).observe(document.body, { subtree: true, childList: true });
    (el as HTMLElement).click();
  });
  await page.waitForFunction(() => (window as any).__opened !== undefined, null, { timeout: 30_000 });
  return page.evaluate(() => (window as any).__opened as number);
}

test('transcript benchmark', async ({ page }) => {
  bigTranscript(`${process.env.BATON_E2E_HOME}/big-transcript.jsonl`);
  const board = freshBoard('benchtx');
  const t = createTask('Replay a long run', '--board', board, '--assignee', 'bigreplay');
  await expect.poll(() => showTask(t.id, board).task.status, { timeout: 60_000 }).toBe('done');
  const json = execFileSync(
    process.env.BATON_BIN!,
    ['--home', process.env.BATON_E2E_HOME!, '--board', board, 'transcript', t.id, '--json'],
    { encoding: 'utf8', maxBuffer: 1 << 30 },
  );
  const total = JSON.parse(json).total as number;
  expect(total).toBeGreaterThanOrEqual(ENTRIES);

  await openBoard(page, board);
  const first = await openTimed(page, t.id);
  await expect(page.locator('aside.drawer .conversation')).toContainText('earlier entries');
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Escape');
    await expect(page.locator('aside.drawer')).toHaveCount(0);
    runs.push(await openTimed(page, t.id));
  }
  const n = total.toLocaleString('en');
  console.log(`| open a ${n}-entry transcript in the drawer, first time (its code chunk loads too) | ${first.toFixed(0)} ms | ≤ 300 ms |`);
  console.log(`| open a ${n}-entry transcript in the drawer, again (median of 5) | ${median(runs).toFixed(0)} ms | ≤ 300 ms |`);
});
