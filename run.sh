#!/usr/bin/env bash
# Runs ServerlessML on this machine: Azurite for storage, then the app on http://localhost:7071.
# With Azure Functions Core Tools on the PATH it runs `func start`, the real Functions host; without them it runs
# the local host (FunctionApp.LocalHost), which needs nothing but the .NET SDK and Node.js.
#
#   ./run.sh               build and serve until Ctrl-C
#   ./run.sh --demo        the same, and train the sample, show the metrics and predict two homes
#   ./run.sh --port 7072   serve on another port
#   ./run.sh --local       use the local host even when Core Tools are installed
#   ./run.sh --workers 3   the local host and two more worker processes on the same durable task hub
#   ./run.sh --debug       build and run the Debug configuration (the default is Release: the product as it runs)
#
# Azurite listens on 10000-10002 and keeps its data in .azurite/; AZURITE_BLOB_PORT, AZURITE_QUEUE_PORT,
# AZURITE_TABLE_PORT and AZURITE_LOCATION change that. An Azurite already running there is used as it is.
set -euo pipefail
cd "$(dirname "$0")"

port=7071
demo=false
host=auto
workers=1
configuration=Release
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="${2:?--port needs a number}"; shift 2 ;;
    --port=*) port="${1#--port=}"; shift ;;
    --demo) demo=true; shift ;;
    --local) host=local; shift ;;
    --workers) workers="${2:?--workers needs a number}"; shift 2 ;;
    --workers=*) workers="${1#--workers=}"; shift ;;
    --debug) configuration=Debug; shift ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "Unknown option '$1'. Try ./run.sh --help." >&2; exit 2 ;;
  esac
done

[[ "$port" =~ ^[0-9]+$ ]] || { echo "--port needs a number, not '$port'." >&2; exit 2; }
[[ "$workers" =~ ^[1-9][0-9]?$ ]] || { echo "--workers needs a number from 1 to 99, not '$workers'." >&2; exit 2; }

blob_port="${AZURITE_BLOB_PORT:-10000}"
queue_port="${AZURITE_QUEUE_PORT:-10001}"
table_port="${AZURITE_TABLE_PORT:-10002}"
azurite_location="${AZURITE_LOCATION:-.azurite}"
base_url="http://localhost:$port"
if [ "$queue_port" = $((blob_port + 1)) ] && [ "$table_port" = $((blob_port + 2)) ]; then
  azurite_ports="$blob_port-$table_port"
else
  azurite_ports="$blob_port (blob), $queue_port (queue), $table_port (table)"
fi
state=.run
pid_file="$state/run-$port.pid"
app_log="$state/app-$port.log"
mkdir -p "$state" "$azurite_location"

say() { printf '%s\n' "$*"; }
fail() { printf '%s\n' "$*" >&2; exit 1; }

# Something accepts connections on 127.0.0.1:$1 (bash's /dev/tcp: no extra tool needed).
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Azurite names itself in the Server header of every answer, even to a request it refuses.
is_azurite() { curl -s -o /dev/null -D - --max-time 3 "http://127.0.0.1:$1/" 2>/dev/null | grep -qi '^server: *azurite'; }

# A process is alive until it exits; a child that has exited but is not yet reaped is a zombie, not alive.
alive() { kill -0 "$1" 2>/dev/null && ! grep -qs '^State:.*Z' "/proc/$1/status"; }

# The app answers once the durable API does: an unknown instance is a 404 on both hosts.
ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$base_url/runtime/webhooks/durabletask/instances/run-sh-ready-check")" = 404 ]; }

# --- Is it running already? ------------------------------------------------------------------------------------------
if [ -f "$pid_file" ] && alive "$(cat "$pid_file")"; then
  fail "ServerlessML is already running on $base_url (./run.sh, pid $(cat "$pid_file")). Use it, stop it with Ctrl-C in its terminal, or run another on a free port: ./run.sh --port $((port + 1))"
fi
if listening "$port"; then
  fail "Port $port is in use: by another program, or by the app started some other way (func start, dotnet run). Stop it, or run on a free port: ./run.sh --port $((port + 1))"
fi

