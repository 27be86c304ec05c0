#!/usr/bin/env bash
# Regenerates the tutorial's screenshots (docs/images/*.png) from the real
# dashboard: `baton demo` boards worked by their shell
# workers, Chromium through Playwright; then shrinks the PNGs to a palette.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
"$ROOT/scripts/setup.sh" --browser
"$ROOT/scripts/build-site.sh"
cargo build --manifest-path "$ROOT/Cargo.toml" -p server
home="$(mktemp -d "${TMPDIR:-/tmp}/baton-shots.XXXXXX")"
trap 'rm -rf "$home"' EXIT
mkdir -p "$ROOT/docs/images"
(cd "$ROOT/end2end" && BATON_E2E_HOME="$home" BATON_BIN="$TARGET_DIR/debug/baton" \
  LEPTOS_SITE_ROOT="$SITE_ROOT" BATON_SHOTS_DIR="$ROOT/docs/images" \
  npx playwright test -c playwright.shots.config.ts --reporter=line)
step "reducing the screenshots to 256-colour palettes"
venv="$CACHE_DIR/docs-venv"
[ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import PIL' 2>/dev/null || {
  python3 -m venv "$venv" && "$venv/bin/pip" install --quiet --disable-pip-version-check pillow==11.3.0
}
"$venv/bin/python" - "$ROOT"/docs/images/*.png <<'PY'
import os, sys
from PIL import Image
for path in sys.argv[1:]:
    before = os.path.getsize(path)
    Image.open(path).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    print(f"{os.path.basename(path)}: {before // 1024} KB -> {os.path.getsize(path) // 1024} KB")
PY
