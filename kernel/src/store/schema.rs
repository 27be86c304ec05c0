//! Tables, indexes and the additive migrations that bring any older or
//! imported database up to the current shape.

use rusqlite::{Connection, OptionalExtension};

/// Bumped whenever a migration step is added. Stored in `PRAGMA user_version`.
pub const SCHEMA_VERSION: i64 = 3;

const TABLES: &str = r#"
CREATE TABLE IF NOT EXISTS tasks (
    id                   TEXT PRIMARY KEY,
    title                TEXT NOT NULL,
    body                 TEXT,
    assignee             TEXT,
    status               TEXT NOT NULL,
    priority             INTEGER NOT NULL DEFAULT 0,
    created_by           TEXT,
    created_at           INTEGER NOT NULL,
    started_at           INTEGER,
    completed_at         INTEGER,
    workspace_kind       TEXT NOT NULL DEFAULT 'scratch',
    workspace_path       TEXT,
    branch_name          TEXT,
    claim_lock           TEXT,
    claim_expires        INTEGER,
    tenant               TEXT,
    result               TEXT,
    idempotency_key      TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    worker_pid           INTEGER,
    worker_started       INTEGER,
    last_failure_error   TEXT,
    max_runtime_seconds  INTEGER,
    last_heartbeat_at    INTEGER,
    current_run_id       INTEGER,
    workflow_template_id TEXT,
    current_step_key     TEXT,
    skills               TEXT,
    max_retries          INTEGER,
    session_id           TEXT
);

