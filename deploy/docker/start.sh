#!/bin/sh
# Container entry point: `switchyard serve` with SWITCHYARD_CONFIG when set, else the bundled OpenRouter
# config when OPENROUTER_API_KEY is set, else the bundled demo config (no key needed). `exec` makes node
# PID 1, so SIGTERM reaches the gateway, which drains requests in flight before it exits.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
app=$(cd "$here/../.." && pwd)
config="${SWITCHYARD_CONFIG:-}"
if [ -z "$config" ]; then
  if [ -n "${OPENROUTER_API_KEY:-}" ]; then config="$here/openrouter.yaml"; else config="$here/demo.yaml"; fi
fi
exec node "$app/gateway/dist/cli/main.js" serve --config "$config" "$@"
