#!/usr/bin/env bash
# Kefu developer entry point.
#
#   ./dev.sh run    install what is missing, build, start a demo server and open the client
#   ./dev.sh test   install what is missing, build, run every test (GUI tests under Xvfb), then
#                   the unit and server suites again under AddressSanitizer + UBSan
#   ./dev.sh build  install what is missing and build (build/)
#   ./dev.sh bench  build and run the benchmarks in tests/bench (they print figures)
#
# Works on a fresh Debian 12 machine: missing packages are installed with apt-get (as root, or
# through sudo).
set -euo pipefail

cd "$(dirname "$0")"
ROOT=$(pwd)
BUILD=${KEFU_BUILD_DIR:-$ROOT/build}
BUILD_ASAN=${KEFU_ASAN_BUILD_DIR:-$ROOT/build-asan}
PORT=${KEFU_PORT:-8765}

PACKAGES=(
  build-essential meson ninja-build pkg-config gettext
  libglib2.0-dev libglib2.0-bin libsoup-3.0-dev libjson-glib-dev libsqlite3-dev libsodium-dev
  libpwquality-dev cracklib-runtime
  libgtk-4-dev libadwaita-1-dev glib-networking
  xvfb xauth dbus-x11 fonts-noto-cjk curl
  desktop-file-utils appstream flatpak-builder
)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

install_deps() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return
  fi
  say "Installing ${missing[*]}"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

setup_build() {
  local dir=$1; shift
  local werror=()
  if [ "${CI:-}" = "true" ]; then werror=(--werror); fi
  if [ ! -f "$dir/build.ninja" ]; then
    say "Configuring $dir"
    meson setup "$dir" "${werror[@]}" "$@"
  fi
  say "Building $dir"
  meson compile -C "$dir"
}

build() {
  install_deps
  setup_build "$BUILD"
}

wait_for_health() {
  local url=$1
  for _ in $(seq 1 100); do
    if curl -fsS "$url/api/v1/health" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "the server did not answer at $url" >&2
  return 1
}

run() {
  build
  local data=${KEFU_DEV_DATA:-$ROOT/.dev-data}
  local url="http://127.0.0.1:$PORT"
  mkdir -p "$data"
  say "Starting kefu-server --demo on $url (data in $data)"
  "$BUILD/server/kefu-server" --demo --data-dir "$data" --listen "127.0.0.1:$PORT" &
  local server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  wait_for_health "$url"

  if [ ! -x "$BUILD/client/kefu" ]; then
    say "No client was built; the server runs until Ctrl+C"
    wait $server
    return
  fi
  export GSETTINGS_SCHEMA_DIR="$BUILD/data"
  # The build tree's translations: on a Chinese desktop (or with LANGUAGE=zh_CN) it speaks Chinese.
  export KEFU_LOCALEDIR="$BUILD/po"
  say "Opening the client, signed in as supervisor (demo accounts: admin, supervisor, agent, technician, manager — password demo)"
  if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
    "$BUILD/client/kefu" --server "$url" --user supervisor --password demo
  else
    say "No display found: running the client under Xvfb (close with Ctrl+C)"
    xvfb-run -a "$BUILD/client/kefu" --server "$url" --user supervisor --password demo
  fi
}

# Prints the closing line "N passed, N failed" from meson's test log.
summarise() {
  python3 - "$@" <<'PY'
import json, sys
passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        with open(path) as f:
            for line in f:
                r = json.loads(line).get("result")
                if r in ("OK", "EXPECTEDFAIL"): passed += 1
                elif r == "SKIP": skipped += 1
                else: failed += 1
    except FileNotFoundError:
        pass
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
}

test_all() {
  install_deps
  setup_build "$BUILD"
  local rc=0

  say "Running the test suite (GUI tests under Xvfb)"
  export GSETTINGS_SCHEMA_DIR="$BUILD/data"
  xvfb-run -a -s "-screen 0 1600x1000x24" \
    meson test -C "$BUILD" --print-errorlogs --no-suite bench || rc=1

  say "Running the unit and server suites under AddressSanitizer + UndefinedBehaviorSanitizer"
  setup_build "$BUILD_ASAN" -Db_sanitize=address,undefined -Db_lundef=false \
    -Dclient=false -Dbenchmarks=false -Dbuildtype=debug
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0 \
  LSAN_OPTIONS=suppressions=$ROOT/tests/lsan.supp:print_suppressions=0 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    meson test -C "$BUILD_ASAN" --print-errorlogs --suite unit --suite server \
      --timeout-multiplier 4 || rc=1

  summarise "$BUILD/meson-logs/testlog.json" "$BUILD_ASAN/meson-logs/testlog.json"
  return $rc
}

bench() {
  build
  for b in "$BUILD"/tests/bench/bench-*; do
    [ -x "$b" ] || continue
    say "$(basename "$b")"
    "$b"
  done
}

case "${1:-}" in
  run) run ;;
  test) test_all ;;
  build) build ;;
  bench) bench ;;
  *) echo "usage: $0 run|test|build|bench" >&2; exit 2 ;;
esac
