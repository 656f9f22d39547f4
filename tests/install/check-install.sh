#!/bin/sh
# check-install.sh BUILDDIR PREFIX BINDIR DATADIR LOCALEDIR SYSCONFDIR UNITDIR CLIENT SERVER
#
# `meson install --destdir` from BUILDDIR into a temporary directory, then: every file Kefu
# ships is where a distribution expects it, nothing else is installed (no static libraries,
# test programs or headers), and a second install keeps an edited configuration file.
# The directories are absolute, as meson resolves them; CLIENT and SERVER are true or false.
set -eu

build=$1 prefix=$2 bindir=$3 datadir=$4 localedir=$5 sysconfdir=$6 unitdir=$7
client=$8 server=$9

dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT

install() {
  if ! meson install -C "$build" --destdir "$dest" --no-rebuild > "$dest.log" 2>&1; then
    cat "$dest.log" >&2
    rm -f "$dest.log"
    echo "FAIL: meson install failed" >&2
    exit 1
  fi
  rm -f "$dest.log"
}

install

expected=$(mktemp)
trap 'rm -rf "$dest" "$expected"' EXIT
{
  echo "$localedir/zh_CN/LC_MESSAGES/kefu.mo"
  if [ "$server" = true ]; then
    echo "$bindir/kefu-server"
    echo "$unitdir/kefu-server.service"
    echo "$sysconfdir/kefu/kefu-server.conf"
    echo "$datadir/doc/kefu/kefu-server.conf"
    echo "$datadir/doc/kefu/deployment.md"
  fi
  if [ "$client" = true ]; then
    echo "$bindir/kefu"
    echo "$datadir/applications/org.kefu.Kefu.desktop"
    echo "$datadir/metainfo/org.kefu.Kefu.metainfo.xml"
    echo "$datadir/glib-2.0/schemas/org.kefu.Kefu.gschema.xml"
    echo "$datadir/icons/hicolor/scalable/apps/org.kefu.Kefu.svg"
    echo "$datadir/icons/hicolor/symbolic/apps/org.kefu.Kefu-symbolic.svg"
  fi
} | sort > "$expected"

echo "Installed into DESTDIR (prefix $prefix):"
(cd "$dest" && find . -type f -o -type l) | sed 's|^\.||' | sort | tee "$dest.found" | sed 's/^/  /'

status=0
missing=$(comm -23 "$expected" "$dest.found")
extra=$(comm -13 "$expected" "$dest.found")
rm -f "$dest.found"
if [ -n "$missing" ]; then
  echo "FAIL: not installed:" >&2
  echo "$missing" | sed 's/^/  /' >&2
  status=1
fi
if [ -n "$extra" ]; then
  echo "FAIL: installed but not expected:" >&2
  echo "$extra" | sed 's/^/  /' >&2
  status=1
fi

for program in kefu kefu-server; do
  if [ -e "$dest$bindir/$program" ] && [ ! -x "$dest$bindir/$program" ]; then
    echo "FAIL: $bindir/$program is not executable" >&2
    status=1
  fi
done

if [ "$server" = true ] && [ $status -eq 0 ]; then
  # The unit starts the installed binary with the installed configuration.
  grep -q "^ExecStart=$bindir/kefu-server --config=$sysconfdir/kefu/kefu-server.conf" \
      "$dest$unitdir/kefu-server.service" || {
    echo "FAIL: the installed unit does not start $bindir/kefu-server" >&2
    status=1
  }
  # A reinstall keeps the administrator's settings.
  echo '# edited by the administrator' >> "$dest$sysconfdir/kefu/kefu-server.conf"
  install
  grep -q '^# edited by the administrator$' "$dest$sysconfdir/kefu/kefu-server.conf" || {
    echo "FAIL: a reinstall overwrote $sysconfdir/kefu/kefu-server.conf" >&2
    status=1
  }
fi

if [ "$client" = true ] && [ $status -eq 0 ] && command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$dest$datadir/applications/org.kefu.Kefu.desktop" || status=1
fi

[ $status -eq 0 ] && echo "PASS: every file in its place"
exit $status
