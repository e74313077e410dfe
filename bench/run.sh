#!/usr/bin/env bash
# Measures ServerlessML against its baselines and writes BENCHMARKS.md (see README, "Benchmarks").
#
#   bench/run.sh           the full run: 1,000,000 and 10,000,000 rows (about 10 minutes)
#   bench/run.sh --quick   smaller inputs and fewer repetitions, to try the harness (about 4 minutes)
#   bench/run.sh --only quality
#                          only cases 8 and 9 (issue 11: R² against scikit-learn on five datasets, a sweep on one
#                          process and on two), about 12 minutes; their sections of BENCHMARKS.md are replaced and
#                          every other section is left as the last full run wrote it. With --quick: one run each.
#   bench/run.sh --only data
#                          cases 1-7 (the data plane, training through the app, serving), about 13 minutes; cases 8
#                          and 9 are left as the last run that measured them wrote them.
#
# It installs what it needs (python3-sklearn, python3-pandas and wrk from Debian; Azurite from package-lock.json),
# builds Release, generates the data once into bench/out/, runs each case and writes BENCHMARKS.md. Run it on an
# otherwise idle machine: every case shares its two cores with nothing else. Nothing here runs in the tests.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=true; shift ;;
    --only) only="${2:?--only needs a case group: quality or data}"; shift 2 ;;
    *) echo "Unknown option '$1': bench/run.sh [--quick] [--only quality|data]" >&2; exit 2 ;;
  esac
done
[ -z "$only" ] || [ "$only" = quality ] || [ "$only" = data ] || { echo "--only takes quality or data, not '$only'." >&2; exit 2; }

if $quick; then
  rows=200000; scale_rows=2000000; runs=3; app_runs=2; serve_runs=1; duration=5s; cold_runs=3; recovery_runs=1; fanout_rows=20000; fanout_runs=1
else
  rows=1000000; scale_rows=10000000; runs=5; app_runs=4; serve_runs=3; duration=8s; cold_runs=5; recovery_runs=2; fanout_rows=100000; fanout_runs=3
fi

# --- What it needs ----------------------------------------------------------------------------------------------------
if ! /usr/bin/python3 -c 'import sklearn, pandas' 2>/dev/null || ! command -v wrk >/dev/null; then
  echo "Installing python3-sklearn, python3-pandas and wrk (apt-get)…"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q python3-sklearn python3-pandas wrk >/dev/null
fi
scripts/install-azurite.sh

echo "Building Release…"
dotnet build bench/ServerlessML.Bench -c Release -v q -nologo -clp:ErrorsOnly
dotnet build FunctionApp.LocalHost -c Release -p:BenchmarkEndpoints=true -o bench/out/localhost -v q -nologo -clp:ErrorsOnly
bench() { dotnet bench/ServerlessML.Bench/bin/Release/net10.0/ServerlessML.Bench.dll "$@"; }

# --- Data, generated once -----------------------------------------------------------------------------------------------
mkdir -p bench/out/results
data() {
  local file="bench/out/train-$1.csv"
  [ -s "$file" ] || { echo "Generating $file…" >&2; bench generate --rows "$1" --features 20 --out "$file" >&2; }
  echo "$file"
}
fanout_csv=$(data "$fanout_rows")
results=bench/out/results

# Cases 8 and 9 (issue 11): the datasets and scikit-learn's reference from bench/quality_data.py, then the app on them.
# The fan-out first: its ratio is the timing that matters, so it gets the machine at its quietest.
quality() {
  echo "9. Fan-out: sweep=8&folds=5 on $fanout_rows rows, one process and two ($fanout_runs runs each after a warm-up)…"
  bench fan-out --csv "$fanout_csv" --runs "$fanout_runs" --configs 1,2 --out "$results/fanout.json" >/dev/null
  echo "9. The same with one activity per process (1 run each after a warm-up)…"
  bench fan-out --csv "$fanout_csv" --runs 1 --configs 1:1,2:1 --out "$results/fanout-one-activity.json" >/dev/null
  echo "8. Model quality: R² against scikit-learn on $(echo bench/out/quality/*/ | wc -w) datasets, default options and trainer=auto…"
  bench quality --data bench/out/quality --out "$results/quality.json" >/dev/null
}
if [ "$only" != data ]; then
  echo "Generating the model-quality datasets and scikit-learn's reference (bench/quality_data.py)…"
  /usr/bin/python3 bench/quality_data.py bench/out/quality .
fi

if [ "$only" = quality ]; then
  quality
  command="bench/run.sh --only quality"; $quick && command="bench/run.sh --only quality --quick"
  bench report-quality --results "$results" --datasets bench/out/quality/datasets.json --command "$command" --out BENCHMARKS.md >/dev/null
  echo "Wrote cases 8 and 9 into BENCHMARKS.md."
  exit 0
fi

train_csv=$(data "$rows")
scale_csv=$(data "$scale_rows")
small_csv=$(data 1000)

# --- The cases ----------------------------------------------------------------------------------------------------------
echo "1. Training path against scikit-learn ($rows rows, $runs runs each)…"
bench compare-training --csv "$train_csv" --runs "$runs" --out "$results/training.json" >/dev/null
echo "1. Through the app ($app_runs runs, the first right after the app starts)…"
bench app-train --csv "$train_csv" --runs "$app_runs" --out "$results/app.json" >/dev/null
echo "1. Through the app with the instance's prepared-data cache off ($app_runs runs)…"
bench app-train --csv "$train_csv" --setting Training__DataCacheMegabytes=0 --runs "$app_runs" --out "$results/app-uncached.json" >/dev/null
echo "1. Through the app from Parquet ($app_runs runs)…"
bench app-train --csv "$train_csv" --parquet --runs "$app_runs" --out "$results/app-parquet.json" >/dev/null
echo "2. Scale ($scale_rows rows through the app)…"
bench app-train --csv "$scale_csv" --runs 1 --out "$results/scale.json" >/dev/null
echo "3. Serving ($serve_runs × 4 wrk runs of $duration)…"
bench serve --runs "$serve_runs" --duration "$duration" --out "$results/serve.json" >/dev/null
echo "4. Cold start ($cold_runs runs)…"
bench cold-start --runs "$cold_runs" --out "$results/cold.json" >/dev/null
echo "5. Orchestration overhead…"
bench overhead --csv "$small_csv" --runs "$runs" --out "$results/overhead.json" >/dev/null
echo "6. Recovery from a crash and from Ctrl-C ($recovery_runs runs each)…"
bench recovery --csv "$train_csv" --runs "$recovery_runs" --out "$results/recovery.json" >/dev/null
echo "7. The app's CSV reader against Sep ($runs runs)…"
bench csv-parsers --csv "$train_csv" --runs "$runs" --out "$results/csv.json" >/dev/null
echo "10. The hand-written ML pieces against ML.NET's own paths ($runs runs)…"
bench hand-written --csv "$train_csv" --runs "$runs" --out "$results/hand-written.json" >/dev/null
[ "$only" = data ] || quality

report_args=(--results "$results" --out BENCHMARKS.md --training-csv "$(basename "$train_csv")" --recovery-csv "$(basename "$train_csv")" --scale-rows "$scale_rows")
$quick && report_args+=(--quick)
[ "$only" = data ] && report_args+=(--keep-quality)
bench report "${report_args[@]}" >/dev/null
echo "Wrote BENCHMARKS.md."
