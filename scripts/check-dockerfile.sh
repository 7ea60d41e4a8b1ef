#!/usr/bin/env bash
# Checks the Dockerfile without a Docker engine: runs its build stage's COPY and RUN steps, as
# written, on a copy of the build context (the repo's files less .dockerignore) in a temporary
# directory, checks that every file the final stage copies was produced, then runs the binary
# the way the image does: from an empty directory, with no CELERIAC_* settings.
#
#   bash scripts/check-dockerfile.sh          # the working tree (tracked + new, unignored files)
#   bash scripts/check-dockerfile.sh --head   # the last commit only, like a clean clone
#
# Needs node, npm (the build stage's image provides them), git, curl; the npm registry.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
ctx="$tmp/context" work="$tmp/src" out="$tmp/out" run="$tmp/run"
mkdir -p "$ctx" "$work" "$out" "$run"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "check-dockerfile: FAIL: $*" >&2; exit 1; }
say() { echo "check-dockerfile: $*"; }
for name in $(env | grep -o '^CELERIAC_[A-Z_]*' || true); do unset "$name"; done

# --- 1. the build context: the repo's files, less .dockerignore ------------------------------
cd "$root"
if [ "${1:-}" = "--head" ]; then
  git archive HEAD | tar -x -C "$ctx"
else
  git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
    [ -e "$f" ] && { mkdir -p "$ctx/$(dirname "$f")"; cp -a "$f" "$ctx/$f"; }
  done
fi
(
  cd "$ctx"
  shopt -s dotglob globstar nullglob
  while IFS= read -r pattern || [ -n "$pattern" ]; do
    pattern="${pattern%%#*}"
    pattern="${pattern%"${pattern##*[![:space:]]}"}"
    [ -z "$pattern" ] && continue
    [[ "$pattern" == !* ]] && fail ".dockerignore exceptions (!) are not supported by this check"
    # shellcheck disable=SC2086 # the pattern is a glob on purpose
    rm -rf -- $pattern
  done <"$root/.dockerignore"
)
say "build context: $(find "$ctx" -type f | wc -l) files"

# --- 2. the build stage's steps, in order --------------------------------------------------
# Dockerfile lines with continuations joined; the stage is `FROM ... AS build` up to the next FROM.
instructions() {
  sed -e 's/\r$//' "$root/Dockerfile" | awk '
    /^[[:space:]]*#/ { next }
    { line = line $0 }
    /\\$/ { sub(/\\$/, "", line); next }
    { if (line ~ /[^[:space:]]/) print line; line = "" }'
}
stage() { instructions | awk -v want="$1" '
  toupper($1) == "FROM" { inside = (tolower($NF) == want); next }
  inside { print }'
}
[ -n "$(stage build)" ] || fail "no 'FROM ... AS build' stage in the Dockerfile"
# Build-stage absolute paths other than the WORKDIR: /out becomes $out.
map_paths() { sed -e "s#\\(^\\|[[:space:]=]\\)/out#\\1$out#g"; }

while IFS= read -r line; do
  keyword=$(echo "$line" | awk '{ print toupper($1) }')
  rest=$(echo "$line" | sed -E 's/^[[:space:]]*[A-Za-z]+[[:space:]]+//')
  case "$keyword" in
    WORKDIR) say "WORKDIR $rest -> $work" ;;
    ARG | ENV) say "$keyword $rest (ignored: the check uses the host's node and npm)" ;;
    COPY)
      say "COPY $rest"
      [[ "$rest" == --* ]] && fail "COPY flags in the build stage are not supported: $line"
      read -r -a parts <<<"$rest"
      dest="${parts[-1]}"
      for src in "${parts[@]:0:${#parts[@]}-1}"; do
        if [ "$src" = "." ]; then cp -a "$ctx/." "$work/$dest"
        else cp -a "$ctx/$src" "$work/$dest"; fi
      done
      ;;
    RUN)
      cmd=$(echo "$rest" | map_paths)
      say "RUN $cmd"
      (cd "$work" && bash -euo pipefail -c "$cmd") || fail "build step failed: $line"
      ;;
    *) fail "instruction not handled by this check (extend it): $line" ;;
  esac
done < <(stage build)

# --- 3. the final stage: what it copies from the build stage exists ------------------------
final=$(instructions | awk 'toupper($1) == "FROM" { n++ } { if (n) last[n] = last[n] $0 "\n" } END { printf "%s", last[n] }')
echo "$final" | grep -q '^ENTRYPOINT \["/celeriac"\]' || fail 'final stage: no ENTRYPOINT ["/celeriac"]'
echo "$final" | grep -Eq '^USER (65532|nonroot)' || fail "final stage: no non-root USER"
while read -r src; do
  [ -e "$(echo "$src" | map_paths)" ] || fail "final stage copies $src, which the build stage did not make"
  say "final stage copies $src: present"
done < <(echo "$final" | awk 'toupper($1) == "COPY" && /--from=build/ { print $(NF - 1) }')
bin="$out/celeriac"

# --- 4. the binary, as the image runs it ----------------------------------------------------
cd "$run" # empty: nothing can come from the source tree
version=$("$bin" --version)
say "$version"
[[ "$version" == "celeriac $(node -p "require('$root/package.json').version")" ]] || fail "unexpected version: $version"

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
# start NAME ARGS...: runs the binary in the background, logging to $tmp/NAME.log.
start() {
  local name=$1; shift
  "$bin" "$@" >"$tmp/$name.log" 2>&1 &
  pids+=($!)
  last_pid=$!
}
wait_for() { # wait_for NAME REGEX
  for _ in $(seq 1 100); do
    grep -Eq "$2" "$tmp/$1.log" && return 0
    kill -0 "$last_pid" 2>/dev/null || { cat "$tmp/$1.log"; fail "$1 exited before logging /$2/"; }
    sleep 0.1
  done
  cat "$tmp/$1.log"; fail "$1 never logged /$2/"
}
stop_ok() { # stop_ok NAME: SIGTERM, then exit 0 within 10 s
  kill -TERM "$last_pid"
  for _ in $(seq 1 100); do kill -0 "$last_pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$last_pid" 2>/dev/null && { cat "$tmp/$1.log"; fail "$1 still running 10 s after SIGTERM"; }
  local rc=0; wait "$last_pid" || rc=$?
  [ "$rc" -eq 0 ] || { cat "$tmp/$1.log"; fail "$1 exited $rc after SIGTERM"; }
  say "$1: stopped on SIGTERM with exit 0"
}
status_of() { curl -s -o /dev/null -w '%{http_code}' "$1" || true; }

start all all --insecure --port 0 --grace 5
wait_for all 'api listening on'
[ -f "$run/data/celeriac.db" ] || fail "all: no SQLite file at ./data/celeriac.db (the image's /data)"
stop_ok all

for role in worker beat; do
  port=$(free_port)
  start "$role" "$role" --health-port "$port"
  wait_for "$role" "health on"
  [ "$(status_of "http://127.0.0.1:$port/healthz")" = 200 ] || fail "$role: /healthz is not 200"
  for _ in $(seq 1 50); do [ "$(status_of "http://127.0.0.1:$port/readyz")" = 200 ] && break; sleep 0.1; done
  [ "$(status_of "http://127.0.0.1:$port/readyz")" = 200 ] || fail "$role: /readyz is not 200"
  say "$role: /healthz and /readyz answer 200 on port $port"
  stop_ok "$role"
done

say "OK: the Dockerfile's build steps produce a binary that runs from an empty directory"