for tool in dotnet node curl; do
  command -v "$tool" >/dev/null || fail "$tool is not installed. ./run.sh needs the .NET 10 SDK (https://dot.net), Node.js 20+ (https://nodejs.org) and curl."
done

if [ "$host" = auto ]; then
  if command -v func >/dev/null; then host=func; else host=local; fi
fi

# --- Stop what this run started, on Ctrl-C, on error and on exit ------------------------------------------------------
azurite_pid=""
app_pid=""
worker_pids=()

# Children run in sessions of their own (setsid), so a Ctrl-C in the terminal reaches only this script, which stops
# them in order: the app first, then the storage it writes to. TERM goes to each child's whole process group, which
# also reaches what it started (func's worker); whatever is left after 15 s is killed.
stop() {
  local pid="$1" name="$2"
  [ -n "$pid" ] || return 0
  if alive "$pid"; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 75); do alive "$pid" || break; sleep 0.2; done
    if alive "$pid"; then
      say "$name did not stop within 15 s; killing it."
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
  kill -KILL -- "-$pid" 2>/dev/null || true
}

cleanup() {
  trap - INT TERM EXIT
  [ -z "$app_pid$azurite_pid" ] || say "Stopping…"
  # Every process is asked to stop at once, so that each hands back its work and partitions while the others do.
  local pid
  for pid in "${worker_pids[@]}" "$app_pid"; do
    [ -n "$pid" ] && { kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; }
  done
  for pid in "${worker_pids[@]}"; do stop "$pid" "A worker"; done
  stop "$app_pid" "The app"
  stop "$azurite_pid" "Azurite"
  rm -f "$pid_file"
}
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
trap cleanup EXIT
echo $$ > "$pid_file"

background() {
  if command -v setsid >/dev/null; then setsid "$@" & else "$@" & fi
}

# --- Azurite -----------------------------------------------------------------------------------------------------------
scripts/install-azurite.sh

# The local host keeps durable state in memory and needs only blobs; func start keeps it in queues and tables too.
# Both hosts keep their durable task hub in Azurite's queues and tables, and the models in its blobs.
needed=("$blob_port" "$queue_port" "$table_port")
all_free=true
for p in "$blob_port" "$queue_port" "$table_port"; do
  if listening "$p"; then all_free=false; fi
done

if $all_free; then
  say "Starting Azurite on 127.0.0.1:$azurite_ports, data in $azurite_location/ (log: $azurite_location/azurite.log)"
  # Without --disableTelemetry Azurite reports to a service on the internet and lingers after TERM; --silent keeps
  # the per-request access log out of the log file.
  background node node_modules/azurite/dist/src/azurite.js \
    --location "$azurite_location" --blobPort "$blob_port" --queuePort "$queue_port" --tablePort "$table_port" \
    --skipApiVersionCheck --loose --disableTelemetry --silent >"$azurite_location/azurite.log" 2>&1
  azurite_pid=$!
  say "Azurite: pid $azurite_pid"
  for _ in $(seq 150); do
    up=true
    for p in "$blob_port" "$queue_port" "$table_port"; do listening "$p" || up=false; done
    $up && break
    alive "$azurite_pid" || fail "Azurite stopped while starting:$(printf '\n'; tail -n 20 "$azurite_location/azurite.log")"
    sleep 0.2
  done
  $up || fail "Azurite did not listen on $azurite_ports within 30 s; see $azurite_location/azurite.log"
else
  for p in "${needed[@]}"; do
    listening "$p" || fail "Some of the Azurite ports ($azurite_ports) are in use, but nothing listens on $p, which the app needs. Free them (an Azurite started with blob only?), or use other ports, e.g. AZURITE_BLOB_PORT=20000 AZURITE_QUEUE_PORT=20001 AZURITE_TABLE_PORT=20002 ./run.sh"
    is_azurite "$p" || fail "Port $p is in use by something that is not Azurite. Stop it, or use other ports, e.g. AZURITE_BLOB_PORT=20000 AZURITE_QUEUE_PORT=20001 AZURITE_TABLE_PORT=20002 ./run.sh"
  done
  say "Using the Azurite already running on 127.0.0.1:$azurite_ports (its data stays where it was started; this run will not stop it)."
fi

