#!/bin/sh
# check-server-only.sh SRCDIR
#
# A server-only build (-Dclient=false) configures, builds and installs on a host without GTK:
# pkg-config is given every installed .pc file except those of GTK 4, libadwaita and what
# needs them, so any lookup of the client's dependencies would fail the configuration. Then
# check-install.sh checks the installed files, and the installed kefu-server must not link GTK.
set -eu

src=$(cd "$1" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A pkg-config search path without GTK.
mkdir "$tmp/pc"
for dir in $(pkg-config --variable pc_path pkg-config | tr ':' ' '); do
  [ -d "$dir" ] || continue
  for pc in "$dir"/*.pc; do
    [ -e "$pc" ] || continue
    name=$(basename "$pc" .pc)
    case $name in
      gtk4*|gtk+-*|libadwaita*|gdk-*) continue ;;
    esac
    if grep -Eq '^Requires(\.private)?:.*(gtk4|libadwaita)' "$pc"; then
      continue
    fi
    [ -e "$tmp/pc/$name.pc" ] || ln -s "$pc" "$tmp/pc/$name.pc"
  done
done
export PKG_CONFIG_LIBDIR="$tmp/pc"
export PKG_CONFIG_PATH=
if pkg-config --exists gtk4 || pkg-config --exists libadwaita-1; then
  echo "FAIL: could not hide GTK from pkg-config" >&2
  exit 1
fi

echo "Configuring a server-only build without GTK"
if ! meson setup "$tmp/build" "$src" -Dclient=false -Dbenchmarks=false --prefix=/usr \
    --buildtype=plain > "$tmp/setup.log" 2>&1; then
  cat "$tmp/setup.log" >&2
  echo "FAIL: a server-only build does not configure without GTK" >&2
  exit 1
fi

echo "Building"
if ! meson compile -C "$tmp/build" > "$tmp/compile.log" 2>&1; then
  tail -50 "$tmp/compile.log" >&2
  echo "FAIL: a server-only build does not compile without GTK" >&2
  exit 1
fi

"$src/tests/install/check-install.sh" "$tmp/build" /usr /usr/bin /usr/share /usr/share/locale \
  /etc /usr/lib/systemd/system false true

if ldd "$tmp/build/server/kefu-server" | grep -Eq 'libgtk|libadwaita'; then
  echo "FAIL: kefu-server links GTK" >&2
  exit 1
fi
echo "PASS: the server builds and installs without GTK"
