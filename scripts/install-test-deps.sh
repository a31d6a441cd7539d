#!/usr/bin/env bash
# Install the system packages the test suite needs beyond Python: headless Chromium and its
# WebDriver for the browser test of the HTML report (tests/report/test_browser.py).
# Idempotent and quiet: does nothing when /usr/bin/chromium and chromedriver exist. Needs
# Debian/Ubuntu (apt-get) and root or password-less sudo; otherwise prints why and exits 0
# (the browser test then skips locally, and fails under CI=true).
set -euo pipefail

if [ -x /usr/bin/chromium ] && { [ -x /usr/bin/chromedriver ] || command -v chromedriver >/dev/null 2>&1; }; then
    exit 0
fi
if [ "$(uname -s)" != "Linux" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-test-deps: no apt-get here; install Chromium and chromedriver yourself" \
         "for the browser test of the report" >&2
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "install-test-deps: not root and no password-less sudo; run as root:" \
             "apt-get install chromium chromium-driver" >&2
        exit 0
    fi
fi
echo "install-test-deps: installing chromium and chromium-driver (apt)..." >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
