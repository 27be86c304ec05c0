#!/usr/bin/env python3
"""Process wall time of the `baton` CLI against the reference CLI (hermes).

Prints a markdown table. Usage:
    cargo build --release -p server
    scripts/setup.sh --hermes            # the reference, for the comparison
    python3 bench/cli.py [--baton PATH] [--hermes PATH] [--tasks 10000]

Each figure is the median of repeated runs of a fresh process, measured from
fork to exit. The 10,000-task boards are filled directly through each tool's
own library/CLI-equivalent writes, then listed with `list --json`.
"""
import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(cmd, env, reps):
    samples = []
    for _ in range(reps):
        t = time.perf_counter()
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def fill_baton(home, baton, n):
    # Schema from the real binary, rows straight into SQLite in one transaction
    # (creating them one process at a time would measure start-up, not list).
    subprocess.run([baton, "--home", home, "init"], check=True, stdout=subprocess.DEVNULL)
    db = sqlite3.connect(os.path.join(home, "kanban.db"))
    now = int(time.time())
    with db:
        for i in range(n):
            tid = "t_%08x" % (0x10000000 + i)
            db.execute(
                "INSERT INTO tasks (id, title, body, assignee, status, priority, created_by, created_at, workspace_kind)"
                " VALUES (?, ?, ?, ?, 'ready', ?, 'bench', ?, 'scratch')",
                (tid, f"task {i}", "Some body text describing the work.", f"profile-{i % 8}", i % 5, now - n + i),
            )
            db.execute(
                "INSERT INTO task_events (task_id, kind, payload, created_at) VALUES (?, 'created', '{}', ?)",
                (tid, now),
            )
    db.close()


def fill_hermes(home, python, n):
    code = f"""
import os
os.environ['HERMES_HOME'] = {home!r}
from hermes_cli import kanban_db as kb
kb.init_db()
with kb.connect() as conn:
    for i in range({n}):
        kb.create_task(conn, title=f'task {{i}}', body='Some body text describing the work.', assignee=f'profile-{{i % 8}}', priority=i % 5)
"""
    subprocess.run([python, "-c", code], check=True)


def fmt(s):
    return f"{s * 1000:.1f} ms" if s < 10 else f"{s:.1f} s"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--baton", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "baton"))
    venv = os.path.join(os.environ.get("BATON_CACHE", os.path.expanduser("~/.cache/baton")), "hermes-venv", "bin")
    ap.add_argument("--hermes", default=os.path.join(venv, "hermes"))
    ap.add_argument("--tasks", type=int, default=10000)
    ap.add_argument("--reps", type=int, default=30)
    args = ap.parse_args()
    if not os.path.exists(args.baton):
        sys.exit(f"no baton binary at {args.baton}: cargo build --release -p server")
    have_hermes = os.path.exists(args.hermes)
    rows = []
    work = tempfile.mkdtemp(prefix="baton-cli-bench-")
    try:
        env = dict(os.environ, NO_COLOR="1")
        for k in ("BATON_HOME", "BATON_BOARD", "BATON_TASK", "BATON_RUN"):
            env.pop(k, None)
        home = os.path.join(work, "baton")
        subprocess.run([args.baton, "--home", home, "init"], check=True, stdout=subprocess.DEVNULL)
        b_create = timed([args.baton, "--home", home, "create", "bench task", "--assignee", "coder"], env, args.reps)
        big = os.path.join(work, "baton-big")
        fill_baton(big, args.baton, args.tasks)
        b_list = timed([args.baton, "--home", big, "list", "--json"], env, max(5, args.reps // 3))
        h_create = h_list = None
        if have_hermes:
            henv = dict(env, HERMES_HOME=os.path.join(work, "hermes"))
            os.makedirs(henv["HERMES_HOME"])
            subprocess.run([args.hermes, "kanban", "init"], env=henv, check=True, stdout=subprocess.DEVNULL)
            h_create = timed([args.hermes, "kanban", "create", "bench task", "--assignee", "coder"], henv, max(5, args.reps // 3))
            hbig = os.path.join(work, "hermes-big")
            os.makedirs(hbig)
            fill_hermes(hbig, os.path.join(os.path.dirname(args.hermes), "python"), args.tasks)
            h_list = timed([args.hermes, "kanban", "list", "--json"], dict(env, HERMES_HOME=hbig), 3)
        rows.append(("`create` (median)", b_create, h_create, "≤ 15 ms"))
        rows.append((f"`list --json` at {args.tasks:,} tasks (median)", b_list, h_list, "≤ 150 ms"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("| command | baton | reference (hermes kanban) | target |")
    print("|---|---:|---:|---:|")
    for name, b, h, target in rows:
        print(f"| {name} | {fmt(b)} | {fmt(h) if h is not None else 'n/a'} | {target} |")


if __name__ == "__main__":
    main()
