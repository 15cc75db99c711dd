#!/usr/bin/env bash
# Opens an HTML report in headless Chromium and takes a screenshot, to check that the report
# renders offline in a real browser. Needs Debian's chromium (`apt-get install -y chromium`).
#
#   scripts/screenshot_report.sh [SCENARIO.toml] [OUT_DIR]
#
# Writes OUT_DIR/report.html and OUT_DIR/report.png, and fails unless the screenshot exists
# and is a real page (larger than a blank one).
set -euo pipefail
command -v chromium >/dev/null || { echo "chromium is not installed (apt-get install -y chromium)" >&2; exit 1; }
scenario="${1:-scenarios/floor77_walker.toml}"
out="${2:-target/report-check}"
mkdir -p "$out"
cargo run --release --quiet -- run "$scenario" --replications 5 --quiet --report "$out/report.html"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
# The flags keep Chromium off the network (the machine has none) and out of the sandbox (root).
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars --window-size=1200,2400 \
  --screenshot="$out/report.png" "file://$(realpath "$out/report.html")" 2>/dev/null || true
test -s "$out/report.png" || { echo "no screenshot was taken" >&2; exit 1; }
size=$(stat -c %s "$out/report.png")
# A blank 1200x2400 page compresses to a few kilobytes; tables and charts take far more.
if [ "$size" -lt 50000 ]; then
  echo "the screenshot looks blank ($size bytes)" >&2
  exit 1
fi
echo "report rendered in headless Chromium: $out/report.png ($size bytes)"
