// What runs cost, as a person sees it: a cost badge on the card that
// changes live, each run's usage in the drawer, and the Spend page with its
// total, its chart of each day by profile, and the tables.
import { expect, test } from '@playwright/test';
import { baton, card, createTask, freshBoard, openBoard, signIn } from './helpers';

function claim(board: string, id: string): string {
  return String(JSON.parse(baton('--board', board, 'claim', id, '--json')).run_id);
}

test('a card shows what its runs cost, live, and the drawer shows each run', async ({ page }) => {
  const board = freshBoard('spendcard');
  const t = createTask('Expensive research', '--board', board, '--assignee', 'researcher');
  await openBoard(page, board);
  await expect(card(page, t.id)).toBeVisible();
  await expect(card(page, t.id).locator('.spend')).toHaveCount(0);
  claim(board, t.id);
  // gpt-5: 400k in at $1.25, 20k out at $10 per million = $0.70.
  baton('--board', board, 'usage', t.id, '--input', '400000', '--output', '20000', '--model', 'gpt-5');
  await expect(card(page, t.id).locator('.spend')).toHaveText('$0.700', { timeout: 10_000 });
  await card(page, t.id).locator('.card-title').click();
  const run = page.locator('aside.drawer .run').first();
  await expect(run.locator('.run-usage')).toHaveText('400.0k in · 20.0k out · $0.700 · gpt-5');
  await expect(page.locator('aside.drawer .events')).toContainText('Used 420.0k tokens ($0.700) on gpt-5');
});

test('the Spend page totals the period, charts each day by profile, and lists what cost most', async ({ page }) => {
  const board = freshBoard('spendpage');
  const a = createTask('Write the importer', '--board', board, '--assignee', 'coder');
  const b = createTask('Review the importer', '--board', board, '--assignee', 'reviewer');
  const c = createTask('Try a local model', '--board', board, '--assignee', 'coder');
  claim(board, a.id);
  baton('--board', board, 'usage', a.id, '--input', '1000000', '--model', 'claude-sonnet-4'); // $3.00
  claim(board, b.id);
  baton('--board', board, 'usage', b.id, '--output', '100000', '--model', 'gpt-5'); // $1.00
  claim(board, c.id);
  baton('--board', board, 'usage', c.id, '--input', '5000', '--model', 'my-local-llm'); // unpriced
  // The page loads its part of the bundle, then the figures, in the browser.
  await signIn(page, '/spend');
  await expect(page.getByLabel('Boards').locator(`option[value="${board}"]`)).toHaveCount(1, { timeout: 20_000 });
  await page.getByLabel('Boards').selectOption(board);
  const total = page.getByRole('region', { name: 'Total' });
  await expect(total).toContainText('$4.00');
  await expect(total).toContainText('3 runs');
  await expect(total).toContainText('1 run(s) unpriced');
  // One bar per profile today, coder's taller.
  const chart = page.locator('.spend-chart svg');
  await expect(chart.locator('rect')).toHaveCount(2);
  await expect(chart).toHaveAttribute('aria-label', /Cost per day by profile/);
  await expect(page.locator('.legend')).toContainText('coder');
  const byProfile = page.getByRole('region', { name: 'By profile' });
  await expect(byProfile.locator('tbody tr').first()).toContainText('coder');
  await expect(byProfile.locator('tbody tr').first()).toContainText('$3.00 (+1 unpriced)');
  const tasks = page.getByRole('region', { name: 'Tasks that cost the most' });
  await expect(tasks.getByRole('link', { name: 'Write the importer' })).toHaveAttribute('href', `/tasks/${a.id}`);
  // A period with nothing in it says so.
  await page.getByLabel('Period').selectOption('7d');
  await expect(total).toContainText('$4.00');
  const other = freshBoard('spendnone');
  await page.reload();
  await expect(page.getByLabel('Boards').locator(`option[value="${other}"]`)).toHaveCount(1, { timeout: 20_000 });
  await page.getByLabel('Boards').selectOption(other);
  await expect(page.locator('.empty-spend')).toContainText('No usage recorded in this period');
});
