#!/bin/sh
# check-translations.sh SRCROOT PO [XGETTEXT MSGMERGE MSGFMT]
#
# Extracts the messages of po/POTFILES from the sources as they are now, merges them into PO
# and fails when any message is untranslated or fuzzy, or when PO does not compile.
set -eu

srcroot=$1
po=$2
xgettext=${3:-xgettext}
msgmerge=${4:-msgmerge}
msgfmt=${5:-msgfmt}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The same keywords as i18n.gettext(preset: 'glib') in po/meson.build.
grep -v '^#' "$srcroot/po/POTFILES" | grep -v '^[[:space:]]*$' > "$tmp/files"

# Every client source or UI file with a translatable string must be listed, or its strings
# would silently stay English.
missing=0
for f in $(cd "$srcroot" && grep -lE '(^|[^A-Za-z0-9_])(N?C?_|g_dpgettext2) ?\(|translatable="yes"' \
             client/*.c client/*.ui client/gtk/*.ui 2>/dev/null); do
  if ! grep -qx "$f" "$tmp/files"; then
    echo "FAIL: $f has translatable strings but is not in po/POTFILES" >&2
    missing=1
  fi
done
[ "$missing" = 0 ] || exit 1
"$xgettext" --package-name=kefu --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
  --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
  --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format \
  --directory="$srcroot" --files-from="$tmp/files" --output="$tmp/kefu.pot"

"$msgmerge" --quiet --output-file="$tmp/merged.po" "$po" "$tmp/kefu.pot"

if ! "$msgfmt" --check --statistics --output-file=/dev/null "$tmp/merged.po" 2> "$tmp/stats"; then
  cat "$tmp/stats" >&2
  echo "FAIL: $po does not compile" >&2
  exit 1
fi
cat "$tmp/stats"

if grep -Eq 'fuzzy|untranslated' "$tmp/stats"; then
  echo "FAIL: $po has untranslated or fuzzy messages for the current sources:" >&2
  case $msgfmt in
    */*) msgattrib=$(dirname "$msgfmt")/msgattrib ;;
    *) msgattrib=msgattrib ;;
  esac
  for which in --only-fuzzy --untranslated; do
    "$msgattrib" "$which" --no-obsolete --no-wrap "$tmp/merged.po" 2>/dev/null \
      | grep -E '^msg(ctxt|id) ' | grep -v '^msgid ""$' >&2 || true
  done
  exit 1
fi
echo "PASS: $po is complete"
