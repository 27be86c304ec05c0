// The live board: creating, dragging with a mouse and a finger, live
// updates, filters, lanes, switching boards, refused moves.
import { expect, test, type Page } from '@playwright/test';
import { baton, card, column, createTask, freshBoard, openBoard, showTask } from './helpers';

async function centre(page: Page, selector: string) {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`${selector} is not visible`);
  return { x: box.x + box.width / 2, y: box.y + Math.min(box.height / 2, 40) };
}

async function mouseDrag(page: Page, from: string, to: string) {
  const a = await centre(page, from);
  const b = await centre(page, to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(a.x + 12, a.y + 6, { steps: 3 });
  await page.mouse.move(b.x, b.y, { steps: 12 });
  await page.mouse.up();
}

test('inline create adds a card', async ({ page }) => {
  const board = freshBoard('create');
  createTask('Existing', '--board', board);
  await openBoard(page, board);
  await page.getByRole('button', { name: 'New task in Ready' }).click();
  const form = page.getByRole('form', { name: 'New task' });
  await form.getByLabel('Title').fill('Draft the announcement');
  await form.getByLabel('Assignee').fill('writer');
  await form.getByLabel('Priority').fill('3');
  await form.getByRole('button', { name: 'Create' }).click();
  const created = column(page, 'ready').locator('.card', { hasText: 'Draft the announcement' });
  await expect(created).toBeVisible();
  await expect(created).toContainText('writer');
  await expect(created).toContainText('P3');
  const id = await created.getAttribute('data-task-id');
  const t = showTask(id!, board).task;
  expect([t.title, t.assignee, t.status]).toEqual(['Draft the announcement', 'writer', 'ready']);
  // Created from Triage, a task parks in triage.
  await page.getByRole('button', { name: 'New task in Triage' }).click();
  await page.getByRole('form', { name: 'New task' }).getByLabel('Title').fill('Someday idea');
  await page.getByRole('form', { name: 'New task' }).getByRole('button', { name: 'Create' }).click();
  await expect(column(page, 'triage').locator('.card', { hasText: 'Someday idea' })).toBeVisible();
});

test('Todo holds tasks that wait: + in Todo asks what it waits for, a drag there is refused with the reason', async ({ page }) => {
  const board = freshBoard('todo');
  const parent = createTask('Design the schema', '--board', board);
  const loose = createTask('Loose end', '--board', board);
  await openBoard(page, board);
  await page.getByRole('button', { name: 'New task in Todo' }).click();
  const form = page.getByRole('form', { name: 'New task' });
  await form.getByLabel('Title').fill('Write the migration');
  await form.getByRole('button', { name: 'Create' }).click();
  await expect(form.getByRole('alert')).toContainText('waits for another task');
  expect(JSON.parse(baton('--board', board, 'list', '--json')).length).toBe(2);
  // With the task it waits for, it lands in Todo.
  await form.getByLabel('Waits for').fill('schema');
  await form.getByRole('option').filter({ hasText: 'Design the schema' }).getByRole('button').click();
  await form.getByRole('button', { name: 'Create' }).click();
  const created = column(page, 'todo').locator('.card', { hasText: 'Write the migration' });
  await expect(created).toBeVisible();
  const id = await created.getAttribute('data-task-id');
  expect(showTask(id!, board).task.status).toBe('todo');

  // A card that waits for nothing cannot be parked in Todo: the dispatcher
  // would move it straight back. The refusal says so and the card stays.
  await mouseDrag(page, `[data-task-id="${loose.id}"]`, 'section.column[data-column="todo"]');
  await expect(page.locator('.toast.error')).toContainText('waits for no unfinished task');
  await expect(column(page, 'ready').locator(`[data-task-id="${loose.id}"]`)).toBeVisible();
  expect(showTask(loose.id, board).task.status).toBe('ready');
  expect(showTask(parent.id, board).task.status).toBe('ready');
});

test('the board switcher keeps its boards and counts current', async ({ page }) => {
  const board = freshBoard('counts');
  const one = createTask('One', '--board', board);
  await openBoard(page, board);
  const option = page.locator(`select.board-switch option[value="${board}"]`);
  await expect(option).toContainText('(1)');
  createTask('Two', '--board', board);
  await expect(option).toContainText('(2)', { timeout: 10_000 });
  // Finished work is not counted.
  baton('--board', board, 'complete', one.id, '--summary', 'done');
  await expect(option).toContainText('(1)', { timeout: 10_000 });
  // A board made from the CLI appears without a reload.
  const other = freshBoard('elsewhere');
  await expect(page.locator(`select.board-switch option[value="${other}"]`)).toHaveCount(1, { timeout: 15_000 });
});

test('a board replaced under the running server is shown as the new board at once', async ({ page }) => {
  // What `baton demo --replace` does to its boards: remove, create again.
  const board = freshBoard('replaced');
  const old = createTask('From the old board', '--board', board);
  await openBoard(page, board);
  await expect(card(page, old.id)).toBeVisible();
  baton('boards', 'rm', board);
  baton('boards', 'create', board);
  // The open page lets go of the old tasks without a reload...
  await expect(card(page, old.id)).toHaveCount(0, { timeout: 10_000 });
  // ...and follows the new board live.
  const fresh = createTask('On the new board', '--board', board);
  await expect(card(page, fresh.id)).toBeVisible({ timeout: 10_000 });
  // A full reload shows the same.
  await page.reload();
  await expect(page.locator('[data-hydrated="true"]')).toHaveCount(1, { timeout: 20_000 });
  await expect(card(page, fresh.id)).toBeVisible();
  await expect(card(page, old.id)).toHaveCount(0);
});

test('a mouse drag from ready to done asks first, then moves the card', async ({ page }) => {
  const board = freshBoard('drag');
  const t = createTask('Ship the fix', '--board', board);
  await openBoard(page, board);
  await mouseDrag(page, `[data-task-id="${t.id}"]`, 'section.column[data-column="done"]');
  const dialog = page.getByRole('dialog', { name: 'Confirm move' });
  await expect(dialog).toContainText('Mark “Ship the fix” done?');
  await dialog.getByRole('button', { name: 'Move to Done' }).click();
  await expect(column(page, 'done').locator(`[data-task-id="${t.id}"]`)).toBeVisible();
  expect(showTask(t.id, board).task.status).toBe('done');

  // Cancelling leaves the card where it was.
  const u = createTask('Keep me', '--board', board);
  await expect(card(page, u.id)).toBeVisible();
  await mouseDrag(page, `[data-task-id="${u.id}"]`, 'section.column[data-column="done"]');
  await page.getByRole('dialog', { name: 'Confirm move' }).getByRole('button', { name: 'Cancel' }).click();
  await expect(column(page, 'ready').locator(`[data-task-id="${u.id}"]`)).toBeVisible();
  expect(showTask(u.id, board).task.status).toBe('ready');

  // Blocking asks for a reason.
  await mouseDrag(page, `[data-task-id="${u.id}"]`, 'section.column[data-column="blocked"]');
  const block = page.getByRole('dialog', { name: 'Confirm move' });
  await block.getByLabel('Reason').fill('waiting for legal');
  await block.getByRole('button', { name: 'Move to Blocked' }).click();
  await expect(column(page, 'blocked').locator(`[data-task-id="${u.id}"]`)).toBeVisible();
  expect(showTask(u.id, board).task.status).toBe('blocked');
});

test('dragging a card off In progress reclaims its run', async ({ page }) => {
  const board = freshBoard('reclaim');
  const t = createTask('Half done', '--board', board, '--assignee', 'coder');
  baton('--board', board, 'claim', t.id);
  await openBoard(page, board);
  await expect(column(page, 'running').locator(`[data-task-id="${t.id}"]`)).toBeVisible();
  await mouseDrag(page, `[data-task-id="${t.id}"]`, 'section.column[data-column="ready"]');
  await expect(column(page, 'ready').locator(`[data-task-id="${t.id}"]`)).toBeVisible();
  const shown = JSON.parse(baton('--board', board, 'show', t.id, '--json'));
  expect(shown.task.status).toBe('ready');
  expect(shown.runs.map((r: { outcome: string }) => r.outcome)).toEqual(['reclaimed']);
});

test('a refused move puts the card back and shows the message', async ({ page }) => {
  const board = freshBoard('refused');
  const t = createTask('Not yet', '--board', board);
  await openBoard(page, board);
  await mouseDrag(page, `[data-task-id="${t.id}"]`, 'section.column[data-column="running"]');
  await expect(page.getByRole('alert')).toContainText("Cannot set status to 'running' directly");
  await expect(column(page, 'ready').locator(`[data-task-id="${t.id}"]`)).toBeVisible();
  expect(showTask(t.id, board).task.status).toBe('ready');
});

test('a task created with the CLI appears without a reload', async ({ page }) => {
  const board = freshBoard('live');
  await openBoard(page, board);
  const started = Date.now();
  const t = createTask('Arrived live', '--board', board, '--assignee', 'someone');
  await expect(card(page, t.id)).toBeVisible({ timeout: 1000 });
  const elapsed = Date.now() - started;
  expect(elapsed).toBeLessThan(5000);
  baton('--board', board, 'comment', t.id, 'first note');
  await expect(card(page, t.id)).toContainText('✎ 1');
  baton('--board', board, 'archive', t.id);
  await expect(card(page, t.id)).toHaveCount(0);
});

test('search and filters narrow the board', async ({ page }) => {
  const board = freshBoard('filters');
  const a = createTask('Invoice parser', '--board', board, '--tenant', 'acme', '--assignee', 'coder');
  const b = createTask('Landing page copy', '--board', board, '--tenant', 'globex', '--assignee', 'writer');
  const c = createTask('Invoice emails', '--board', board, '--tenant', 'globex', '--assignee', 'coder');
  await openBoard(page, board);
  await page.getByLabel('Search').fill('invoice');
  await expect(card(page, a.id)).toBeVisible();
  await expect(card(page, c.id)).toBeVisible();
  await expect(card(page, b.id)).toHaveCount(0);
  await page.getByLabel('Tenant').selectOption('globex');
  await expect(card(page, a.id)).toHaveCount(0);
  await expect(card(page, c.id)).toBeVisible();
  await page.getByLabel('Search').fill('');
  await page.getByLabel('Assignee').selectOption('writer');
  await expect(card(page, b.id)).toBeVisible();
  await expect(card(page, c.id)).toHaveCount(0);
  await expect(card(page, a.id)).toHaveCount(0);
});

test('lanes group the running column by assignee', async ({ page }) => {
  const board = freshBoard('lanes');
  const a = createTask('Job A', '--board', board, '--assignee', 'alpha');
  const b = createTask('Job B', '--board', board, '--assignee', 'beta');
  baton('--board', board, 'claim', a.id);
  baton('--board', board, 'claim', b.id);
  await openBoard(page, board);
  const running = column(page, 'running');
  await expect(running.locator('.lane[data-lane="alpha"]').locator(`[data-task-id="${a.id}"]`)).toBeVisible();
  await expect(running.locator('.lane[data-lane="beta"]').locator(`[data-task-id="${b.id}"]`)).toBeVisible();
  await page.getByLabel('Lanes by profile').uncheck();
  await expect(running.locator('.lane')).toHaveCount(0);
  await expect(running.locator(`[data-task-id="${a.id}"]`)).toBeVisible();
  baton('--board', board, 'reclaim', a.id);
  baton('--board', board, 'reclaim', b.id);
});

test('switching boards shows the other board and the URL carries it', async ({ page }) => {
  const first = freshBoard('first');
  const second = freshBoard('second');
  const a = createTask('On the first board', '--board', first);
  const b = createTask('On the second board', '--board', second);
  await openBoard(page, first);
  await expect(card(page, a.id)).toBeVisible();
  await page.getByLabel('Board', { exact: true }).selectOption(second);
  await expect(page).toHaveURL(new RegExp(`/boards/${second}$`));
  await expect(card(page, b.id)).toBeVisible();
  await expect(card(page, a.id)).toHaveCount(0);
  await page.reload();
  await expect(card(page, b.id)).toBeVisible();
  baton('boards', 'switch', 'default');
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('a long press and a drag with a finger moves a card', async ({ page }) => {
    const board = freshBoard('touch');
    const t = createTask('Move me by touch', '--board', board);
    await openBoard(page, board);
    await expect(card(page, t.id)).toBeVisible();
    const from = await centre(page, `[data-task-id="${t.id}"]`);
    const to = await centre(page, '.column-tabs button[data-column="triage"]');
    const cdp = await page.context().newCDPSession(page);
    const touch = (type: string, x: number, y: number) =>
      cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints: type === 'touchEnd' ? [] : [{ x, y, id: 1 }],
      });
    await touch('touchStart', from.x, from.y);
    await page.waitForTimeout(600);
    for (let i = 1; i <= 10; i++) {
      await touch('touchMove', from.x + ((to.x - from.x) * i) / 10, from.y + ((to.y - from.y) * i) / 10);
      await page.waitForTimeout(16);
    }
    await touch('touchEnd', to.x, to.y);
    await expect.poll(() => showTask(t.id, board).task.status).toBe('triage');
    await page.getByRole('button', { name: 'Triage' }).click();
    await expect(column(page, 'triage').locator(`[data-task-id="${t.id}"]`)).toBeVisible();
  });

  test('one column at a time, switched with tabs', async ({ page }) => {
    const board = freshBoard('phone');
    const t = createTask('Visible on ready', '--board', board);
    await openBoard(page, board);
    await expect(column(page, 'ready')).toBeVisible();
    await expect(column(page, 'todo')).toBeHidden();
    await page.locator('.column-tabs').getByRole('button', { name: 'Todo' }).click();
    await expect(column(page, 'todo')).toBeVisible();
    await expect(card(page, t.id)).toBeHidden();
  });
});

test('Done lists what finished last first, not by id or priority', async ({ page }) => {
  const board = freshBoard('done-order');
  const design = createTask('Design', '--board', board, '--priority', '1');
  const implement = createTask('Implement', '--board', board);
  const testing = createTask('Test', '--board', board, '--priority', '9');
  // Completion times are in seconds: a second apart, Design → Implement → Test.
  for (const t of [design, implement, testing]) {
    baton('--board', board, 'complete', t.id, '--summary', `${t.title} done`);
    await new Promise((r) => setTimeout(r, 1100));
  }
  await openBoard(page, board);
  const ids = await column(page, 'done').locator('.card').evaluateAll((cards) =>
    cards.map((c) => c.getAttribute('data-task-id')),
  );
  expect(ids).toEqual([testing.id, implement.id, design.id]);
});
