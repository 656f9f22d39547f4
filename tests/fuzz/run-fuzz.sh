#!/bin/sh
# run-fuzz.sh TARGET CORPUS DICT WORKDIR — fuzzes a copy of CORPUS for KEFU_FUZZ_SECONDS
# (default 10). The committed corpus is never written to: new inputs go to WORKDIR/corpus,
# crashes, leaks and timeouts to WORKDIR/artifacts/ (the reproducer: TARGET FILE runs it once).
set -eu

target=$1
corpus=$2
dict=$3
work=$4
seconds=${KEFU_FUZZ_SECONDS:-10}

rm -rf "$work/corpus"
mkdir -p "$work/corpus" "$work/artifacts"
cp "$corpus"/* "$work/corpus/"

set -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$work/artifacts/"
if [ -n "$dict" ]; then
  set -- "$@" -dict="$dict"
fi

if "$target" "$@" "$work/corpus"; then
  exit 0
fi
echo "$(basename "$target") failed; reproducers:" >&2
ls -1 "$work/artifacts/" >&2 || true
exit 1
