#!/bin/sh
# install-config.sh SYSCONFDIR EXAMPLE
#
# Run by `meson install`: puts the commented example configuration in SYSCONFDIR/kefu/ as
# kefu-server.conf (what the systemd unit reads), unless a file is already there — an
# administrator's settings are never overwritten by a reinstall.
set -eu

target="${DESTDIR:-}$1/kefu/kefu-server.conf"
example="${DESTDIR:-}$2"

if [ -e "$target" ]; then
  echo "Keeping $target"
  exit 0
fi
mkdir -p "$(dirname "$target")"
cp "$example" "$target"
chmod 0644 "$target"
echo "Installing $target"
