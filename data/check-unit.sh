#!/bin/sh
# check-unit.sh SYSTEMD_ANALYZE UNIT SERVER_BINARY INSTALLED_BINARY
#
# `systemd-analyze verify` on the configured unit. The unit names the installed binary, which a
# build tree does not have yet, so the check runs on a copy that names the built one. Exit 77
# (skipped) when systemd-analyze is missing or cannot run here.
set -eu

analyze=$1
unit=$2
binary=$3
installed=$4

if ! command -v "$analyze" >/dev/null 2>&1; then
  echo "SKIP: systemd-analyze is not installed"
  exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sed "s|$installed|$binary|g" "$unit" > "$tmp/kefu-server.service"
grep -q "^ExecStart=$binary " "$tmp/kefu-server.service" || {
  echo "FAIL: ExecStart does not start $installed" >&2
  exit 1
}

# Every sandboxing setting the deployment relies on is there.
for setting in DynamicUser=yes StateDirectory=kefu ProtectSystem=strict ProtectHome=yes \
    PrivateTmp=yes NoNewPrivileges=yes CapabilityBoundingSet= \
    'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX' SystemCallFilter=@system-service \
    LimitNOFILE=65536; do
  grep -qx "$setting" "$tmp/kefu-server.service" || {
    echo "FAIL: the unit lacks $setting" >&2
    exit 1
  }
done

# Documentation= points into the installed tree; do not let a missing file fail the check.
sed -i '/^Documentation=/d' "$tmp/kefu-server.service"

if ! "$analyze" verify --man=no "$tmp/kefu-server.service" > "$tmp/out" 2>&1; then
  cat "$tmp/out" >&2
  # Without a running systemd some versions cannot load units at all: skip, do not fail.
  if grep -qiE 'Failed to (initialize manager|connect to bus|setup working directory)|System has not been booted with systemd' "$tmp/out"; then
    echo "SKIP: systemd-analyze cannot run here"
    exit 77
  fi
  echo "FAIL: systemd-analyze verify rejected the unit" >&2
  exit 1
fi
if [ -s "$tmp/out" ]; then
  # Warnings count as failures: they mean a setting is ignored.
  cat "$tmp/out" >&2
  echo "FAIL: systemd-analyze verify warned about the unit" >&2
  exit 1
fi
echo "PASS: kefu-server.service verified"
