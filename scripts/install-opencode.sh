#!/usr/bin/env bash
# Installs the OpenCode CLI binary used by gateway/test/e2e into a cache folder (idempotent).
# Only the platform package is installed: the `opencode-ai` wrapper would pull two ~177 MB binaries.
# Usage: scripts/install-opencode.sh            prints the binary path on the last line of stdout
# Env:   OPENCODE_VERSION (default 1.18.33), OPENCODE_CACHE_DIR (default <repo>/.e2e-cache/opencode)
set -euo pipefail

version="${OPENCODE_VERSION:-1.18.33}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache_dir="${OPENCODE_CACHE_DIR:-$repo_root/.e2e-cache/opencode}"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform="linux-x64" ;;
  Linux-aarch64) platform="linux-arm64" ;;
  Darwin-arm64) platform="darwin-arm64" ;;
  Darwin-x86_64) platform="darwin-x64" ;;
  *) echo "install-opencode: unsupported platform $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac
# The default x64 Linux build needs AVX2; older CPUs need the -baseline build.
if [ "$platform" = "linux-x64" ] && ! grep -qw avx2 /proc/cpuinfo; then
  platform="linux-x64-baseline"
fi

pkg="opencode-$platform"
bin="$cache_dir/node_modules/$pkg/bin/opencode"

if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -qx "$version"; then
  echo "install-opencode: $pkg@$version already present"
else
  echo "install-opencode: installing $pkg@$version into $cache_dir"
  mkdir -p "$cache_dir"
  # --prefix with its own package.json keeps the install out of the repo's workspaces.
  [ -f "$cache_dir/package.json" ] || echo '{"private":true}' > "$cache_dir/package.json"
  npm install --prefix "$cache_dir" --no-save --no-audit --no-fund --ignore-scripts "$pkg@$version"
  chmod +x "$bin"
fi

echo "install-opencode: $("$bin" --version) at:"
echo "$bin"
