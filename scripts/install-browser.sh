#!/usr/bin/env bash
# Install the headless browser the web UI's tests drive: Debian's chromium package (Playwright
# for Python drives it through executable_path; Playwright's own browser downloads are never
# used). Does nothing when a Chromium is already installed.
set -euo pipefail

for name in chromium chromium-browser; do
    if command -v "$name" >/dev/null 2>&1; then
        exit 0
    fi
done

if [ "$(id -u)" -ne 0 ]; then
    echo "install-browser: chromium is missing; as root run: apt-get install chromium" >&2
    echo "install-browser: the browser tests will be skipped until then" >&2
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: chromium is missing and there is no apt-get here; install Chromium" \
        "and set WIREWATCH_CHROMIUM to its path; the browser tests will be skipped until then" >&2
    exit 0
fi
echo "install-browser: installing Debian's chromium for the browser tests" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
command -v chromium