CREATE TABLE IF NOT EXISTS task_links (
    parent_id       TEXT NOT NULL,
    child_id        TEXT NOT NULL,
    -- 1 once the parent is done or archived; kept by the triggers below so
    -- promotion needs one index probe per waiting task instead of a join.
    parent_finished INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (parent_id, child_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS task_comments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id    TEXT NOT NULL,
    author     TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS task_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id    TEXT NOT NULL,
    run_id     INTEGER,
    kind       TEXT NOT NULL,
    payload    TEXT,
    created_at INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS task_runs (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id             TEXT NOT NULL,
    profile             TEXT,
    step_key            TEXT,
    status              TEXT NOT NULL,
    claim_lock          TEXT,
    claim_expires       INTEGER,
    worker_pid          INTEGER,
    worker_started      INTEGER,
    max_runtime_seconds INTEGER,
    last_heartbeat_at   INTEGER,
    started_at          INTEGER NOT NULL,
    ended_at            INTEGER,
    outcome             TEXT,
    summary             TEXT,
    metadata            TEXT,
    error               TEXT
);

-- What each run used: one row per run, replaced by a fuller report.
CREATE TABLE IF NOT EXISTS run_usage (
    run_id             INTEGER PRIMARY KEY,
    task_id            TEXT NOT NULL,
    profile            TEXT,
    model              TEXT,
    input_tokens       INTEGER NOT NULL DEFAULT 0,
    output_tokens      INTEGER NOT NULL DEFAULT 0,
    cache_read_tokens  INTEGER NOT NULL DEFAULT 0,
    cache_write_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd           REAL,
    cost_source        TEXT NOT NULL,
    source             TEXT NOT NULL,
    recorded_at        INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS kanban_notify_subs (
    task_id          TEXT NOT NULL,
    platform         TEXT NOT NULL,
    chat_id          TEXT NOT NULL,
    thread_id        TEXT NOT NULL DEFAULT '',
    user_id          TEXT,
    notifier_profile TEXT,
    created_at       INTEGER NOT NULL,
    last_event_id    INTEGER NOT NULL DEFAULT 0,
    failures         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    PRIMARY KEY (task_id, platform, chat_id, thread_id)
);
"#;

/// Columns added after a table first shipped (or missing from databases made
/// by the reference implementation). Each is added only when absent, so the
/// list is safe to apply to any database, any number of times.
const ADDED_COLUMNS: &[(&str, &str, &str)] = &[
    ("tasks", "body", "TEXT"),
    ("tasks", "priority", "INTEGER NOT NULL DEFAULT 0"),
    ("tasks", "created_by", "TEXT"),
    ("tasks", "started_at", "INTEGER"),
    ("tasks", "completed_at", "INTEGER"),
    ("tasks", "workspace_kind", "TEXT NOT NULL DEFAULT 'scratch'"),
    ("tasks", "workspace_path", "TEXT"),
    ("tasks", "branch_name", "TEXT"),
    ("tasks", "claim_lock", "TEXT"),
    ("tasks", "claim_expires", "INTEGER"),
    ("tasks", "tenant", "TEXT"),
    ("tasks", "result", "TEXT"),
    ("tasks", "idempotency_key", "TEXT"),
    (
        "tasks",
        "consecutive_failures",
        "INTEGER NOT NULL DEFAULT 0",
    ),
    ("tasks", "worker_pid", "INTEGER"),
    ("tasks", "worker_started", "INTEGER"),
    ("tasks", "last_failure_error", "TEXT"),
    ("tasks", "max_runtime_seconds", "INTEGER"),
    ("tasks", "last_heartbeat_at", "INTEGER"),
    ("tasks", "current_run_id", "INTEGER"),
    ("tasks", "workflow_template_id", "TEXT"),
    ("tasks", "current_step_key", "TEXT"),
    ("tasks", "skills", "TEXT"),
    ("tasks", "max_retries", "INTEGER"),
    ("tasks", "session_id", "TEXT"),
    (
        "task_links",
        "parent_finished",
        "INTEGER NOT NULL DEFAULT 0",
    ),
    ("task_events", "run_id", "INTEGER"),
    ("task_runs", "worker_started", "INTEGER"),
    ("kanban_notify_subs", "notifier_profile", "TEXT"),
    (
        "kanban_notify_subs",
        "failures",
        "INTEGER NOT NULL DEFAULT 0",
    ),
    ("kanban_notify_subs", "last_error", "TEXT"),
];

const INDEXES: &str = r#"
CREATE INDEX IF NOT EXISTS idx_tasks_status_order ON tasks(status, priority DESC, created_at);
CREATE INDEX IF NOT EXISTS idx_tasks_order ON tasks(priority DESC, created_at);
CREATE INDEX IF NOT EXISTS idx_tasks_status_id ON tasks(status, id);
CREATE INDEX IF NOT EXISTS idx_tasks_assignee_status ON tasks(assignee, status);
CREATE INDEX IF NOT EXISTS idx_tasks_tenant ON tasks(tenant);
CREATE INDEX IF NOT EXISTS idx_tasks_idempotency ON tasks(idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_tasks_session ON tasks(session_id) WHERE session_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_links_child ON task_links(child_id, parent_finished, parent_id);
CREATE INDEX IF NOT EXISTS idx_comments_task ON task_comments(task_id, created_at);
CREATE INDEX IF NOT EXISTS idx_events_task ON task_events(task_id, id);
CREATE INDEX IF NOT EXISTS idx_events_run ON task_events(run_id, id);
CREATE INDEX IF NOT EXISTS idx_runs_task ON task_runs(task_id, started_at);
CREATE INDEX IF NOT EXISTS idx_runs_profile ON task_runs(profile, ended_at) WHERE outcome = 'completed';
CREATE INDEX IF NOT EXISTS idx_runs_open ON task_runs(task_id) WHERE ended_at IS NULL;
CREATE INDEX IF NOT EXISTS idx_notify_task ON kanban_notify_subs(task_id);
CREATE INDEX IF NOT EXISTS idx_usage_task ON run_usage(task_id);
CREATE INDEX IF NOT EXISTS idx_usage_time ON run_usage(recorded_at);
CREATE INDEX IF NOT EXISTS idx_runs_ended ON task_runs(ended_at) WHERE ended_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_tasks_failing ON tasks(id) WHERE consecutive_failures > 0;
CREATE INDEX IF NOT EXISTS idx_events_suspect ON task_events(task_id)
    WHERE kind IN ('completion_blocked_hallucination', 'suspected_hallucinated_references');
CREATE INDEX IF NOT EXISTS idx_runs_failed ON task_runs(task_id)
    WHERE outcome IN ('crashed', 'timed_out', 'spawn_failed', 'gave_up');
"#;

/// Keep `task_links.parent_finished` equal to "the parent is done or archived"
/// whoever writes: the kernel, an importer, or someone with the sqlite3 shell.
const TRIGGERS: &str = r#"
CREATE TRIGGER IF NOT EXISTS trg_links_insert AFTER INSERT ON task_links
WHEN NEW.parent_finished IS NOT COALESCE((SELECT status IN ('done', 'archived') FROM tasks WHERE id = NEW.parent_id), 1)
BEGIN
    UPDATE task_links
       SET parent_finished = COALESCE((SELECT status IN ('done', 'archived') FROM tasks WHERE id = NEW.parent_id), 1)
     WHERE parent_id = NEW.parent_id AND child_id = NEW.child_id;
END;
CREATE TRIGGER IF NOT EXISTS trg_tasks_status AFTER UPDATE OF status ON tasks
WHEN (OLD.status IN ('done', 'archived')) IS NOT (NEW.status IN ('done', 'archived'))
BEGIN
    UPDATE task_links SET parent_finished = (NEW.status IN ('done', 'archived')) WHERE parent_id = NEW.id;
END;
CREATE TRIGGER IF NOT EXISTS trg_tasks_delete AFTER DELETE ON tasks
BEGIN
    UPDATE task_links SET parent_finished = 1 WHERE parent_id = OLD.id;
END;
"#;

/// Recomputes every link's flag: after the column is first added to a
/// database that already had links.
const BACKFILL_LINKS: &str = "UPDATE task_links SET parent_finished =
    COALESCE((SELECT status IN ('done', 'archived') FROM tasks WHERE id = task_links.parent_id), 1)";

pub fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

fn has_column(conn: &Connection, table: &str, column: &str) -> rusqlite::Result<bool> {
    let mut stmt = conn.prepare(&format!("PRAGMA table_info({table})"))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let name: String = row.get(1)?;
        if name == column {
            return Ok(true);
        }
    }
    Ok(false)
}

fn table_exists(conn: &Connection, table: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [table],
        |_| Ok(()),
    )
    .optional()
    .map(|o| o.is_some())
}

/// Creates whatever is missing. Runs inside the caller's write transaction so
/// two processes opening a fresh home at once cannot interleave.
pub fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(TABLES)?;
    for (table, column, decl) in ADDED_COLUMNS {
        if table_exists(conn, table)? && !has_column(conn, table, column)? {
            conn.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {column} {decl}"))?;
            if (*table, *column) == ("task_links", "parent_finished") {
                conn.execute_batch(BACKFILL_LINKS)?;
            }
        }
    }
    conn.execute_batch(INDEXES)?;
    conn.execute_batch(TRIGGERS)?;
    conn.execute_batch(&format!("PRAGMA user_version = {SCHEMA_VERSION}"))?;
    Ok(())
}
