#!/usr/bin/env bash
# bench/bench.sh: what `make bench` runs. It measures the Go benchmarks of
# shared/, a short standard load run against the built server (after the
# machine's calibration: a bare Go TCP echo measured the same way), and the
# frontend (wasm sizes, page ready time in headless Chromium), and writes one
# markdown report to stdout and to bench/results.md (gitignored).
#
# It needs `make build` first (bin/connect4 with the wasm inside) and, for
# the page, Debian's chromium, and for the runs on several instances Debian's
# redis-server. The server runs pinned to CPU 0 and the load tool to CPU 1
# with taskset, with the server's limits for one client lifted; with several
# instances, every instance and their private redis-server share CPU 0, so
# that the cost of more instances shows as fewer moves on the same core. The
# closed loop and the open loop at 10,000 players run twice, with the default
# store (SQLite, in a fresh directory under a temporary one for every server
# start) and with -store memory, to show what durability costs.
#
# Issue 15's targets are measured in the same invocation against their
# references: the bare TCP echo and the minimal gorilla/websocket server that
# the load tool serves itself (load -serve-gorilla); each run's JSON goes to
# $tmp/targets/SERVER-MODE.json, and `load -targets` turns them into the
# table of ratios, targets and verdicts at the head of the report. The idle
# runs go to 50,000 connections when the open-file limit allows it (the load
# tool raises its soft limit to the hard one, and the hard one only with
# CAP_SYS_RESOURCE), else to the largest thousand below the hard limit.
# About eight minutes in all. It exits 1 if a run failed its checks.
# Environment:
#
#   CONNECT4_BIN  the server to measure (default bin/connect4)
#   BENCH_OUT     where to write the report (default bench/results.md)
#   BENCH_QUICK=1 shorter runs, fewer connections, one iteration of each Go
#                 benchmark, for trying the script (figures not comparable)
set -euo pipefail
export GOTOOLCHAIN=local

cd "$(dirname "$0")/.."
root=$PWD
bin=${CONNECT4_BIN:-$root/bin/connect4}
out=${BENCH_OUT:-$root/bench/results.md}
dist=backend/internal/static/dist
[ -x "$bin" ] || { echo "bench: $bin is missing: run make build first" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/load" ./backend/cmd/load

# Two cores or more: the server on CPU 0, the load tool on CPU 1.
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
  pin_server="taskset -c 0 " pin_load="taskset -c 1 "
else
  pin_server="" pin_load=""
fi
base="${pin_server}$bin -addr {addr} -message-rate -1 -max-connections -1 -max-connections-per-client -1 -max-games -1 -connection-rate -1 -max-games-per-client -1 -max-sockets -1 -max-sockets-per-client -1 -first-message-timeout 1m -log-level warn"
# The server with its default store, SQLite, in a fresh data directory for
# every start ({data}, which load replaces), so that no run reuses a
# database and nothing is written into the repository; and the same server
# with its games in memory, to see what durability costs.
server="$base -data {data}"
memory="$base -store memory"
# The same with its games in Redis (-redis overrides -store; -store memory
# so that it opens no data directory either), and the private redis-server
# the load tool starts for it: no append-only file, so that the figures are
# the CPU and the round trips of the store, not this machine's disk (the
# tests' appendfsync always would put an fsync in every move).
with_redis="-addr {addr} -redis {redis}"
redis_server=${memory/"-addr {addr}"/$with_redis}
redis="${pin_server}redis-server --appendonly no"

long=10s open=15s players=10000 idle_small=10000 idle_large=50000
# The hard limit of open files bounds the idle runs, unless it may be raised.
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt $((idle_large + 200)) ] && ! (ulimit -Hn $((idle_large + 200))) 2>/dev/null; then
  idle_large=$(((hard - 500) / 1000 * 1000))
fi
benchtime=1s
if [ "${BENCH_QUICK:-}" = 1 ]; then long=2s open=3s players=2000 idle_small=1000 idle_large=2000 benchtime=1x; fi
gorilla="${pin_server}$tmp/load -serve-gorilla {addr}"
mkdir -p "$tmp/targets"

