#!/usr/bin/env bash
# Kefu developer entry point.
#
#   ./dev.sh run    install what is missing, build, start a demo server and open the client
#   ./dev.sh test   install what is missing, build, run every test (GUI tests under Xvfb), then
#                   the unit and server suites again under AddressSanitizer + UBSan, then every
#                   fuzz target for a few seconds
#   ./dev.sh build  install what is missing and build (build/)
#   ./dev.sh bench  build and run the benchmarks in tests/bench (they print figures)
#   ./dev.sh fuzz [SECONDS]  build the libFuzzer targets (build-fuzz/, clang) and run each for
#                   SECONDS (default 60) on a copy of its corpus; a crash fails and leaves its
#                   reproducer in build-fuzz/tests/fuzz/TARGET-work/artifacts/
#
# Works on a fresh Debian 12 machine: missing packages are installed with apt-get (as root, or
# through sudo).
set -euo pipefail

cd "$(dirname "$0")"
ROOT=$(pwd)
BUILD=${KEFU_BUILD_DIR:-$ROOT/build}
BUILD_ASAN=${KEFU_ASAN_BUILD_DIR:-$ROOT/build-asan}
BUILD_FUZZ=${KEFU_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}
# Seconds per fuzz target in ./dev.sh test (8 targets, two at a time: about 45 s in all).
TEST_FUZZ_SECONDS=${KEFU_TEST_FUZZ_SECONDS:-10}
PORT=${KEFU_PORT:-8765}

PACKAGES=(
  build-essential meson ninja-build pkg-config gettext
  libglib2.0-dev libglib2.0-bin libsoup-3.0-dev libjson-glib-dev libsqlite3-dev libsodium-dev
  libpwquality-dev cracklib-runtime
  libgtk-4-dev libadwaita-1-dev glib-networking
  xvfb xauth dbus-x11 fonts-noto-cjk curl openssl
  desktop-file-utils appstream flatpak-builder
  clang libclang-rt-14-dev
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
    meson test -C "$BUILD" --print-errorlogs --no-suite bench --no-suite fuzz || rc=1

  say "Running the unit and server suites under AddressSanitizer + UndefinedBehaviorSanitizer"
  setup_build "$BUILD_ASAN" -Db_sanitize=address,undefined -Db_lundef=false \
    -Dclient=false -Dbenchmarks=false -Dbuildtype=debug
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0 \
  LSAN_OPTIONS=suppressions=$ROOT/tests/lsan.supp:print_suppressions=0 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    meson test -C "$BUILD_ASAN" --print-errorlogs --suite unit --suite server \
      --timeout-multiplier 4 || rc=1

  say "Fuzzing every target for $TEST_FUZZ_SECONDS s (./dev.sh fuzz runs them longer)"
  setup_fuzz_build
  run_fuzz_targets "$TEST_FUZZ_SECONDS" || rc=1

  summarise "$BUILD/meson-logs/testlog.json" "$BUILD_ASAN/meson-logs/testlog.json" \
    "$BUILD_FUZZ/meson-logs/testlog.json"
  return $rc
}

# The fuzzing build: clang with libFuzzer, ASan and UBSan. Not --werror in CI: clang warns
# about things gcc does not (a g_autoptr kept only for its cleanup), and the gcc builds are
# the ones held to -Werror.
setup_fuzz_build() {
  if [ ! -f "$BUILD_FUZZ/build.ninja" ]; then
    say "Configuring $BUILD_FUZZ"
    CC=clang meson setup "$BUILD_FUZZ" -Dclient=false -Dbenchmarks=false -Dfuzzing=true \
      -Dbuildtype=debugoptimized
  fi
  say "Building $BUILD_FUZZ"
  meson compile -C "$BUILD_FUZZ"
}

# Runs every fuzz target for $1 seconds (meson tests of suite fuzz, so that they count in the
# summary). Leaks are checked with tests/lsan.supp (see tests/fuzz/meson.build).
run_fuzz_targets() {
  local seconds=$1
  KEFU_FUZZ_SECONDS=$seconds meson test -C "$BUILD_FUZZ" --suite fuzz --print-errorlogs
}

fuzz() {
  local seconds=${1:-60}
  install_deps
  setup_fuzz_build
  say "Fuzzing every target for $seconds s"
  if ! run_fuzz_targets "$seconds"; then
    echo "Reproducers (run one with: $BUILD_FUZZ/tests/fuzz/TARGET FILE):" >&2
    ls -1 "$BUILD_FUZZ"/tests/fuzz/*-work/artifacts/* 2>/dev/null >&2 || true
    return 1
  fi
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
  fuzz) fuzz "${2:-60}" ;;
  *) echo "usage: $0 run|test|build|bench|fuzz [SECONDS]" >&2; exit 2 ;;
esac
