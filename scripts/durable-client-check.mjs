// Drives the app's durable HTTP API with the official JavaScript Durable Functions SDK (npm durable-functions), a
// client nobody here wrote, the way a Functions app of another team would: its DurableClient pointed at the app's
// webhook base URL. Every operation the SDK has must answer as it expects from the Functions host.
//
//   node scripts/durable-client-check.mjs http://localhost:7071
//
// scripts/test-run.sh runs it against ./run.sh. Prints one "ok - …" line per check; exits 1 at the first that fails.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { DurableClient } = require("durable-functions/lib/src/durableClient/DurableClient.js");

const base = (process.argv[2] ?? "http://localhost:7071").replace(/\/$/, "");
const webhooks = `${base}/runtime/webhooks/durabletask`;
const client = new DurableClient({
  taskHubName: "ServerlessML",
  creationUrls: { createNewInstancePostUri: `${webhooks}/orchestrators/{functionName}[/{instanceId}]` },
  managementUrls: { id: "INSTANCEID", statusQueryGetUri: `${webhooks}/instances/INSTANCEID` },
  baseUrl: webhooks,
  requiredQueryStringParameters: "",
  rpcBaseUrl: `${webhooks}/`,
});

let passed = 0;
const ok = (what) => { passed++; console.log(`ok - ${what}`); };
const fail = (what) => { console.error(`not ok - ${what}`); process.exit(1); };
const check = (condition, what, detail) => (condition ? ok(what) : fail(`${what}${detail === undefined ? "" : `: ${JSON.stringify(detail)}`}`));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(instanceId, statuses) {
  for (let i = 0; i < 600; i++) {
    const status = await client.getStatus(instanceId);
    if (statuses.includes(status.runtimeStatus)) return status;
    await sleep(200);
  }
  fail(`${instanceId} did not reach ${statuses.join(" or ")}`);
}

async function rejects(promise, what, pattern) {
  try {
    await promise;
  } catch (error) {
    return check(pattern.test(error.message), what, error.message);
  }
  fail(`${what}: it did not fail`);
}

const rows = (n) => Array.from({ length: n }, (_, i) => [i, i % 7, 3 * i - 2 * (i % 7) + 5 + ((i * 37) % 11) / 10]);
const tag = Date.now().toString(36);

// startNew: the training orchestration takes the body of /api/train.
const small = await client.startNew("TrainingOrchestration", { instanceId: `js-${tag}`, input: { model: `js-${tag}`, data: rows(60) } });
check(small === `js-${tag}`, "startNew starts TrainingOrchestration under the id asked for", small);
const done = await until(small, ["Completed", "Failed"]);
check(done.runtimeStatus === "Completed" && done.output.version === 1, "getStatus follows it to Completed with its output", done.output);
const history = await client.getStatus(small, { showHistory: true, showHistoryOutput: true });
check(history.runtimeStatus === "Completed" && history.name === "TrainingOrchestration", "getStatus with showHistory answers", history.runtimeStatus);

// getStatusAll and getStatusBy: the instance list, page after page.
const all = await client.getStatusAll();
check(all.some((s) => s.instanceId === small), "getStatusAll lists it", all.length);
const completed = await client.getStatusBy({ runtimeStatus: ["Completed"], createdTimeFrom: new Date(Date.now() - 3600_000) });
check(completed.some((s) => s.instanceId === small) && completed.every((s) => s.runtimeStatus === "Completed"), "getStatusBy filters by status and time", completed.length);
const none = await client.getStatusBy({ runtimeStatus: ["Suspended"], createdTimeFrom: new Date(Date.now() + 3600_000) });
check(Array.isArray(none) && none.length === 0, "getStatusBy with nothing matching is an empty list", none);

// A run that takes a while: suspend, resume, raise an event, terminate, purge.
const big = await client.startNew("TrainingOrchestration", { input: { model: `js-big-${tag}`, data: rows(60_000) } });
await client.suspend(big, "checking");
const suspended = await until(big, ["Suspended", "Completed"]);
check(suspended.runtimeStatus === "Suspended", "suspend pauses it", suspended.runtimeStatus);
await client.raiseEvent(big, "note", { from: "js" });
ok("raiseEvent is accepted");
await client.resume(big, "go on");
await client.terminate(big, "enough");
const terminated = await until(big, ["Terminated", "Completed"]);
check(terminated.runtimeStatus === "Terminated", "resume then terminate ends it Terminated", terminated.runtimeStatus);
const purged = await client.purgeInstanceHistory(big);
check(purged.instancesDeleted === 1, "purgeInstanceHistory purges it", purged);
await rejects(client.getStatus(big), "getStatus of a purged instance is the SDK's 404 error", /404/);
const purgedAgain = await client.purgeInstanceHistory(big);
check(purgedAgain.instancesDeleted === 0, "purgeInstanceHistory of an unknown instance deletes nothing", purgedAgain);

// What the backend cannot do answers a status the SDK reports, never a silent success. (The SDK makes its error
// message out of the body, and shows a problem+json body as "[object Object]": the status is checked directly.)
await rejects(client.rewind(small, "again"), "rewind is refused", /./);
const rewind = await fetch(`${webhooks}/instances/${small}/rewind?reason=again`, { method: "POST" });
check(rewind.status === 501, "rewind answers 501, which the SDK reads as not supported by the storage provider", rewind.status);
await rejects(client.raiseEvent(`no-such-${tag}`, "note", {}), "raiseEvent to an unknown instance is an error", /./);

// purgeInstanceHistoryBy: by time and status, and a 404 read as nothing deleted.
const byFilter = await client.purgeInstanceHistoryBy({ createdTimeFrom: new Date(Date.now() - 3600_000), runtimeStatus: ["Completed"] });
check(byFilter.instancesDeleted >= 1, "purgeInstanceHistoryBy purges what matches", byFilter);
const byFilterAgain = await client.purgeInstanceHistoryBy({ createdTimeFrom: new Date(Date.now() + 3600_000), runtimeStatus: ["Completed"] });
check(byFilterAgain.instancesDeleted === 0, "purgeInstanceHistoryBy with nothing matching deletes nothing", byFilterAgain);

console.log(`durable-functions client: ${passed} checks passed`);
