#!/usr/bin/env bash
# bench/profile.sh: where the server's time goes under the closed loop. It
# starts the server pinned to CPU 0, runs `load -mode closed` on CPU 1 and
# records the server with perf (call graphs by frame pointer, which Go
# keeps) for the measured seconds, then prints perf's top functions, flat and
# with their callees. Arguments go to the load tool, after the defaults.
#
#   bench/profile.sh                 # 100 games, a connection per game
#   bench/profile.sh -rematch        # the same on one connection per slot
#
# Needs perf (Debian: linux-perf) and `make build`; writes bench/perf.data.
set -euo pipefail
export GOTOOLCHAIN=local
cd "$(dirname "$0")/.."
bin=${CONNECT4_BIN:-bin/connect4}
command -v perf >/dev/null || { echo "profile: perf is missing (apt-get install linux-perf)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -o "$tmp/load" ./backend/cmd/load

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 18765)
taskset -c 0 "$bin" -addr "127.0.0.1:$port" -message-rate -1 -max-connections -1 -max-connections-per-client -1 \
  -max-games -1 -connection-rate -1 -max-games-per-client -1 -max-sockets -1 -max-sockets-per-client -1 \
  -first-message-timeout 1m -log-level warn -data "$tmp/data" &
server=$!
for _ in $(seq 100); do (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.05; done

taskset -c 1 "$tmp/load" -mode closed -games 100 -warmup 1s -duration 8s -url "ws://127.0.0.1:$port/" -pid "$server" "$@" &
load=$!
sleep 2 # past the warm-up
perf record -q -g -p "$server" -o bench/perf.data -- sleep 5 2>/dev/null
wait "$load"
echo
echo "== the server's functions by their own samples"
perf report -i bench/perf.data --stdio --no-children --percent-limit 1.5 --sort symbol -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -40
echo
echo "== by samples with their callees"
perf report -i bench/perf.data --stdio --children --percent-limit 4 --sort symbol -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -40
