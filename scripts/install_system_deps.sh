#!/usr/bin/env bash
# What the tests need from outside Python, from Debian's packages:
#   chromium       the review page's browser test (driven headless through Playwright;
#                  `playwright install` is never used: no browser downloads)
#   LibreOffice    legacy .doc/.wps/.rtf and the LibreOffice renderings in the format tests
#   a CJK font     PDF fixtures, LibreOffice renderings, the browser screenshot
#   postgresql     the batch-to-database tests run against a real server too (started by
#                  the tests with initdb/pg_ctl in a temporary folder, never the system's)
# Installs what is missing with one apt-get call when root; otherwise says what is
# missing, and the tests that need it skip with a message.
set -u
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null || need+=(postgresql)
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