failed=0 starts=0
# load runs the load tool against the server command $1 with the other
# arguments, and adds its markdown row to $tmp/load.md, labelled with the
# server's store (sqlite, memory, redis; echo for the calibration, gorilla
# for the reference), and its command to $tmp/commands. A {data} in the
# command becomes a new directory under $tmp (one server a run: a data
# directory takes one process). With target=MODE, its JSON result goes to
# $tmp/targets/LABEL-MODE.json for the table of issue 15's targets.
load() {
  local srv=$1 label
  shift
  starts=$((starts + 1))
  srv=${srv//"{data}"/"$tmp/data$starts"}
  case $srv in
    *"-serve-echo"*) label=echo ;;
    *"-serve-gorilla"*) label=gorilla ;;
    *"-redis "*) label=redis ;;
    *"-store memory"*) label=memory ;;
    *) label=sqlite ;;
  esac
  local shown="" a
  for a in "$@"; do
    case $a in *" "*) shown+=" '$a'" ;; *) shown+=" $a" ;; esac
  done
  echo "${pin_load}\$LOAD${shown} -server '$srv'" | sed "s#$root/##g; s#$tmp/load#\$LOAD#g; s#$tmp/#\$TMP/#g" >> "$tmp/commands"
  echo "bench: load ($label) $*" >&2
  : > "$tmp/row.md"
  local json=()
  if [ -n "${target:-}" ]; then
    json=(-json "$tmp/targets/$label-$target.json")
    [ "$label" = echo ] && json=(-json "$tmp/targets/echo.json")
  fi
  if ! $pin_load "$tmp/load" "$@" -server "$srv" -markdown "$tmp/row.md" "${json[@]}" >&2; then
    failed=1
  fi
  sed "s/^| /| **$label** /" "$tmp/row.md" >> "$tmp/load.md"
}

# gobench turns `go test -bench` output into markdown table rows.
gobench() {
  awk '
    /^pkg: / { pkg = $2; sub("github.com/connect4go/connect4/", "", pkg) }
    /^Benchmark/ {
      name = $1; sub(/-[0-9]+$/, "", name)
      figures = ""
      for (i = 3; i + 1 <= NF; i += 2) figures = figures (figures ? ", " : "") $i " " $(i + 1)
      printf "| %s | %s | %s | %s |\n", pkg, name, $2, figures
    }'
}

bytes() { stat -c %s "$1" 2>/dev/null || echo "?"; }

{
  commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  git diff --quiet HEAD -- 2>/dev/null || commit="$commit + uncommitted changes"
  echo "# Benchmark results"
  echo
  echo "| Machine | |"
  echo "|---|---|"
  echo "| Date | $(date -u '+%Y-%m-%d %H:%M UTC') |"
  echo "| CPU | $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') |"
  echo "| Cores | $(nproc) online of $(grep -c '^processor' /proc/cpuinfo) |"
  echo "| Memory | $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) |"
  echo "| Kernel | $(uname -sr) |"
  echo "| Go | $(go version | cut -d' ' -f3-) |"
  echo "| Commit | $commit |"
  echo "| Load average at start | $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews the figures: see each run's CPU column) |"
  echo "| Server, load tool | $(echo "\`${pin_server:-unpinned}" | sed 's/ *$/`/'), $(echo "\`${pin_load:-unpinned}" | sed 's/ *$/`/') (a fresh server for each load run) |"
  echo
} | tee "$out"

{
  echo "## Go benchmarks"
  echo
  echo '`go test -run='"'"'^$'"'"' -bench=. -benchtime='"$benchtime"' -benchmem ./shared/...`'
  echo
  echo "| Package | Benchmark | Iterations | Result |"
  echo "|---|---|---|---|"
} | tee -a "$out"
go test -run='^$' -bench=. -benchtime="$benchtime" -benchmem ./shared/... | tee "$tmp/gobench.txt" >&2
gobench < "$tmp/gobench.txt" | tee -a "$out"
echo | tee -a "$out"

: > "$tmp/load.md" && : > "$tmp/commands"
# First the machine's calibration: a bare Go TCP echo server (the load tool
# serves it) with as many clients as the closed loop has games.
target=closed load "${pin_server}$tmp/load -serve-echo {addr}" -mode echo -games 100 -duration "$long"
# Issue 15's runs, each against this server with its default store (SQLite)
# and with -store memory, and against the minimal gorilla reference: the
# closed loop, the open loop at 10,000 players, idle memory and set-up.
for srv in "$server" "$memory" "$gorilla"; do
  target=closed load "$srv" -mode closed -games 100 -warmup 1s -duration "$long"
done
for srv in "$server" "$memory" "$gorilla"; do
  target=open load "$srv" -mode open -players "$players" -rate 1 -duration "$open"
done
for srv in "$server" "$memory" "$gorilla"; do
  target=idle load "$srv" -mode idle -conns "$idle_small,$idle_large" -message init
done
for srv in "$server" "$memory" "$gorilla"; do
  target=setup load "$srv" -mode setup -conns 5000 -concurrency 50
done
load "$server" -mode closed -games 100 -warmup 1s -duration "$long" -rematch
load "$server" -mode open -players 1000 -rate 1 -duration "$open"
# Games for two, the players on different instances when there are several:
# in this process, then through Redis on 1, 2 and 3 instances.
load "$server" -mode closed -games 100 -warmup 1s -duration "$long" -duel
load "$server" -mode open -players 1000 -rate 1 -duration "$open" -duel
for n in 1 2 3; do
  load "$redis_server" -mode closed -games 100 -warmup 1s -duration "$long" -duel -instances "$n" -redis-server "$redis"
  load "$redis_server" -mode open -players 1000 -rate 1 -duration "$open" -duel -instances "$n" -redis-server "$redis"
done
load "$server" -mode fanout -games 100 -spectators 10 -interval 100ms -duration "$long"
{
  echo "## Issue 15: lean and fast"
  echo
  echo "Each figure of this server, with its default store (SQLite) and with \`-store memory\`, as a ratio to its reference measured in this same invocation: the minimal gorilla/websocket server (\`load -serve-gorilla\`, package \`backend/internal/loadgen/reference\`) or the bare TCP+JSON echo (\`load -serve-echo\`). The runs are in the table below. Idle: $idle_small and $idle_large connections (hard RLIMIT_NOFILE $hard; 50,000 needs it above 50,200). Load average after the runs: $(cut -d" " -f1-3 /proc/loadavg)."
  echo
  if [ "${BENCH_QUICK:-}" = 1 ]; then
    echo
    echo "BENCH_QUICK=1: shorter runs, $players players in the open loop, idle at $idle_small and $idle_large: the figures are not comparable with the targets."
  fi
  echo
  "$tmp/load" -targets "$tmp/targets"
  echo
  echo "## Load"
  echo
  echo "The server (\`$(basename "$bin")\`) and the load tool on loopback, started as below; a fresh server for each run, with its store in bold: **sqlite** (the default, in a new data directory \`\$TMP/dataN\` each run), **memory** (\`-store memory\`) or **redis** (\`-redis\`, with a fresh redis-server, \`--appendonly no\`, on the same CPU as the instances). CPU is in cores (100% = one core busy throughout the measured time; the server's summed over its instances, Redis's apart); the rest of the machine is every other process plus kernel work charged to neither. Latency quantiles are upper bounds within 0.8% (HDR-style histogram); max is exact."
  echo
  echo '```sh'
  echo "go build -o load ./backend/cmd/load   # \$LOAD"
  cat "$tmp/commands"
  echo '```'
  echo
  echo "| Run | Result | Latency | CPU: load tool (its GCs), server, rest of machine | Checks |"
  echo "|---|---|---|---|---|"
  cat "$tmp/load.md"
  echo
} | tee -a "$out"

