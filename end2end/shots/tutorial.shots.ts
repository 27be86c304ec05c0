// Takes the tutorial's screenshots from the real dashboard while `baton demo`
// boards are worked by their shell workers. Writes PNGs to $BATON_SHOTS_DIR
// (scripts/screenshots.sh points it at docs/images and then shrinks them).
// With BATON_SHOTS_ONLY=1 it takes only the first, as the test command does.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { baton, openBoard } from '../tests/helpers';

const dir = process.env.BATON_SHOTS_DIR ?? 'test-results/shots';
const only = process.env.BATON_SHOTS_ONLY === '1';

type Task = { id: string; title: string; status: string };
const list = (board: string): Task[] => JSON.parse(baton('--board', board, 'list', '--json'));
const find = (board: string, prefix: string) => list(board).find((t) => t.title.startsWith(prefix))!;

/** Opens a task's drawer and scrolls its run history into view. */
async function drawerRuns(page: Page, id: string) {
  await page.goto(`/tasks/${id}`);
  const runs = page.locator('aside.drawer .runs');
  await expect(runs.locator('.run').first()).toBeVisible({ timeout: 20_000 });
  await page.locator('aside.drawer section[aria-label="Runs"]').scrollIntoViewIfNeeded();
}

async function shot(page: Page, name: string) {
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${dir}/${name}`, fullPage: false });
}

async function until(what: string, f: () => boolean) {
  await expect.poll(f, { message: what, timeout: 150_000, intervals: [500] }).toBe(true);
}

test('tutorial screenshots', async ({ page, browser }) => {
  mkdirSync(dir, { recursive: true });
  baton('demo', '--pace', '1.5', '--replace');
  await page.setViewportSize({ width: 1280, height: 760 });

  // The solo chain just started: the design runs, the rest waits in todo.
  await openBoard(page, 'demo-solo');
  await expect(page.locator('section.column[data-column="running"] .card')).toHaveCount(1, { timeout: 20_000 });
  await shot(page, 'board-overview.png');
  if (only) return;

  // The fleet while it works: lanes group In progress by profile.
  await openBoard(page, 'demo-fleet');
  await expect(page.locator('.lane')).toHaveCount(3, { timeout: 20_000 });
  await shot(page, 'fleet-lanes.png');
  await page.getByRole('checkbox', { name: 'Lanes by profile' }).uncheck();
  await shot(page, 'fleet-flat.png');
  // A phone is a touch screen: its own context, as a phone's browser is.
  const phone = await browser.newContext({ viewport: { width: 390, height: 760 }, hasTouch: true, isMobile: true });
  const phonePage = await phone.newPage();
  await openBoard(phonePage, 'demo-fleet');
  await phonePage.locator('nav.column-tabs button[data-column="running"]').tap();
  await shot(phonePage, 'phone.png');
  await phone.close();
  // Wide enough for the drawer's side column of properties.
  await page.setViewportSize({ width: 1440, height: 860 });

  await until('the solo chain to finish', () => list('demo-solo').every((t) => t.status === 'done'));
  const build = find('demo-solo', 'Implement');
  await drawerRuns(page, build.id);
  await shot(page, 'drawer-runs.png');

  await until('the review retry to finish', () => find('demo-pipeline', 'Implement').status === 'done');
  const impl = find('demo-pipeline', 'Implement');
  await drawerRuns(page, impl.id);
  await shot(page, 'retry-history.png');

  await until('the breaker to trip', () => find('demo-breaker', 'Summarise').status === 'blocked');
  await until('the crashed task to be retried', () => find('demo-breaker', 'Rebuild').status === 'done');
  await openBoard(page, 'demo-breaker');
  const toggle = page.locator('.attention-toggle');
  await expect(toggle).toBeVisible({ timeout: 20_000 });
  await toggle.click();
  await shot(page, 'circuit-breaker.png');
  const flaky = find('demo-breaker', 'Rebuild');
  await drawerRuns(page, flaky.id);
  await shot(page, 'crash-recovery.png');

});
