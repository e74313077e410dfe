#!/usr/bin/env bash
# Tests ./run.sh the way a user runs it, on free ports with an Azurite data folder of its own (so it never meets a
# ./run.sh or Azurite of the developer's): it must answer, train the sample through curl, predict, serve its durable API
# to the official JavaScript client, refuse a second run on the same port, and on SIGINT stop leaving none of the
# processes it started. ./test.sh runs it after the .NET tests.
#
# It uses the local host even where Core Tools are installed: CI has no Core Tools, and the test should not depend on
# a tool the project does not install.
set -euo pipefail
set -m # run.sh gets a process group of its own, where SIGINT is not ignored as it is for a plain background job
cd "$(dirname "$0")/.."

work=$(mktemp -d)
log="$work/run.log"
run_pid=""
groups=""
passed=0

finish() {
  local code=$?
  if [ -n "$run_pid" ] && kill -0 "$run_pid" 2>/dev/null; then
    kill -INT "$run_pid" 2>/dev/null || true
    wait "$run_pid" 2>/dev/null || true
  fi
  # A failed check may leave run.sh's children behind; they are ours to end, by their group id.
  for group in $groups; do kill -KILL -- "-$group" 2>/dev/null || true; done
  if [ "$code" -ne 0 ]; then
    echo "--- ./run.sh output ---"
    cat "$log" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap finish EXIT

ok() { passed=$((passed + 1)); echo "ok - $*"; }
not_ok() { echo "not ok - $*" >&2; exit 1; }

# The processes in process group $1, read from /proc (run.sh starts each child as the leader of a group of its own).
group_members() {
  local stat pgrp
  for stat in /proc/[0-9]*/stat; do
    # After the command name in parentheses come the state, the parent and the process group.
    read -r _ _ pgrp _ < <(sed 's/^.*) //' "$stat" 2>/dev/null) || continue
    if [ "$pgrp" = "$1" ]; then basename "$(dirname "$stat")"; fi
  done
}

# Four free loopback ports, held open together so that they differ.
read -r port blob queue table < <(node -e '
  const net = require("net");
  const servers = [0, 1, 2, 3].map(() => net.createServer());
  Promise.all(servers.map(s => new Promise(r => s.listen(0, "127.0.0.1", r)))).then(() => {
    console.log(servers.map(s => s.address().port).join(" "));
    servers.forEach(s => s.close());
  });')
base="http://localhost:$port"
export AZURITE_BLOB_PORT=$blob AZURITE_QUEUE_PORT=$queue AZURITE_TABLE_PORT=$table AZURITE_LOCATION="$work/azurite"

./run.sh --local --port "$port" >"$log" 2>&1 &
run_pid=$!

for _ in $(seq 300); do
  grep -q "ServerlessML is running" "$log" && break
  kill -0 "$run_pid" 2>/dev/null || not_ok "./run.sh exited before the app answered"
  sleep 1
done
grep -q "ServerlessML is running on the local host" "$log" || not_ok "./run.sh did not say that it runs the local host"
grep -q "URL: *$base" "$log" || not_ok "./run.sh did not print the base URL"
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/runtime/webhooks/durabletask/instances/probe")
[ "$code" = 404 ] || not_ok "the durable API answered $code for an unknown instance, not 404"
pids=$(sed -n 's/^\(Azurite\|App\): pid \([0-9]*\)$/\2/p' "$log")
[ "$(echo "$pids" | wc -w)" = 2 ] || not_ok "./run.sh did not report the pids of Azurite and the app"
groups="$run_pid $pids"
ok "./run.sh serves $base and says it chose the local host"

headers="$work/train.headers"
code=$(curl -s -o "$work/train.json" -D "$headers" -w '%{http_code}' -X POST "$base/api/train?model=sample&label=price" \
  -H "Content-Type: text/csv" --data-binary @samples/houses.csv)
[ "$code" = 202 ] || not_ok "POST /api/train answered $code: $(cat "$work/train.json")"
location=$(tr -d '\r' <"$headers" | sed -n 's/^[Ll]ocation: //p')
[ -n "$location" ] || not_ok "POST /api/train gave no Location"
ok "POST /api/train with samples/houses.csv answers 202 with a Location"

for _ in $(seq 240); do
  code=$(curl -s -o "$work/status.json" -w '%{http_code}' "$location")
  [ "$code" = 202 ] || break
  sleep 0.5
done
[ "$code" = 200 ] && grep -q '"runtimeStatus":"Completed"' "$work/status.json" \
  || not_ok "training did not complete ($code): $(cat "$work/status.json")"
ok "the status URL answers 202 while training, then 200 Completed"

code=$(curl -s -o "$work/predict.json" -w '%{http_code}' -X POST "$base/api/predict" -H "Content-Type: application/json" \
  -d '{"model": "sample", "instances": [{"size": 70, "rooms": 3, "year": 1985, "distance": 4.5, "city": "Oslo", "type": "apartment"}]}')
[ "$code" = 200 ] && grep -q '"predictions":\[[0-9]' "$work/predict.json" || not_ok "POST /api/predict answered $code: $(cat "$work/predict.json")"
ok "POST /api/predict answers with a prediction"

code=$(curl -s -o "$work/page.html" -w '%{http_code}' "$base/")
[ "$code" = 200 ] && grep -q '<title>ServerlessML</title>' "$work/page.html" && curl -sf -o /dev/null "$base/dashboard/app.js" \
  || not_ok "the dashboard is not served at $base/ ($code)"
ok "the dashboard is served at $base/"

code=$(curl -s -o "$work/health.json" -w '%{http_code}' "$base/api/health")
[ "$code" = 200 ] && grep -q '"status":"healthy"' "$work/health.json" && grep -q '"model":"sample"' "$work/health.json" \
  || not_ok "GET /api/health answered $code: $(cat "$work/health.json")"
ok "GET /api/health says storage and the task hub answer, and names the model in memory"

code=$(curl -s -o "$work/openapi.json" -w '%{http_code}' "$base/api/openapi.json")
[ "$code" = 200 ] && grep -q '"openapi": "3.1.0"' "$work/openapi.json" || not_ok "GET /api/openapi.json answered $code"
ok "GET /api/openapi.json serves the OpenAPI 3.1 document"

node scripts/durable-client-check.mjs "$base" >"$work/durable-client.log" 2>&1 \
  || not_ok "the durable-functions JavaScript client failed against the durable API: $(tail -n 3 "$work/durable-client.log")"
ok "the official durable-functions JavaScript client manages runs as on the Functions host ($(tail -n 1 "$work/durable-client.log"))"

second=0
./run.sh --local --port "$port" >"$work/second.log" 2>&1 || second=$?
[ "$second" -ne 0 ] && grep -q "already running on $base" "$work/second.log" \
  || not_ok "a second ./run.sh on the same port did not say it is already running (exit $second): $(cat "$work/second.log")"
ok "a second ./run.sh on the same port says ServerlessML is already running"

kill -INT "$run_pid"
status=0
for _ in $(seq 60); do kill -0 "$run_pid" 2>/dev/null || break; sleep 0.5; done
kill -0 "$run_pid" 2>/dev/null && not_ok "./run.sh did not stop within 30 s of SIGINT"
wait "$run_pid" || status=$?
run_pid=""
[ "$status" = 130 ] || not_ok "./run.sh exited with $status after SIGINT, not 130"
for group in $groups; do
  left=$(group_members "$group")
  [ -z "$left" ] || not_ok "processes started by ./run.sh are still running: $left"
done
for p in "$port" "$blob" "$queue" "$table"; do
  ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || not_ok "port $p is still open after ./run.sh stopped"
done
ok "SIGINT stops ./run.sh, the app and Azurite, leaving no process and no open port"

echo "./run.sh: $passed checks passed"