# Azurite's published development account; not a secret. Spelled out so that other ports work too.
account_key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
export AzureWebJobsStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$account_key;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;"

# --- The app -----------------------------------------------------------------------------------------------------------
# In demo mode the app's log goes to a file, so that it does not run through the demo's progress line.
if $demo; then exec 4>"$app_log"; else exec 4>&1; fi

if [ "$host" = func ] && [ "$workers" -gt 1 ]; then
  fail "--workers is for the local host: under func start the Functions host decides how work is spread. Add --local to use the local host."
fi

if [ "$host" = func ]; then
  if [ ! -f FunctionApp/local.settings.json ]; then
    cp local.settings.sample.json FunctionApp/local.settings.json
    say "Created FunctionApp/local.settings.json from local.settings.sample.json."
  fi
  say "Starting the Functions host: func start (it builds the app first)…"
  background bash -c 'cd FunctionApp && exec func start --port "$1"' func-start "$port" >&4 2>&1
  app_pid=$!
  chosen="under Azure Functions Core Tools (func start)"
else
  say "Building the local host (dotnet build; the first build restores packages and takes a minute)…"
  dotnet build FunctionApp.LocalHost/FunctionApp.LocalHost.csproj -c "$configuration" -nologo -v q -clp:ErrorsOnly >"$state/build.log" 2>&1 \
    || fail "The build failed:$(printf '\n'; tail -n 30 "$state/build.log")"
  background dotnet FunctionApp.LocalHost/bin/$configuration/net10.0/FunctionApp.LocalHost.dll --urls "$base_url" >&4 2>&1
  app_pid=$!
  if command -v func >/dev/null; then why="--local was given"; else why="Core Tools' func is not on the PATH"; fi
  chosen="on the local host (FunctionApp.LocalHost: $why)"
fi
say "App: pid $app_pid"

# More processes on the same task hub: they take orchestrations and activities from its queues as the first one does.
for _ in $(seq 2 "$workers"); do
  background dotnet FunctionApp.LocalHost/bin/$configuration/net10.0/FunctionApp.LocalHost.dll --worker >&4 2>&1
  worker_pids+=($!)
  say "Worker: pid $!"
done

for _ in $(seq 600); do
  ready && break
  alive "$app_pid" || fail "The app stopped while starting.$($demo && printf ' Its log: %s' "$app_log")"
  sleep 0.5
done
ready || fail "The app did not answer on $base_url within 5 minutes."

say ""
say "ServerlessML is running $chosen"
say "  URL:      $base_url   (POST /api/train, POST /api/predict, /runtime/webhooks/durabletask/instances/{id})"
say "  Dashboard: $base_url/   (models, runs, train from a CSV, predict, in the browser)"
say "  Storage:  Azurite on 127.0.0.1:$azurite_ports"
[ "$workers" -gt 1 ] && say "  Workers:  $workers processes on the durable task hub (this one and $((workers - 1)) more)"
$demo && say "  Log:      $app_log"
say "  Stop:     Ctrl-C"

if $demo; then
  say ""
  node scripts/demo.mjs "$base_url" || say "The demo did not finish; the app keeps running. Its log: $app_log"
  say ""
  say "See it in the browser: $base_url/#/models/houses"
  say ""
  say "The app keeps running on $base_url; Ctrl-C stops it."
else
  say "  Try:      train on the sample, waiting up to 60 s for the metrics (without wait=: 202 and a status URL):"
  say "            curl -s -X POST \"$base_url/api/train?model=houses&label=price&wait=60\" -H \"Content-Type: text/csv\" --data-binary @samples/houses.csv"
  say "            then predict:"
  say "            curl -s -X POST $base_url/api/predict -H \"Content-Type: application/json\" -d '{\"model\": \"houses\", \"instances\": [{\"size\": 70, \"rooms\": 3, \"year\": 1985, \"distance\": 4.5, \"city\": \"Oslo\", \"type\": \"apartment\"}]}'"
  say "            or: ./run.sh --demo, samples/requests.http, and the README"
fi
say ""

status=0
wait "$app_pid" || status=$?
fail "The app exited (code $status).$($demo && printf ' Its log: %s' "$app_log")"
