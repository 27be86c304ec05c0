// The task drawer: safe markdown, editing, dependencies, status actions,
// comments, run history, the worker log, diagnostics; plus multi-select and
// bulk actions, the attention strip, the keyboard and undo.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baton, card, column, createTask, freshBoard, openBoard, showTask, signIn, waitForHydration } from './helpers';

function drawer(page: Page) {
  return page.locator('aside.drawer');
}

async function openDrawer(page: Page, id: string) {
  await card(page, id).locator('.card-title').click();
  await expect(page).toHaveURL(new RegExp(`/tasks/${id}$`));
  await expect(drawer(page).locator('.drawer-title')).toBeVisible();
}

test('hostile titles, bodies and comments render inert', async ({ page }) => {
  const board = freshBoard('xss');
  const payloads = [
    '<script>window.__xss = "script"</script>',
    '<img src=x onerror="window.__xss = \'img\'">',
    '<svg onload="window.__xss = \'svg\'"></svg>',
    '<iframe src="javascript:window.__xss = \'iframe\'"></iframe>',
    '<a href="javascript:window.__xss = \'a\'">raw link</a>',
    '[md link](javascript:window.__xss="md")',
    '[spaced](java\tscript:window.__xss="tab")',
    '<javascript:window.__xss="auto">',
    '![img](javascript:window.__xss="image")',
    '"><b onmouseover="window.__xss=\'attr\'">x</b>',
    '<style>body { display: none }</style>',
  ];
  const body = payloads.join('\n\n');
  const t = createTask(payloads[1], '--board', board, '--body', body);
  for (const p of payloads.slice(0, 4)) baton('--board', board, 'comment', t.id, p);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  await openBoard(page, board);
  await expect(card(page, t.id)).toContainText('onerror');
  await openDrawer(page, t.id);
  const d = drawer(page);
  await expect(d.locator('.drawer-title')).toHaveText(payloads[1]);
  await expect(d.locator('.markdown').first()).toContainText('<script>');
  await expect(d.locator('.comments .comment')).toHaveCount(4);
  // Hover and click everything that might carry a handler.
  await d.locator('.markdown').first().hover();
  for (const a of await d.locator('.markdown a').all()) await a.click({ modifiers: ['Control'] }).catch(() => {});
  expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);
  // Nothing was injected as an element, and no javascript: link exists.
  for (const sel of ['script:not([src])', 'img[src="x"]', 'iframe', 'svg[onload]', 'b[onmouseover]', 'style:not([id])']) {
    await expect(page.locator(`.drawer ${sel}, .card ${sel}`)).toHaveCount(0);
  }
  const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
  expect(hrefs.filter((h) => /^\s*(javascript|data|vbscript):/i.test(h))).toEqual([]);
  await expect(page.locator('body')).toBeVisible();
});

test('links in markdown open in a new tab without access to the page', async ({ page }) => {
  const board = freshBoard('links');
  const t = createTask('Has a link', '--board', board, '--body', 'See [the docs](https://example.com/docs) or mail <mailto:a@example.com>.');
  await openBoard(page, board);
  await openDrawer(page, t.id);
  const link = drawer(page).locator('.markdown a', { hasText: 'the docs' });
  await expect(link).toHaveAttribute('href', 'https://example.com/docs');
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
});

test('editing the title and the description persists across a reload', async ({ page }) => {
  const board = freshBoard('edit');
  const t = createTask('Old title', '--board', board, '--body', 'old body');
  await openBoard(page, board);
  await openDrawer(page, t.id);
  const d = drawer(page);
  // A blank title is refused and nothing changes.
  await d.locator('.drawer-title').click();
  await d.getByLabel('Title').fill('   ');
  await d.getByLabel('Title').press('Enter');
  await expect(d.getByRole('alert')).toContainText('cannot be blank');
  await d.getByLabel('Title').press('Escape');
  await expect(d.locator('.drawer-title')).toHaveText('Old title');
  await d.locator('.drawer-title').click();
  await d.getByLabel('Title').fill('New title');
  await d.getByLabel('Title').press('Enter');
  await expect(d.locator('.drawer-title')).toHaveText('New title');
  await d.getByRole('button', { name: 'Edit' }).click();
  await d.getByRole('textbox', { name: 'Description (markdown)' }).fill('## Plan\n\n- first\n- second');
  await d.getByRole('button', { name: 'Save' }).click();
  await expect(d.locator('.markdown h2')).toHaveText('Plan');
  // The card followed, and a reload of the task's URL shows the same.
  await expect(card(page, t.id)).toContainText('New title');
  await page.reload();
  await waitForHydration(page);
  await expect(drawer(page).locator('.drawer-title')).toHaveText('New title');
  await expect(drawer(page).locator('.markdown li')).toHaveText(['first', 'second']);
  const shown = showTask(t.id, board).task as any;
  expect([shown.title, shown.body]).toEqual(['New title', '## Plan\n\n- first\n- second']);
});

