#!/bin/sh
# Warms Node's compile cache for the gateway: starts it once on a throwaway state folder until /readyz
# answers, then stops it. Node keys the cache folder by its own version and the calling uid, so this
# runs as the gateway's uid; the image makes the folder read-only afterwards, and Node reads a
# read-only cache (it only skips writing).
# usage: warm-compile-cache.sh <cache dir> <app dir> [port]
set -eu
cache="$1"
app="$2"
port="${3:-18789}"
home="$(mktemp -d)"
mkdir -p "$home/.openclaw"
cat > "$home/.openclaw/openclaw.json" <<CONFIG
{ "gateway": { "mode": "local", "port": $port, "bind": "loopback", "auth": { "mode": "token", "token": "compile-cache-warm-up-only" } } }
CONFIG
HOME="$home" NODE_COMPILE_CACHE="$cache" npm_config_offline=true node "$app/dist/index.js" gateway run > "$home/gateway.log" 2>&1 &
gateway=$!
status=0
PORT="$port" node -e '
  const deadline = Date.now() + 180000;
  (async () => {
    while (Date.now() < deadline) {
      try { if ((await fetch(`http://127.0.0.1:${process.env.PORT}/readyz`)).status === 200) return; } catch {}
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error("the gateway was not ready within 180 s");
  })().catch((e) => { console.error(e.message); process.exit(1); });
' || status=$?
kill -TERM "$gateway" 2>/dev/null || true
wait "$gateway" 2>/dev/null || true
[ "$status" -eq 0 ] || tail -n 40 "$home/gateway.log" >&2
rm -rf "$home"
exit "$status"
