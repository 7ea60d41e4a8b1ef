#!/usr/bin/env bash
# Starts the compiled binary from an empty directory (so nothing can come from the source tree),
# enqueues a task, reads its result, then checks SIGTERM drains and exits 0 within the grace period.
set -euo pipefail
bin="$1"
dir=$(mktemp -d)
cd "$dir"
export CELERIAC_BROKER_URL="sqlite://$dir/data/smoke.db"
"$bin" --version
"$bin" all --grace 5 --insecure --port 0 >"$dir/all.log" 2>&1 &
pid=$!
cleanup() { kill -9 "$pid" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
# Client commands never create a database: wait until the role has made it and is consuming.
for _ in $(seq 1 100); do grep -q 'worker online' "$dir/all.log" 2>/dev/null && break; sleep 0.1; done
grep -q 'worker online' "$dir/all.log" || { echo "all did not come up in 10 s"; cat "$dir/all.log"; exit 1; }
id=$("$bin" call debug.noop --input '{}')
echo "enqueued $id"
out=$("$bin" result "$id" --wait 15 --json)
echo "$out"
echo "$out" | grep -q '"state": *"SUCCESS"' || { echo "expected SUCCESS"; cat "$dir/all.log"; exit 1; }
kill -TERM "$pid"
for _ in $(seq 1 70); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then echo "still running 7 s after SIGTERM"; cat "$dir/all.log"; exit 1; fi
rc=0; wait "$pid" || rc=$?
[ "$rc" -eq 0 ] || { echo "exit code $rc after SIGTERM"; cat "$dir/all.log"; exit 1; }
echo "smoke test passed"
