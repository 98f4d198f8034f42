#!/usr/bin/env bash
# The Debian packages the tests use for real: PostgreSQL (the shared ledger) and Chromium (the
# reports in a browser). Installed where missing, so `make test` on a fresh machine tests them
# instead of skipping them. Needs root or sudo; says what is missing otherwise.
set -euo pipefail

missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v chromium >/dev/null || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    as_root=(sudo)
else
    echo "make test needs the Debian packages: ${missing[*]} (install them as root)" >&2
    exit 1
fi
echo "installing ${missing[*]} (Debian packages the tests need)"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
