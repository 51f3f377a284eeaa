#!/usr/bin/env bash
# Debian's chromium for the report's browser test (tests/test_report_browser.py drives it
# headless through Playwright; `playwright install` is never used: no browser downloads).
# Installs with apt-get when root; otherwise says so, and the browser test skips.
set -u
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
# Without a CJK font the page (and its screenshot) shows boxes instead of Chinese.
if ! fc-list :lang=zh 2>/dev/null | grep -q .; then need+=(fonts-wqy-microhei); fi
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install_browser: not root or no apt-get; missing: ${need[*]} (the browser test will skip)"
  exit 0
fi
echo "install_browser: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
  || echo "install_browser: apt-get install failed for ${need[*]} (the browser test will skip)"
exit 0