{
  echo "## Frontend"
  echo
  echo "| File | Raw | gzip | brotli |"
  echo "|---|---|---|---|"
  for f in app.wasm wasm_exec.js worker.wasm; do
    echo "| $dist/$f | $(bytes "$dist/$f") | $(bytes "$dist/$f.gz") | $(bytes "$dist/$f.br") |"
  done
  echo
} | tee -a "$out"
# browserbench runs the backend/e2e benchmark $1 for -benchtime $2 in
# headless Chromium, and reports its figures after the text $3, then the
# lines of its log that start with $4.
browserbench() {
  local name=$1 times=$2 text=$3 logged=$4
  CONNECT4_BIN=$bin go test -count=1 -run='^$' -bench="$name" -benchtime="$times" ./backend/e2e | tee "$tmp/$name.txt" >&2 || failed=1
  {
    echo "\`CONNECT4_BIN=${bin#"$root"/} go test -run='^\$' -bench=$name -benchtime=$times ./backend/e2e\`: $text"
    echo
    echo "| Benchmark | Result |"
    echo "|---|---|"
    gobench < "$tmp/$name.txt" | cut -d'|' -f3,5 | sed 's/^/|/; s/$/|/'
    grep -o "$logged.*" "$tmp/$name.txt" | sed 's/^/\n/'
    echo
  } | tee -a "$out"
}
if command -v chromium >/dev/null; then
  browserbench PageReady 10x "ten first visits (HTTP cache off, a new tab each) in headless Chromium, after one uncounted load. Ready: the start screen's \"Play here\" (or a playable board) visible, by the page's performance.now() from the start of navigation; then the click on \"Play here\" to a playable board." 'loads: '
  echo "### The computer and the analysis in the page" | tee -a "$out"
  echo | tee -a "$out"
  browserbench Worker 1x "the page's Web Worker in headless Chromium, HTTP cache off (see BenchmarkWorker): its start, analyses of positions with 12 stones or more (50 of Pons' Begin-Medium set, 100 of Middle-Medium), the perfect level's move in 20 other Begin-Medium positions, its memory; the same Begin-Medium analyses natively for reference." 'analyses, '
else
  echo "Chromium is missing (make test installs it): no page timing." | tee -a "$out"
fi

echo "bench: report written to ${out#"$root"/}" >&2
exit "$failed"
