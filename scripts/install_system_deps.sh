#!/usr/bin/env bash
# What the tests need from outside Python: a headless browser (report test) and
# LibreOffice (legacy .doc/.wps), a CJK font (PDF fixtures). Installs with apt-get when root; otherwise says
# what is missing and lets the tests that need it skip.
set -u
# The browser (Debian chromium) has its own script.
bash "$(dirname "$0")/install_browser.sh"
need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
# A CJK font: the PDF reader tests build Chinese PDFs with it (and LibreOffice renders with it).
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then need+=(fonts-wqy-microhei); fi
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
