// The guided first run behind `./run.sh --demo`: trains the sample through the running app the way any client
// would (POST, then follow Location while it answers 202), prints the metrics, and predicts two homes.
// Usage: node scripts/demo.mjs [base URL, default http://localhost:7071]
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

const base = process.argv[2] ?? 'http://localhost:7071';
const csv = await readFile(new URL('../samples/houses.csv', import.meta.url));
const homes = [
  { size: 70, rooms: 3, year: 1985, distance: 4.5, city: 'Oslo', type: 'apartment' },
  { size: 160, rooms: 6, year: 2012, distance: 12, city: 'Bergen', type: 'detached' },
];

console.log('Training model "houses" on samples/houses.csv (400 homes; label: price, in millions of NOK)');
const started = Date.now();
const train = await fetch(`${base}/api/train?model=houses&label=price`, {
  method: 'POST',
  headers: { 'Content-Type': 'text/csv' },
  body: csv,
});
if (train.status !== 202) {
  fail(`POST /api/train answered ${train.status}: ${await train.text()}`);
}

const status = await follow(train.headers.get('location'));
if (status.runtimeStatus !== 'Completed') {
  fail(`Training ended ${status.runtimeStatus}: ${JSON.stringify(status.output)}`);
}

const { version, metrics, rows } = status.output;
console.log(`Published houses v${version}: trained on ${rows.train} rows, evaluated on ${rows.test} held-out rows`);
console.log(`  R²             ${metrics.rSquared.toFixed(3)}   (share of the price variance the model explains)`);
console.log(`  RMSE           ${metrics.rmse.toFixed(3)}   (typical error, MNOK)`);
console.log(`  MAE            ${metrics.mae.toFixed(3)}`);
console.log(`  baseline RMSE  ${metrics.baselineRmse.toFixed(3)}   (always guessing the mean: the model must beat this)`);

const predict = await fetch(`${base}/api/predict`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ model: 'houses', instances: homes }),
});
const answer = await predict.json();
if (predict.status !== 200) {
  fail(`POST /api/predict answered ${predict.status}: ${JSON.stringify(answer)}`);
}

console.log(`Predictions from houses v${answer.version}:`);
homes.forEach((home, i) =>
  console.log(`  ${home.size} m² ${home.type} in ${home.city}, ${home.rooms} rooms, built ${home.year}, ${home.distance} km out: ` +
    `${answer.predictions[i].toFixed(2)} MNOK`));
console.log('Predict your own:');
console.log(`  curl -s -X POST ${base}/api/predict -H "Content-Type: application/json" \\`);
console.log(`    -d '${JSON.stringify({ model: 'houses', instances: [homes[0]] })}'`);

// Polls the status URL while it answers 202, showing the phase and the time so far on one line (a line per change
// when the output is not a terminal). Polls every half second rather than the advised Retry-After: a demo should
// not sit idle.
async function follow(location) {
  let shown = '';
  for (;;) {
    const response = await fetch(location);
    const status = await response.json();
    const phase = status.customStatus?.phase ?? 'starting';
    const line = `  ${status.runtimeStatus.padEnd(9)} ${phase.padEnd(11)} ${((Date.now() - started) / 1000).toFixed(1)} s`;
    if (process.stdout.isTTY) {
      process.stdout.write(`\r${line}   `);
    } else if (phase !== shown) {
      console.log(line);
    }
    shown = phase;
    if (response.status !== 202) {
      if (process.stdout.isTTY) process.stdout.write('\n');
      return status;
    }
    await sleep(500);
  }
}

function fail(message) {
  console.error(message);
  process.exit(1);
}