test('dependencies are added and removed, and a cycle is refused', async ({ page }) => {
  const board = freshBoard('deps');
  const a = createTask('Design the schema', '--board', board);
  const b = createTask('Write the migration', '--board', board);
  await openBoard(page, board);
  await openDrawer(page, b.id);
  const d = drawer(page);
  const parents = d.locator('.links[data-side="parents"]');
  await parents.getByRole('searchbox', { name: 'Add a parent' }).fill('schema');
  await parents.getByRole('option').getByRole('button', { name: /Design the schema/ }).click();
  await expect(parents.locator(`[data-link="${a.id}"]`)).toBeVisible();
  expect(JSON.parse(baton('--board', board, 'show', b.id, '--json')).links.parents).toEqual([a.id]);
  await expect(column(page, 'todo').locator(`[data-task-id="${b.id}"]`)).toBeVisible();
  // Already linked tasks are not offered.
  const children = d.locator('.links[data-side="children"]');
  await children.getByRole('searchbox', { name: 'Add a child' }).fill(a.id);
  await expect(children.getByRole('option')).toHaveCount(0);
  // A → B → C; making C a parent of A would close a loop.
  const c = createTask('Backfill the data', '--board', board, '--parent', b.id);
  await expect(card(page, c.id)).toBeVisible();
  // The chip opens the linked task's drawer.
  await parents.locator(`[data-link="${a.id}"]`).getByRole('button', { name: /Design the schema/ }).click();
  await expect(drawer(page).locator('.drawer-title')).toHaveText('Design the schema');
  const achildren = drawer(page).locator('.links[data-side="children"]');
  await expect(achildren.locator(`[data-link="${b.id}"]`)).toBeVisible();
  const aparents = drawer(page).locator('.links[data-side="parents"]');
  await aparents.getByRole('searchbox', { name: 'Add a parent' }).fill('backfill');
  await aparents.getByRole('option').getByRole('button', { name: /Backfill the data/ }).click();
  await expect(drawer(page).getByRole('alert')).toContainText(/cycle/i);
  expect(JSON.parse(baton('--board', board, 'show', a.id, '--json')).links.parents).toEqual([]);
  // Unlinking with the chip's ×.
  await achildren.getByRole('button', { name: `Unlink ${b.id}` }).click();
  await expect(achildren.locator(`[data-link="${b.id}"]`)).toHaveCount(0);
  expect(JSON.parse(baton('--board', board, 'show', b.id, '--json')).links.parents).toEqual([]);
});

test('status actions: block with a reason, unblock, complete with validated metadata', async ({ page }) => {
  const board = freshBoard('status');
  const t = createTask('Ship it', '--board', board);
  await openBoard(page, board);
  await openDrawer(page, t.id);
  const d = drawer(page);
  await d.getByRole('button', { name: 'Block…' }).click();
  await d.getByLabel('Reason').fill('waiting for the keys');
  await d.getByRole('button', { name: 'Block', exact: true }).click();
  await expect(d.locator('.status-badge')).toHaveText('Blocked');
  // What it waits for comes first, under the title.
  await expect(d.getByRole('note', { name: 'Waiting for a person' })).toContainText('waiting for the keys');
  await d.getByRole('button', { name: 'Unblock' }).click();
  await expect(d.locator('.status-badge')).toHaveText('Ready');
  await expect(d.getByRole('note', { name: 'Waiting for a person' })).toHaveCount(0);
  await d.getByRole('button', { name: 'Complete…' }).click();
  await d.getByLabel('Summary').fill('Shipped to production');
  await d.getByLabel('Metadata').fill('{"tests": 12,');
  await d.getByRole('button', { name: 'Complete', exact: true }).click();
  await expect(d.getByRole('alert')).toContainText('not valid JSON');
  expect(showTask(t.id, board).task.status).toBe('ready');
  await d.getByLabel('Metadata').fill('{"tests": 12}');
  await d.getByRole('button', { name: 'Complete', exact: true }).click();
  await expect(d.locator('.status-badge')).toHaveText('Done');
  const runs = JSON.parse(baton('--board', board, 'show', t.id, '--json')).runs;
  expect(runs.at(-1).summary).toBe('Shipped to production');
  expect(runs.at(-1).metadata).toEqual({ tests: 12 });
  await expect(d.locator('.run').first()).toContainText('completed');
  // Runs are counted per task, newest first.
  await expect(d.locator('.run .run-id')).toHaveText(['Run 2', 'Run 1']);
  // Activity reads as words, not JSON.
  await expect(d.locator('.events')).toContainText('Completed: Shipped to production');
  await expect(d.locator('.events')).toContainText('Blocked: waiting for the keys');
  await expect(d.locator('.events')).not.toContainText('{');
});

