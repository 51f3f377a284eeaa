#!/usr/bin/env bash
# Run the font-dependent tests (pytest -m fonts: LibreOffice renderings, the browser page)
# once per CJK font set, each seen through fontconfig's own configuration: a
# FONTCONFIG_FILE, written to a temporary folder, that lists one font folder, so that
# LibreOffice and Chromium find no other font. The machine itself is left as it is.
#   noto  /usr/share/fonts/opentype/noto (fonts-noto-cjk: Noto Sans/Serif CJK, CFF in .ttc)
#   wqy   /usr/share/fonts/truetype/wqy (fonts-wqy-microhei: WenQuanYi Micro Hei)
# Usage: scripts/test_font_sets.sh [PYTHON] [pytest arguments] (default: .venv/bin/python,
# the fonts-marked tests). A set whose font is not installed is skipped with a message.
set -uo pipefail
py=${1:-.venv/bin/python}
shift || true
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(-n 2 -q -m fonts)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for set in "noto:Noto Sans CJK SC" "wqy:WenQuanYi Micro Hei"; do
  name=${set%%:*}
  family=${set#*:}
  file=$(env -u FONTCONFIG_FILE fc-list "$family:style=Regular" file 2>/dev/null | head -n 1 | cut -d: -f1)
  if [ -z "$file" ]; then
    echo "font set $name: $family is not installed, skipped (scripts/install_system_deps.sh installs it)"
    continue
  fi
  conf="$tmp/$name.conf"
  cat > "$conf" <<CONF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>$(dirname "$file")</dir>
  <cachedir>$tmp/cache-$name</cachedir>
  <include ignore_missing="yes">/etc/fonts/conf.d</include>
</fontconfig>
CONF
  echo "font set $name: FONTCONFIG_FILE=$conf lists only $(dirname "$file"); CJK fonts seen: $(FONTCONFIG_FILE="$conf" fc-list :lang=zh family | cut -d, -f1 | sort -u | paste -sd, -)"
  FONTCONFIG_FILE="$conf" "$py" -m pytest -p no:cacheprovider "${args[@]}"
  rc=$?
  if [ $rc -ne 0 ] && [ $rc -ne 5 ]; then  # 5: no test collected (none marked fonts selected)
    status=$rc
  fi
done
exit $status
