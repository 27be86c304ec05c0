// Playwright runs against a real `baton serve` on a temporary home, in
// Debian's Chromium (browser downloads are not possible here).
import { defineConfig } from '@playwright/test';
import { writeFileSync } from 'node:fs';

const port = Number(process.env.BATON_E2E_PORT ?? 3107);
const home = process.env.BATON_E2E_HOME;
const bin = process.env.BATON_BIN;
const siteRoot = process.env.LEPTOS_SITE_ROOT;
const token = process.env.BATON_E2E_TOKEN ?? 'e2e-token-0123456789abcdef';
if (!home || !bin || !siteRoot) {
  throw new Error('run the browser tests through scripts/test.sh (it sets BATON_E2E_HOME, BATON_BIN, LEPTOS_SITE_ROOT)');
}

// Worker profiles some tests assign tasks to, and a quick dispatcher tick so
// crashes are noticed within a second. `crashloop` crashes twice, then hangs
// (in its workspace it counts its attempts); `chatty` writes a line every
// quarter second for a minute; `replayer` plays back an agent's transcript.
writeFileSync(
  `${home}/config.toml`,
  `[dispatcher]
interval_seconds = 1

[profiles.crashloop]
command = ["sh", "-c", "n=$(( $(cat .attempts 2>/dev/null || echo 0) + 1 )); echo $n > .attempts; echo attempt $n; if [ $n -ge 3 ]; then exec sleep 300; fi; exit 3"]

# Replays a transcript the real Claude Code wrote, as it streamed it; the
# run's last answer completes the task.
[profiles.replayer]
kind = "claude-code"
bin = "${process.cwd()}/fixtures/replay-agent.sh"
on_exit = "complete"

[profiles.replayer.env]
REPLAY = "${process.cwd()}/fixtures/transcripts/claude-code.jsonl"

# Replays a 10,000-entry transcript at once (the transcript benchmark
# writes the file first).
[profiles.bigreplay]
kind = "claude-code"
bin = "${process.cwd()}/fixtures/replay-agent.sh"
on_exit = "complete"

[profiles.bigreplay.env]
REPLAY = "${home}/big-transcript.jsonl"
REPLAY_DELAY = "0"

# Commits one file in its task's git worktree and completes.
[profiles.committer]
command = ["sh", "-c", "echo $BATON_TASK > work.txt && git add work.txt && git -c user.name=W -c user.email=w@example.com commit -qm \\"work on $BATON_TASK\\" && baton complete --summary committed"]

[profiles.chatty]
command = ["sh", "-c", "i=0; while [ $i -lt 240 ]; do i=$((i+1)); echo log line $i; sleep 0.25; done"]

# Its provider always turns it away (exit 75, EX_TEMPFAIL): it gets paused.
[profiles.limited]
command = ["sh", "-c", "echo 'HTTP 429 Too Many Requests: retry after 600s' >&2; exit 75"]

# The notification test listens on the port after the server's.
[notifier]
interval_seconds = 0.2

[channels.ops]
kind = "webhook"
url = "http://127.0.0.1:${port + 1}/ops"

[channels.phone]
kind = "ntfy"
url = "http://127.0.0.1:${port + 1}/phone"
`,
);

export default defineConfig({
  testDir: './tests',
  workers: 1,
  retries: 0,
  timeout: 30_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium' }],
  webServer: {
    command: `"${bin}" --home "${home}" serve --addr 127.0.0.1:${port} --token ${token}`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: { LEPTOS_SITE_ROOT: siteRoot, BATON_LOG: 'info' },
  },
});
