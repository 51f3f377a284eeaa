#!/usr/bin/env bash
# What the tests need from outside Python, from Debian's packages:
#   chromium            the review page's browser test (driven headless through Playwright;
#                       `playwright install` is never used: no browser downloads)
#   LibreOffice         legacy .doc/.wps/.rtf and the LibreOffice renderings in the format tests
#   fonts-wqy-microhei  WenQuanYi Micro Hei, the font the PDF fixtures embed by name
#                       (TrueType outlines, which fpdf2 embeds with a readable text layer)
#   fonts-noto-cjk      Noto Sans/Serif CJK, Debian's and Ubuntu's default Chinese fonts
#                       (CFF outlines): LibreOffice renders the notices in each CJK font
#   postgresql          the batch-to-database tests run against a real server too (started by
#                       the tests with initdb/pg_ctl in a temporary folder, never the system's)
#   gcc, libc6-dev      build the pdfium engine's compiled glyph loop (parser/readers/pdfium_chars.c,
#                       python -m parser.readers.pdfium_build); only when no cc is on the PATH
# Each is installed when its own package is missing, whatever other fonts the machine has.
# Installs what is missing with one apt-get call when root; otherwise says what is
# missing, and the tests that need it skip with a message.
set -u
installed() {  # a Debian package, or (without dpkg) the file it would put in place
  if command -v dpkg-query >/dev/null 2>&1; then
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"
  else
    [ -e "$2" ]
  fi
}
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null || need+=(postgresql)
command -v cc >/dev/null 2>&1 || need+=(gcc libc6-dev)
installed fonts-wqy-microhei /usr/share/fonts/truetype/wqy/wqy-microhei.ttc || need+=(fonts-wqy-microhei)
installed fonts-noto-cjk /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc || need+=(fonts-noto-cjk)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install_system_deps: not root or no apt-get; missing: ${need[*]} (tests needing them will skip)"
  exit 0
fi
echo "install_system_deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
  || echo "install_system_deps: apt-get install failed for ${need[*]} (tests needing them will skip)"
exit 0
