// `baton mcp` driven by the official MCP TypeScript SDK, the way an agent's
// client does it: over stdio as a worker process, and over streamable HTTP
// at /mcp on the running server. No browser is involved.
import { expect, test } from '@playwright/test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { baton, createTask, freshBoard, showTask, token } from './helpers';

type ToolResult = { isError?: boolean; content: { type: string; text: string }[]; structuredContent?: any };

async function stdioClient(board: string, env: Record<string, string> = {}) {
  const transport = new StdioClientTransport({
    command: process.env.BATON_BIN!,
    args: ['--home', process.env.BATON_E2E_HOME!, '--board', board, 'mcp'],
    env: { PATH: process.env.PATH ?? '', ...env },
    stderr: 'pipe',
  });
  const client = new Client({ name: 'baton-e2e', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<ToolResult> {
  return (await client.callTool({ name, arguments: args })) as ToolResult;
}

async function ok(client: Client, name: string, args: Record<string, unknown> = {}) {
  const r = await call(client, name, args);
  expect(r.isError, `${name}: ${r.content?.[0]?.text}`).toBeFalsy();
  return r.structuredContent;
}

async function refused(client: Client, name: string, args: Record<string, unknown>, message: RegExp) {
  const r = await call(client, name, args);
  expect(r.isError, `${name} should be refused`).toBe(true);
  expect(r.content[0].text).toMatch(message);
}

/** Claims a task the way the dispatcher does and returns its run id. */
function claim(board: string, id: string): string {
  return String(JSON.parse(baton('--board', board, 'claim', id, '--json')).run_id);
}

test('tools are listed with schemas that say what each argument means', async () => {
  const board = freshBoard('mcp-list');
  const client = await stdioClient(board);
  try {
    expect(client.getServerVersion()?.name).toBe('baton');
    const { tools } = await client.listTools();
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(Object.keys(byName).sort()).toEqual([
      'kanban_block', 'kanban_comment', 'kanban_complete', 'kanban_create', 'kanban_heartbeat', 'kanban_link', 'kanban_show',
      'kanban_usage',
    ]);
    for (const t of tools) {
      expect(t.description!.length, t.name).toBeGreaterThan(40);
      expect(t.inputSchema.type).toBe('object');
      for (const [k, p] of Object.entries(t.inputSchema.properties ?? {})) {
        expect((p as { description?: string }).description, `${t.name}.${k}`).toBeTruthy();
      }
    }
    expect(byName.kanban_complete.inputSchema.required).toEqual(['summary']);
    expect(byName.kanban_create.inputSchema.required).toEqual(['title', 'assignee']);
    expect(byName.kanban_block.inputSchema.required).toEqual(['reason']);
    expect((byName.kanban_create.inputSchema.properties as any).parents.anyOf).toHaveLength(2);
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['worker-lifecycle']);
    const prompt = await client.getPrompt({ name: 'worker-lifecycle', arguments: { task_id: 't_12345678' } });
    const text = (prompt.messages[0].content as { text: string }).text;
    expect(text).toContain('You are the worker for task t_12345678');
    expect(text).toContain('kanban_complete');
  } finally {
    await client.close();
  }
});

test('a worker does its whole task through the tools, fenced by its run', async () => {
  const board = freshBoard('mcp-life');
  const parent = createTask('Collect the logs', '--board', board, '--assignee', 'coder');
  claim(board, parent.id);
  baton('--board', board, 'complete', parent.id, '--summary', 'Logs are in /tmp/logs', '--metadata', '{"files": 3}');
  const task = createTask('Parse the logs', '--board', board, '--assignee', 'coder', '--parent', parent.id, '--body', 'Count **errors** per hour.');
  const run = claim(board, task.id);
  const client = await stdioClient(board, { BATON_TASK: task.id, BATON_RUN: run, BATON_PROFILE: 'coder', BATON_TENANT: 'acme' });
  try {
    const shown = await ok(client, 'kanban_show');
    expect(shown.task.id).toBe(task.id);
    expect(shown.task.body).toBe('Count **errors** per hour.');
    expect(shown.task.status).toBe('running');
    expect(shown.parents[0].handoff.summary).toBe('Logs are in /tmp/logs');
    expect(shown.parents[0].handoff.metadata).toEqual({ files: 3 });
    expect(shown.attempts).toHaveLength(1);
    expect(shown.context).toContain('How to work this task');
    expect(shown.context).toContain('kanban_heartbeat');

    await ok(client, 'kanban_heartbeat', { note: 'parsing hour 3' });
    // Usage the worker's CLI knows and Baton cannot read: priced from the
    // model (gpt-5: $1.25 in, $10 out per million), replaced by a later report.
    await ok(client, 'kanban_usage', { input_tokens: 1000, output_tokens: 100, model: 'gpt-5' });
    const u = await ok(client, 'kanban_usage', { input_tokens: 400000, output_tokens: 20000, model: 'gpt-5' });
    expect(u.usage.cost_source).toBe('prices');
    expect(u.usage.cost_usd).toBeCloseTo(0.7, 9);
    await refused(client, 'kanban_usage', {}, /give what your run used/);
    await refused(client, 'kanban_usage', { output_tokens: 5, cost_usd: -1 }, /positive amount/);
    const c = await ok(client, 'kanban_comment', { body: 'Hour 3 has *twice* the errors.' });
    expect(c.comment.author).toBe('coder');
    // A single parent and a single skill may be given as strings.
    const child = await ok(client, 'kanban_create', {
      title: 'Investigate hour 3', assignee: 'Researcher', parents: task.id, skills: 'logs', priority: 2,
    });
    expect(child.task.status).toBe('todo');
    expect(child.task.tenant).toBe('acme');
    const done = await ok(client, 'kanban_complete', {
      summary: 'Counted errors per hour; hour 3 is the outlier',
      metadata: { hours: 24, outlier: 3 },
      created_cards: [child.task.id],
    });
    expect(done.task.status).toBe('done');

    const after = JSON.parse(baton('--board', board, 'show', task.id, '--json'));
    expect(after.task.status).toBe('done');
    expect(after.comments[0].body).toBe('Hour 3 has *twice* the errors.');
    const lastRun = after.runs[after.runs.length - 1];
    expect(lastRun.outcome).toBe('completed');
    expect(lastRun.summary).toBe('Counted errors per hour; hour 3 is the outlier');
    expect(lastRun.metadata).toEqual({ hours: 24, outlier: 3 });
    expect(after.events.some((e: any) => e.kind === 'heartbeat')).toBe(true);
    expect(after.usage).toHaveLength(1);
    expect(after.usage[0]).toMatchObject({ run_id: Number(run), input_tokens: 400000, output_tokens: 20000, source: 'reported' });
    const spend = JSON.parse(baton('--board', board, 'spend', '--task', parent.id, '--json'));
    expect(spend.total.runs).toBe(1);
    expect(spend.total.cost_usd).toBeCloseTo(0.7, 9);
    const kid = showTask(child.task.id, board).task as any;
    expect(kid.assignee).toBe('researcher');
    expect(kid.created_by).toBe('coder');
    expect(kid.skills).toEqual(['logs']);
    expect(kid.status).toBe('ready');
  } finally {
    await client.close();
  }
});

test('bad input comes back as tool errors and changes nothing', async () => {
  const board = freshBoard('mcp-errors');
  const a = createTask('A', '--board', board, '--assignee', 'coder');
  const b = createTask('B', '--board', board, '--assignee', 'coder', '--parent', a.id);
  const run = claim(board, a.id);
  const client = await stdioClient(board, { BATON_TASK: a.id, BATON_RUN: run, BATON_PROFILE: 'coder' });
  try {
    await refused(client, 'kanban_complete', {}, /summary is required/);
    await refused(client, 'kanban_complete', { summary: '   ' }, /summary must not be blank/);
    await refused(client, 'kanban_complete', { summary: 'x', metadata: [1, 2] }, /metadata must be a JSON object/);
    await refused(client, 'kanban_complete', { summary: 'x', metadata: '{"a":1}' }, /metadata must be a JSON object/);
    await refused(client, 'kanban_block', { reason: '' }, /reason must not be blank/);
    await refused(client, 'kanban_comment', { body: '\n ' }, /body must not be blank/);
    await refused(client, 'kanban_create', { assignee: 'coder' }, /title is required/);
    await refused(client, 'kanban_create', { title: 'x' }, /assignee is required/);
    await refused(client, 'kanban_create', { title: 'x', assignee: 'coder', parents: 't_00000000' }, /t_00000000/);
    await refused(client, 'kanban_link', { parent_id: a.id, child_id: a.id }, /itself/);
    await refused(client, 'kanban_link', { parent_id: b.id, child_id: a.id }, /cycle/);
    await refused(client, 'kanban_show', { task_id: 't_00000000' }, /t_00000000/);
    await refused(client, 'kanban_heartbeat', { nonsense: 1 }, /unknown argument 'nonsense'/);
    await refused(client, 'kanban_nope', {}, /no tool named 'kanban_nope'/);
    expect(showTask(a.id, board).task.status).toBe('running');
    expect(JSON.parse(baton('--board', board, 'list', '--json'))).toHaveLength(2);

    // Someone takes the task back: this run's writes are refused from now on.
    baton('--board', board, 'reclaim', a.id, '--reason', 'stuck');
    await refused(client, 'kanban_heartbeat', {}, new RegExp(`run ${run} is no longer the current attempt`));
    await refused(client, 'kanban_complete', { summary: 'late' }, /no longer the current attempt/);
    await refused(client, 'kanban_comment', { body: 'late' }, /no longer the current attempt/);
    await refused(client, 'kanban_create', { title: 'late', assignee: 'coder' }, /no longer the current attempt/);
    expect(showTask(a.id, board).task.status).toBe('ready');
    expect(JSON.parse(baton('--board', board, 'show', a.id, '--json')).comments).toEqual([]);
  } finally {
    await client.close();
  }
});

test('the same tools answer over HTTP at /mcp behind the server token', async ({ baseURL }) => {
  const board = freshBoard('mcp-http');
  const t = createTask('Remote work', '--board', board, '--assignee', 'coder');
  const run = claim(board, t.id);
  const url = new URL('/mcp', baseURL);
  const headers = {
    Authorization: `Bearer ${token}`,
    'X-Baton-Board': board, 'X-Baton-Task': t.id, 'X-Baton-Run': run, 'X-Baton-Profile': 'coder',
  };
  const client = new Client({ name: 'baton-e2e-http', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers } }));
  try {
    const shown = await ok(client, 'kanban_show');
    expect(shown.task.id).toBe(t.id);
    await ok(client, 'kanban_complete', { summary: 'Done from another host' });
    expect(showTask(t.id, board).task.status).toBe('done');
  } finally {
    await client.close();
  }
  // Without the token the endpoint answers 401, like the API.
  const anon = new Client({ name: 'anon', version: '1.0.0' });
  await expect(anon.connect(new StreamableHTTPClientTransport(url))).rejects.toThrow(/401|token/i);
});

test('baton mcp --print-config names this home for each client', async () => {
  const home = process.env.BATON_E2E_HOME!;
  expect(baton('mcp', '--print-config', 'claude-code')).toContain(`claude mcp add baton -- ${process.env.BATON_BIN} --home ${home} mcp`);
  expect(baton('mcp', '--print-config', 'codex')).toContain('[mcp_servers.baton]');
  const json = JSON.parse(baton('mcp', '--print-config', 'json'));
  expect(json.mcpServers.baton.args).toEqual(['--home', home, 'mcp']);
  expect(baton('mcp', '--print-config', 'http')).toMatch(/\/mcp/);
  expect(() => baton('mcp', '--print-config', 'vim')).toThrow(/claude-code, codex, cursor, json, http/);
});
