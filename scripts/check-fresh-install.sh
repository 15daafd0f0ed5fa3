#!/usr/bin/env bash
# The README's first steps on a fresh clone: one `npm install`, then `npx switchyard --help` must work.
# Clones the committed HEAD of this repository into a temporary directory (packages come from the npm cache).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT

git clone -q "$repo_root" "$dir/switchyard"
cd "$dir/switchyard"
npm install --prefer-offline --no-audit --no-fund >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; exit 1; }
if ! npx --no-install switchyard --help | grep -q '^Usage:'; then
  echo "check-fresh-install: 'npx switchyard --help' failed after one npm install" >&2
  exit 1
fi
echo "check-fresh-install: the CLI works after one npm install"
