#!/usr/bin/env bash
# Dashboard benchmarks: the release wasm's size, then page load, drag and
# scroll smoothness and CLI-write-to-screen latency in Chromium against a
# release `baton serve`. Prints a markdown table (docs/benchmarks.md).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

"$ROOT/scripts/setup.sh" --browser
"$ROOT/scripts/build-site.sh" --release
step "building the release server"
cargo build --manifest-path "$ROOT/Cargo.toml" --release -p server

wasm="$SITE_ROOT/pkg/baton.wasm"
js="$SITE_ROOT/pkg/baton.js"
kb() { echo $(( ($1 + 1023) / 1024 )); }
raw=$(wc -c < "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
chunks=0
chunks_gz=0
for f in "$SITE_ROOT"/pkg/*.wasm; do
  [ "$f" = "$wasm" ] && continue
  chunks=$((chunks + 1))
  chunks_gz=$((chunks_gz + $(gzip -9 -c "$f" | wc -c)))
done
jsgz=$(gzip -9 -c "$js" | wc -c)
cssgz=$(gzip -9 -c "$SITE_ROOT/pkg/baton.css" | wc -c)

home="$(mktemp -d "${TMPDIR:-/tmp}/baton-bench.XXXXXX")"
trap 'rm -rf "$home"' EXIT
step "measuring in Chromium (fills boards of 1,000 and 10,000 tasks first)"
rows="$(cd "$ROOT/end2end" && BATON_E2E_HOME="$home" BATON_BIN="$TARGET_DIR/release/baton" \
  LEPTOS_SITE_ROOT="$SITE_ROOT" npx playwright test -c playwright.bench.config.ts --reporter=line \
  | grep '^|' )"

echo
echo "| measurement | result | target |"
echo "|---|---:|---:|"
echo "| release wasm, main module, gzip -9 ($(kb "$raw") KB raw) | $(kb "$gz") KB | ≤ 400 KB |"
echo "| lazily loaded chunks (drawer, bulk bar, forms, dialogs), gzip -9, all $chunks together | $(kb "$chunks_gz") KB | — |"
echo "| JS glue + stylesheet, gzip -9 | $(kb "$jsgz") KB + $(kb "$cssgz") KB | — |"
echo "$rows"