test('comments: Enter sends, Shift+Enter makes a new line, markdown renders', async ({ page }) => {
  const board = freshBoard('comments');
  const t = createTask('Discuss', '--board', board);
  await openBoard(page, board);
  await openDrawer(page, t.id);
  const box = drawer(page).getByLabel('Add a comment');
  await box.fill('**first** line');
  await box.press('Shift+Enter');
  await box.pressSequentially('second line');
  await box.press('Enter');
  await expect(drawer(page).locator('.comment .markdown strong')).toHaveText('first');
  await expect(box).toHaveValue('');
  const c = JSON.parse(baton('--board', board, 'show', t.id, '--json')).comments;
  expect(c.map((x: any) => x.body)).toEqual(['**first** line\nsecond line']);
  // A comment from elsewhere appears without a reload.
  baton('--board', board, 'comment', t.id, 'from the CLI');
  await expect(drawer(page).locator('.comment')).toHaveCount(2);
});

test('the drawer of a running task shows its log growing', async ({ page }) => {
  const board = freshBoard('log');
  const t = createTask('Talk a lot', '--board', board, '--assignee', 'chatty');
  try {
    await openBoard(page, board);
    await expect(column(page, 'running').locator(`[data-task-id="${t.id}"]`)).toBeVisible({ timeout: 15_000 });
    await openDrawer(page, t.id);
    const log = drawer(page).locator('pre.log');
    await expect(log).toContainText('log line 2', { timeout: 10_000 });
    const before = (await log.textContent())!.length;
    await expect(log).toContainText('log line 12', { timeout: 10_000 });
    expect((await log.textContent())!.length).toBeGreaterThan(before);
    await expect(drawer(page).locator('.run').first()).toContainText('active');
  } finally {
    baton('--board', board, 'archive', t.id);
  }
});

