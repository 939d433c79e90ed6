#!/usr/bin/env bash
# Installs Debian's chromium for the preview test (test/integration/preview.test.ts) when it is missing.
# Idempotent and quiet: does nothing when /usr/bin/chromium exists; otherwise one `apt-get update`, then
# `apt-get install` without recommended packages. Needs root (or sudo) and network access to Debian's mirrors.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo 'install-chromium: /usr/bin/chromium is missing and this user cannot install it (run as root)' >&2
  exit 1
fi

# apt's chatter (and debconf's "delaying package configuration" notice) is kept for a failure only.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$log" 2>&1 ||
  ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends chromium >>"$log" 2>&1; then
  cat "$log" >&2
  echo 'install-chromium: apt-get failed' >&2
  exit 1
fi

if [ ! -x /usr/bin/chromium ]; then
  echo 'install-chromium: apt-get finished but /usr/bin/chromium is still missing' >&2
  exit 1
fi
echo "install-chromium: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