test('the attention strip lists a crash-looping task and its Reclaim works', async ({ page }) => {
  const board = freshBoard('attention');
  const t = createTask('Flaky job', '--board', board, '--assignee', 'crashloop');
  try {
    // Two crashes, then a third attempt that hangs.
    await expect
      .poll(() => JSON.parse(baton('--board', board, 'show', t.id, '--json')).runs.length, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(3);
    await expect.poll(() => showTask(t.id, board).task.status, { timeout: 10_000 }).toBe('running');
    await openBoard(page, board);
    const strip = page.getByRole('region', { name: 'Needs attention' });
    await expect(strip).toContainText('1 task needs attention');
    await strip.getByRole('button', { name: /needs attention/ }).click();
    const row = strip.locator(`.attention-row[data-task-id="${t.id}"]`);
    await expect(row).toContainText('crashed 2x');
    const runsBefore = JSON.parse(baton('--board', board, 'show', t.id, '--json')).runs.length;
    await row.getByRole('button', { name: 'Reclaim and retry' }).click();
    await expect
      .poll(() => JSON.parse(baton('--board', board, 'show', t.id, '--json')).runs.map((r: any) => r.outcome))
      .toContain('reclaimed');
    const runs = JSON.parse(baton('--board', board, 'show', t.id, '--json')).runs;
    expect(runs[runsBefore - 1].outcome).toBe('reclaimed');
    // Open goes to the drawer with the diagnostic and its actions.
    await row.getByRole('button', { name: 'Open' }).click();
    const diag = drawer(page).locator('.diagnostic[data-kind="repeated_crashes"]');
    await expect(diag).toBeVisible();
    await expect(diag.locator('.cli-hint code')).toHaveText(`baton log ${t.id}`);
    // Four attempts or more: the oldest collapse behind "+N earlier".
    await expect.poll(() => JSON.parse(baton('--board', board, 'show', t.id, '--json')).runs.length).toBeGreaterThanOrEqual(4);
    await expect(drawer(page).locator('.run')).toHaveCount(3);
    await drawer(page).getByRole('button', { name: /^\+\d+ earlier$/ }).click();
    expect(await drawer(page).locator('.run').count()).toBeGreaterThanOrEqual(4);
    await expect(drawer(page).locator('.run[data-outcome="crashed"]')).toHaveCount(2);
    // Reassigning to nobody (reclaiming first) stops the loop.
    await diag.getByLabel('Profile', { exact: true }).selectOption('');
    await diag.getByRole('button', { name: 'Reassign to another profile' }).click();
    await expect.poll(() => showTask(t.id, board).task.assignee).toBeNull();
    await expect.poll(() => showTask(t.id, board).task.status).toBe('ready');
    // Dismissed, it stays away for the session.
    await page.keyboard.press('Escape');
    await strip.getByRole('button', { name: 'Dismiss' }).click();
    await expect(strip).toHaveCount(0);
    await page.reload();
    await waitForHydration(page);
    await expect(page.getByRole('region', { name: 'Needs attention' })).toHaveCount(0);
  } finally {
    baton('--board', board, 'archive', t.id);
  }
});

test('bulk archive of three cards and a stale one reports the partial failure', async ({ page }) => {
  const board = freshBoard('bulk');
  const ids = ['One', 'Two', 'Three', 'Stale'].map((n) => createTask(n, '--board', board).id);
  await openBoard(page, board);
  await page.getByRole('checkbox', { name: 'Archived' }).check();
  for (const id of ids.slice(0, 3)) await card(page, id).getByRole('checkbox').click();
  // The bar arrives with the first selection (floating over the board).
  const bar = page.getByRole('toolbar', { name: 'Bulk actions' });
  await expect(bar).toContainText('3 selected');
  // Ctrl-click selects too, without opening the drawer.
  await card(page, ids[3]).locator('.card-title').click({ modifiers: ['Control'] });
  await expect(page).not.toHaveURL(/\/tasks\//);
  await expect(bar).toContainText('4 selected');
  // Meanwhile someone archives one of them.
  baton('--board', board, 'archive', ids[3]);
  await expect(column(page, 'archived').locator(`[data-task-id="${ids[3]}"]`)).toBeVisible();
  await bar.getByRole('button', { name: 'Archive…' }).click();
  await page.getByRole('dialog', { name: 'Confirm bulk action' }).getByRole('button', { name: 'Archive' }).click();
  const report = page.locator('.bulk-report');
  await expect(report).toContainText('3 succeeded, 1 failed');
  await expect(report).toContainText(`${ids[3]} — ${ids[3]} is already archived`);
  for (const id of ids.slice(0, 3)) expect(showTask(id, board).task.status).toBe('archived');
  // Undo brings the three back.
  await page.locator('.toast.undo').getByRole('button', { name: 'Undo' }).click();
  for (const id of ids.slice(0, 3)) {
    await expect(column(page, 'ready').locator(`[data-task-id="${id}"]`)).toBeVisible();
    expect(showTask(id, board).task.status).toBe('ready');
  }
});

test('bulk reassign and priority apply to every selected card', async ({ page }) => {
  const board = freshBoard('bulk2');
  const ids = ['A', 'B'].map((n) => createTask(n, '--board', board, '--assignee', 'coder').id);
  await openBoard(page, board);
  for (const id of ids) await card(page, id).getByRole('checkbox').click();
  const bar = page.getByRole('toolbar', { name: 'Bulk actions' });
  await bar.getByLabel('Reassign to').selectOption('(unassigned)');
  await bar.getByRole('button', { name: 'Reassign' }).click();
  await expect(page.locator('.bulk-report')).toContainText('2 succeeded');
  for (const id of ids) expect(showTask(id, board).task.assignee).toBeNull();
  for (const id of ids) await card(page, id).getByRole('checkbox').click();
  await bar.getByLabel('Priority for selected').fill('7');
  await bar.getByRole('button', { name: 'Set priority' }).click();
  await expect.poll(() => ids.map((id) => (showTask(id, board).task as any).priority)).toEqual([7, 7]);
});

test('the keyboard moves focus, selects, opens and closes', async ({ page }) => {
  const board = freshBoard('keys');
  const a = createTask('First', '--board', board, '--priority', '2');
  const b = createTask('Second', '--board', board, '--priority', '1');
  await openBoard(page, board);
  await page.locator('body').click({ position: { x: 5, y: 300 } });
  await page.keyboard.press('j');
  await expect(card(page, a.id)).toBeFocused();
  await page.keyboard.press('j');
  await expect(card(page, b.id)).toBeFocused();
  await page.keyboard.press('k');
  await expect(card(page, a.id)).toBeFocused();
  await page.keyboard.press('x');
  await expect(card(page, a.id)).toHaveClass(/selected/);
  await expect(page.getByRole('toolbar', { name: 'Bulk actions' })).toContainText('1 selected');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/tasks/${a.id}$`));
  await expect(drawer(page).locator('.drawer-title')).toHaveText('First');
  await page.keyboard.press('Escape');
  await expect(drawer(page)).toHaveCount(0);
  await expect(page).toHaveURL(new RegExp(`/boards/${board}$`));
  await page.keyboard.press('Escape');
  await expect(page.getByRole('toolbar', { name: 'Bulk actions' })).toHaveCount(0);
  await page.keyboard.press('/');
  await expect(page.getByLabel('Search')).toBeFocused();
  await page.keyboard.press('Escape');
  await card(page, b.id).focus();
  await page.keyboard.press('c');
  await expect(column(page, 'ready').getByRole('form', { name: 'New task' }).getByLabel('Title')).toBeFocused();
  await page.keyboard.press('Escape');
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveCount(0);
});

test('undo puts a moved card back', async ({ page }) => {
  const board = freshBoard('undo');
  const t = createTask('Oops', '--board', board);
  await openBoard(page, board);
  await card(page, t.id).locator('.card-title').click();
  await drawer(page).getByRole('button', { name: '→ Triage' }).click();
  await expect(column(page, 'triage').locator(`[data-task-id="${t.id}"]`)).toBeVisible();
  await expect.poll(() => showTask(t.id, board).task.status).toBe('triage');
  await page.locator('.toast.undo').getByRole('button', { name: 'Undo' }).click();
  await expect(column(page, 'ready').locator(`[data-task-id="${t.id}"]`)).toBeVisible();
  expect(showTask(t.id, board).task.status).toBe('ready');
});

test('a task link opens its own board with the drawer, and closing keeps the board', async ({ page }) => {
  const other = freshBoard('linked');
  const t = createTask('Deep link', '--board', other);
  await signIn(page, `/tasks/${t.id}`);
  await waitForHydration(page);
  await expect(drawer(page).locator('.drawer-title')).toHaveText('Deep link');
  await expect(card(page, t.id)).toBeVisible();
  await drawer(page).getByRole('button', { name: 'Close' }).click();
  await expect(page).toHaveURL(new RegExp(`/boards/${other}$`));
  await expect(card(page, t.id)).toBeVisible();
  // A click outside the drawer closes it too.
  await openDrawer(page, t.id);
  await page.locator('.drawer-backdrop').click({ position: { x: 10, y: 400 } });
  await expect(drawer(page)).toHaveCount(0);
});

test('the drawer toggles a notification channel, and the channel hears the completion', async ({ page, baseURL }) => {
  const { createServer } = await import('node:http');
  const heard: { path: string; body: string }[] = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      heard.push({ path: req.url ?? '', body });
      res.end('ok');
    });
  });
  const port = Number(new URL(baseURL!).port) + 1;
  await new Promise<void>((r) => receiver.listen(port, '127.0.0.1', r));
  try {
    const board = freshBoard('notify');
    const t = createTask('Tell me when done', '--board', board, '--notify', 'phone');
    await openBoard(page, board);
    await openDrawer(page, t.id);
    const section = drawer(page).getByRole('region', { name: 'Notifications' });
    const ops = section.getByRole('button', { name: /ops \(webhook\)/ });
    const phone = section.getByRole('button', { name: /phone \(ntfy\)/ });
    await expect(ops).toHaveAttribute('aria-pressed', 'false');
    await expect(phone).toHaveAttribute('aria-pressed', 'true');
    await ops.click();
    await expect(ops).toHaveAttribute('aria-pressed', 'true');
    await expect(ops).toHaveText('✓ ops (webhook)');
    await phone.click();
    await expect(phone).toHaveAttribute('aria-pressed', 'false');
    const subs = JSON.parse(baton('--board', board, 'notify-list', t.id, '--json'));
    expect(subs.map((s: { chat_id: string }) => s.chat_id)).toEqual(['ops']);
    // A reload shows the stored state, not the optimistic one.
    await page.reload();
    await expect(drawer(page).getByRole('button', { name: /ops \(webhook\)/ })).toHaveAttribute('aria-pressed', 'true');
    baton('--board', board, 'complete', t.id, '--summary', 'All wrapped up');
    await expect.poll(() => heard.length, { timeout: 10_000 }).toBe(1);
    expect(heard[0].path).toBe('/ops');
    const msg = JSON.parse(heard[0].body);
    expect(msg.event.kind).toBe('completed');
    expect(msg.detail).toBe('All wrapped up');
  } finally {
    receiver.close();
  }
});

test('the drawer shows an agent run as a conversation, live, with tool calls folded', async ({ page }) => {
  const board = freshBoard('agent');
  const t = createTask('Write the CSV parser', '--board', board, '--assignee', 'replayer');
  try {
    await openBoard(page, board);
    await expect(column(page, 'running').locator(`[data-task-id="${t.id}"]`)).toBeVisible({ timeout: 15_000 });
    await openDrawer(page, t.id);
    const talk = drawer(page).getByRole('region', { name: 'Conversation' });
    await expect(talk).toBeVisible({ timeout: 10_000 });
    await expect(talk.locator('h3')).toContainText('run 1');
    await expect(talk.locator('.following')).toBeVisible();
    // Entries arrive as the agent writes them, in order.
    const calls = talk.locator('.tx-call .tx-tool');
    await expect(calls.first()).toHaveText('mcp__baton__kanban_heartbeat', { timeout: 10_000 });
    await expect(calls).toHaveText(
      [
        'mcp__baton__kanban_heartbeat',
        'mcp__baton__kanban_comment',
        'mcp__baton__kanban_create',
        'mcp__baton__kanban_complete',
      ],
      { timeout: 15_000 },
    );
    // A call is folded to one line; opened, it shows its whole input.
    const complete = talk.locator('.tx-call').nth(3);
    await expect(complete.locator('pre')).toBeHidden();
    await complete.locator('summary').click();
    await expect(complete.locator('pre')).toContainText('"tests_run": 14');
    await expect(talk.locator('.tx-final')).toContainText('All four steps are done', { timeout: 10_000 });
    await expect(talk.locator('.tx-usage')).toContainText('claude-code');
    // The run's last answer completed the task (on_exit = complete).
    await expect.poll(() => showTask(t.id, board).task.status, { timeout: 15_000 }).toBe('done');
  } finally {
    baton('--board', board, 'archive', t.id);
  }
});

test('the drawer of a worktree task shows its branch and what changed', async ({ page }) => {
  const repo = mkdtempSync(join(tmpdir(), 'baton-repo-'));
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', repo, '-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args]);
  git('init', '-q', '-b', 'main');
  writeFileSync(join(repo, 'README'), 'hello\n');
  git('add', 'README');
  git('commit', '-qm', 'start');
  const board = freshBoard('worktree');
  baton('boards', 'create', board, '--default-workdir', repo);
  const t = createTask('Commit something', '--board', board, '--assignee', 'committer', '--workspace', 'worktree');
  try {
    await expect.poll(() => showTask(t.id, board).task.status, { timeout: 15_000 }).toBe('done');
    await openBoard(page, board);
    await openDrawer(page, t.id);
    const wt = drawer(page).getByRole('region', { name: 'Worktree' });
    await expect(wt.locator('.branch')).toHaveText(`baton/${t.id}`);
    await expect(wt).toContainText('1 commit');
    await expect(wt.locator('.commits')).toContainText(`work on ${t.id}`);
    await expect(wt.locator('.diffstat')).toContainText('work.txt');
  } finally {
    baton('--board', board, 'archive', t.id);
  }
});
