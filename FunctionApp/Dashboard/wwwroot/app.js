// The dashboard: a page over the app's own HTTP API (the same routes and keys as curl), with hash routes for its
// pages: #/models, #/models/{name}, #/runs, #/train, #/predict/{model}. No framework and no build step.
import { bars, histogram, line, scatter, sparkline } from "./plots.js";

const main = document.getElementById("main");
const errorBox = document.getElementById("error");
const keyInput = document.getElementById("key");
const durable = "/runtime/webhooks/durabletask";
const phases = ["preparing", "training", "evaluating", "publishing", "completed"];
let timer = null;

// --- The API ----------------------------------------------------------------------------------------------------------

/** An answer that is not 2xx: the problem's detail is what the user reads. */
class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `The app answered ${status}.`);
    this.status = status;
  }
}

async function api(path, { method = "GET", body, type, headers = {} } = {}) {
  const key = sessionStorage.getItem("key");
  const response = await fetch(path, {
    method,
    body,
    headers: { ...(type ? { "Content-Type": type } : {}), ...(key ? { "x-functions-key": key } : {}), ...headers },
  });
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = { detail: text }; }
  if (!response.ok) throw new ApiError(response.status, data);
  return { data, response };
}

const json = (value) => JSON.stringify(value);

// --- Small helpers ----------------------------------------------------------------------------------------------------

function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child);
  return node;
}

function show(error) {
  errorBox.hidden = !error;
  errorBox.textContent = error ? (error instanceof ApiError ? error.message : `Something went wrong: ${error.message}`) : "";
}

const fmt = (v, digits = 4) => (typeof v === "number" && Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : "—");
const when = (iso) => (iso ? new Date(iso).toLocaleString() : "—");
const seconds = (from, to) => `${Math.max(0, Math.round((new Date(to) - new Date(from)) / 1000))} s`;

function table(headers, rows) {
  return h("div", { class: "table-wrap" }, h("table", {},
    h("thead", {}, h("tr", {}, headers.map((t) => h("th", { scope: "col", text: t })))),
    h("tbody", {}, rows)));
}

function page(title, ...content) {
  main.replaceChildren(h("h2", { text: title }), ...content);
  main.focus({ preventScroll: true });
}

function progress(status, compact = false) {
  const phase = status.customStatus?.phase ?? (status.runtimeStatus === "Pending" ? "pending" : "preparing");
  // Cross-validation and a sweep come before the final training: the bar shows them as part of it, with their count.
  const at = phase === "failed" ? -1 : phases.indexOf(phase === "cross-validating" || phase === "sweeping" ? "training" : phase);
  const label = status.customStatus?.progress ? `${phase}, ${status.customStatus.progress}` : phase;
  const done = status.runtimeStatus === "Completed" ? phases.length : Math.max(0, at);
  const bar = h("progress", { max: phases.length, value: done, "aria-label": `${status.runtimeStatus}, ${label}` });
  return compact
    ? h("div", { class: "compact" }, bar, h("span", { class: "muted", text: label }))
    : h("div", {}, bar, h("div", { class: "phases" }, phases.map((p, i) => h("span", { class: i < done ? "done" : i === at ? "now" : "", text: p }))));
}

function statusText(status) {
  const cls = { Completed: "ok", Failed: "bad", Terminated: "warn" }[status.runtimeStatus] ?? "";
  return h("span", { class: cls, text: status.runtimeStatus });
}

// --- Pages ------------------------------------------------------------------------------------------------------------

async function models() {
  const { data } = await api("/api/models");
  const details = await Promise.all(data.models.map((m) => api(`/api/models/${m.name}`).then((r) => r.data).catch(() => null)));
  const rows = data.models.map((m, i) => {
    const r2 = (details[i]?.versions ?? []).map((v) => v.metrics.rSquared).filter(Number.isFinite);
    return h("tr", {},
      h("td", {}, h("a", { href: `#/models/${m.name}`, text: m.name })),
      h("td", { text: m.production ? `v${m.production}` : "—" }),
      h("td", { text: m.latest ? `v${m.latest}` : "—" }),
      h("td", { text: fmt(m.productionMetrics?.rSquared) }),
      h("td", {}, sparkline(r2, `R² of ${m.name} across versions`)),
      h("td", {}, h("a", { href: `#/predict/${m.name}`, text: "Predict" })));
  });
  page("Models", rows.length
    ? table(["Model", "Production", "Latest", "R² (production)", "R² across versions", ""], rows)
    : h("p", {}, "No model yet. ", h("a", { href: "#/train", text: "Train one" }), "."));
}

async function model(name, selected) {
  const { data } = await api(`/api/models/${name}`);
  const versions = data.versions;
  const version = Number(selected) || data.aliases.production || versions.at(-1)?.version;
  const rows = versions.map((v) => h("tr", { class: v.version === version ? "selected" : "", "data-version": v.version },
    h("td", {}, h("a", { href: `#/models/${name}/${v.version}`, "aria-current": v.version === version ? "true" : null, text: `v${v.version}` })),
    h("td", { text: when(v.created) }),
    h("td", { text: fmt(v.metrics.rSquared) }),
    h("td", { text: fmt(v.metrics.rmse) }),
    h("td", { text: `${v.rows.train} + ${v.rows.test}` }),
    h("td", { title: v.datasetSha256, text: v.datasetSha256.slice(0, 12) }),
    h("td", { title: v.runId, text: v.runId.slice(0, 12) }),
    h("td", { text: v.aliases.join(", ") }),
    h("td", {}, v.aliases.includes("production") ? null
      : h("button", { type: "button", onclick: () => promote(name, v.version), text: "Make production" }))));
  const history = (data.history ?? []).slice(-20).reverse().map((move) => h("tr", {},
    h("td", { text: when(move.at ?? move.when ?? move.time) }),
    h("td", { text: move.alias }),
    h("td", { text: `${move.from ? `v${move.from}` : "—"} → v${move.to}` }),
    h("td", { text: move.by ?? "—" }),
    h("td", { class: "wrap", text: move.reason ?? "" })));
  const plots = h("div", { class: "grid", id: "plots" }, h("p", { class: "muted", text: "Loading the plots…" }));
  page(`Model ${name}`,
    h("p", { class: "muted" }, `Aliases: ${Object.entries(data.aliases).map(([a, v]) => `${a} → v${v}`).join(", ") || "none"}. `,
      h("a", { href: `#/predict/${name}/${version}`, text: `Predict with v${version}` })),
    table(["Version", "Created", "R²", "RMSE", "Rows (train + test)", "Dataset", "Run", "Aliases", ""], rows),
    h("h3", { text: `Version ${version}` }), plots,
    h("h3", { text: "Alias history" }),
    history.length ? table(["When", "Alias", "Move", "By", "Why"], history) : h("p", { class: "muted", text: "No alias has moved yet." }));
  if (version) await versionPlots(name, version, versions, plots);
}

async function versionPlots(name, version, versions, container) {
  const cards = [];
  const card = (title, content) => h("section", { class: "card", "aria-label": title }, h("h3", { text: title }), content);
  const [manifest, sample] = await Promise.all([
    api(`/api/models/${name}/versions/${version}`).then((r) => r.data),
    api(`/api/models/${name}/versions/${version}/test-predictions`).then((r) => r.data).catch((e) => ({ error: e })),
  ]);
  if (sample.error) {
    cards.push(card("Predicted against actual", h("p", { class: "muted", text: sample.error.message })));
  } else {
    cards.push(card("Predicted against actual", scatter(sample.points, manifest.schema.label)));
    cards.push(card("Residuals", histogram(sample.points.map((p) => p.predicted - p.actual), "residual")));
  }

  cards.push(card("R² over versions", line(versions.map((v) => ({ x: v.version, y: v.metrics.rSquared })).filter((p) => Number.isFinite(p.y)), "R²")));
  const importance = manifest.importance ?? manifest.featureImportance;
  const weights = importance
    ? importance.map((i) => ({ name: i.feature ?? i.name, value: i.rmseIncrease ?? i.value ?? i.importance }))
    : (sample.weights ?? []).map((w) => ({ name: w.feature, value: w.weight }));
  cards.push(card(importance ? "Feature importance" : "Feature weights",
    weights.length ? bars(weights, importance ? "Feature importance" : "Weights of the standardized features")
      : h("p", { class: "muted", text: "This version has no weights or importance to show." })));
  container.replaceChildren(...cards);
}

async function promote(name, version) {
  if (!confirm(`Make v${version} the production version of ${name}? Predictions without a version will come from it.`)) return;
  try {
    const { response } = await api(`/api/models/${name}/aliases/production`).catch((e) => (e.status === 404 ? { response: null } : Promise.reject(e)));
    const etag = response?.headers.get("ETag");
    await api(`/api/models/${name}/aliases/production`, { method: "PUT", type: "application/json", body: json({ version }), headers: etag ? { "If-Match": etag } : {} });
    await model(name, version);
  } catch (e) { show(e); }
}

async function runs() {
  const { data } = await api(`${durable}/instances?top=100`);
  const list = [...data].sort((a, b) => new Date(b.createdTime) - new Date(a.createdTime));
  const rows = list.map((run) => {
    const active = ["Pending", "Running", "Suspended"].includes(run.runtimeStatus);
    const output = run.output;
    return h("tr", {},
      h("td", { title: run.instanceId, text: run.instanceId.slice(0, 12) }),
      h("td", {}, run.input?.model ? h("a", { href: `#/models/${run.input.model}`, text: run.input.model }) : "—"),
      h("td", {}, statusText(run)),
      h("td", {}, progress(run, true)),
      h("td", { text: seconds(run.createdTime, active ? new Date().toISOString() : run.lastUpdatedTime) }),
      h("td", { class: run.runtimeStatus === "Failed" ? "bad wrap" : "wrap", text: run.runtimeStatus === "Failed" ? String(output ?? "") : output?.version ? `v${output.version}, R² ${fmt(output.metrics?.rSquared)}` : "" }),
      h("td", {}, active ? h("button", { type: "button", onclick: () => terminate(run.instanceId), text: "Terminate" }) : null));
  });
  page("Runs", rows.length ? table(["Run", "Model", "Status", "Progress", "Elapsed", "Result", ""], rows)
    : h("p", {}, "No run yet. ", h("a", { href: "#/train", text: "Start one" }), "."));
  if (list.some((r) => ["Pending", "Running"].includes(r.runtimeStatus))) timer = setTimeout(route, 2000);
}

async function terminate(id) {
  if (!confirm(`Terminate run ${id}? It stops where it is and publishes nothing.`)) return;
  try {
    await api(`${durable}/instances/${encodeURIComponent(id)}/terminate?reason=${encodeURIComponent("terminated from the dashboard")}`, { method: "POST" });
    await route();
  } catch (e) { show(e); }
}

function train() {
  const file = h("input", { id: "file", type: "file", accept: ".csv,text/csv,.parquet,application/vnd.apache.parquet" });
  const drop = h("div", { class: "drop" }, h("label", { for: "file" }, "Drop a CSV or Parquet file here, or choose one: "), file);
  const profile = h("div", { id: "profile" });
  const watch = h("div", { id: "watch", "aria-live": "polite" });
  for (const type of ["dragover", "dragenter"]) drop.addEventListener(type, (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => { e.preventDefault(); drop.classList.remove("over"); if (e.dataTransfer.files[0]) upload(e.dataTransfer.files[0]); });
  file.addEventListener("change", () => file.files[0] && upload(file.files[0]));

  async function upload(chosen) {
    show(null);
    profile.replaceChildren(h("p", { class: "muted", text: `Uploading ${chosen.name}…` }));
    const base = chosen.name.toLowerCase().replace(/\.[^.]*$/, "").replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "data";
    const name = `${base}-${Date.now().toString(36)}`;
    try {
      const type = /\.parquet$/i.test(chosen.name) ? "application/vnd.apache.parquet" : "text/csv";
      const { data } = await api(`/api/datasets/${name}`, { method: "PUT", type, body: chosen });
      options(data, base);
    } catch (e) { profile.replaceChildren(); show(e); }
  }

  function options(summary, base) {
    const numeric = summary.columns.filter((c) => c.kind === "numeric");
    const label = h("select", { id: "label", name: "label" }, summary.columns.map((c) =>
      h("option", { value: c.name, disabled: c.kind !== "numeric", selected: c === numeric.at(-1), text: c.kind === "numeric" ? c.name : `${c.name} (text)` })));
    const modelName = h("input", { id: "model", name: "model", value: base.replace(/^[^a-z0-9]+/, "") || "model", pattern: "[a-z0-9][a-z0-9-]{0,62}", required: true });
    const testFraction = h("input", { id: "testFraction", name: "testFraction", type: "number", min: "0.05", max: "0.5", step: "0.05", value: "0.2" });
    const seed = h("input", { id: "seed", name: "seed", type: "number", step: "1", value: "42" });
    const promoteSelect = h("select", { id: "promote", name: "promote" }, ["auto", "always", "never"].map((p) => h("option", { value: p, text: p })));
    const trainers = [["sdca", "SDCA (linear)"], ["fasttree", "FastTree (trees)"], ["lightgbm", "LightGBM (trees)"], ["auto", "auto (a sweep: the best by cross-validation)"]];
    const trainerSelect = h("select", { id: "trainer", name: "trainer" }, trainers.map(([value, text]) => h("option", { value, text })));
    const folds = h("input", { id: "folds", name: "folds", type: "number", min: "2", max: "10", step: "1", placeholder: "none" });
    const start = h("button", { type: "submit", class: "primary", text: "Train" });
    profile.replaceChildren(
      h("h3", { text: `${summary.name}: ${summary.rows.toLocaleString()} rows, ${summary.columns.length} columns` }),
      table(["Column", "Kind", "Missing", "Levels"], summary.columns.map((c) => h("tr", {},
        h("td", { text: c.name }), h("td", { text: c.kind }), h("td", { text: String(c.missing) }), h("td", { text: c.levels ? String(c.levels.length ?? c.levels) : "" })))),
      h("form", { class: "form", onsubmit: (e) => { e.preventDefault(); run(); } },
        h("label", {}, "Label to predict", label),
        h("label", {}, "Model name", modelName),
        h("label", {}, "Test fraction", testFraction),
        h("label", {}, "Seed", seed),
        h("label", {}, "Promote", promoteSelect),
        h("label", {}, "Trainer", trainerSelect),
        h("label", {}, "Cross-validation folds", folds),
        h("div", { class: "actions" }, start)));

    async function run() {
      show(null);
      start.disabled = true;
      const query = new URLSearchParams({ dataset: summary.name, model: modelName.value, label: label.value, testFraction: testFraction.value, seed: seed.value, promote: promoteSelect.value, trainer: trainerSelect.value });
      if (folds.value) query.set("folds", folds.value);
      try {
        const { data } = await api(`/api/train?${query}`, { method: "POST" });
        await follow(data.statusQueryGetUri, modelName.value);
      } catch (e) { show(e); } finally { start.disabled = false; }
    }
  }

  async function follow(statusUri, modelName) {
    const started = Date.now();
    for (;;) {
      const { data } = await api(new URL(statusUri).pathname + new URL(statusUri).search);
      watch.replaceChildren(h("h3", {}, "Run ", statusText(data), ` after ${Math.round((Date.now() - started) / 1000)} s`), progress(data));
      if (data.runtimeStatus === "Completed") {
        const out = data.output;
        watch.append(
          h("p", { class: "result", text: `R² ${fmt(out.metrics.rSquared)}, RMSE ${fmt(out.metrics.rmse)} (baseline ${fmt(out.metrics.baselineRmse)})` }),
          out.crossValidation ? h("p", { text: `Cross-validated over ${out.crossValidation.folds} folds: R² ${fmt(out.crossValidation.rSquaredMean)} ± ${fmt(out.crossValidation.rSquaredStd)}, RMSE ${fmt(out.crossValidation.rmseMean)} ± ${fmt(out.crossValidation.rmseStd)}` }) : "",
          out.sweep ? h("p", { text: `The sweep tried ${out.sweep.tried} of ${out.sweep.planned} candidates; the best was ${out.sweep.leaderboard[0]?.trainer?.kind ?? "?"}.` }) : "",
          h("p", {}, `Published v${out.version}; ${out.promotion.reason}. `, h("a", { href: `#/models/${modelName}/${out.version}`, text: "See the model" }), " · ",
            h("a", { href: `#/predict/${modelName}/${out.version}`, text: "Predict with it" })),
          out.warnings?.length ? h("ul", { class: "warn" }, out.warnings.map((w) => h("li", { text: w }))) : "");
        return;
      }
      if (["Failed", "Terminated"].includes(data.runtimeStatus)) {
        watch.append(h("p", { class: "bad", text: String(data.output ?? `The run ended ${data.runtimeStatus}.`) }));
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  page("Train", drop, profile, watch);
}

async function predict(name, selected) {
  const { data: list } = await api("/api/models");
  const chooser = h("select", { id: "predict-model", "aria-label": "Model" }, h("option", { value: "", text: "Choose a model" }),
    list.models.map((m) => h("option", { value: m.name, selected: m.name === name, text: m.name })));
  chooser.addEventListener("change", () => { location.hash = `#/predict/${chooser.value}`; });
  if (!name) { page("Predict", h("label", {}, "Model ", chooser)); return; }

  const { data: details } = await api(`/api/models/${name}`);
  const version = Number(selected) || details.aliases.production || details.versions.at(-1)?.version;
  if (!version) { page("Predict", h("label", {}, "Model ", chooser), h("p", { text: `${name} has no version yet.` })); return; }
  const { data: manifest } = await api(`/api/models/${name}/versions/${version}`);
  const inputs = manifest.schema.features.map((f) => {
    const id = `f-${f.name}`;
    const input = f.kind === "numeric"
      ? h("input", { id, name: f.name, type: "number", step: "any", placeholder: `${fmt(f.min)} – ${fmt(f.max)}`, value: Number.isFinite(f.mean) ? fmt(f.mean) : "" })
      : h("select", { id, name: f.name }, h("option", { value: "", text: "(missing)" }), (f.levels ?? []).map((l, i) => h("option", { value: l, selected: i === 0, text: l })));
    return h("label", { for: id }, f.kind === "numeric" ? `${f.name} (${fmt(f.min)} to ${fmt(f.max)})` : f.name, input);
  });
  const answer = h("div", { id: "prediction", "aria-live": "polite" });
  const form = h("form", { class: "form", onsubmit: async (e) => {
    e.preventDefault();
    show(null);
    const instance = {};
    for (const f of manifest.schema.features) {
      const value = form.elements[f.name].value;
      instance[f.name] = value === "" ? null : f.kind === "numeric" ? Number(value) : value;
    }
    try {
      const { data } = await api("/api/predict?explain=true", { method: "POST", type: "application/json", body: json({ model: name, version, instances: [instance] }) });
      const warnings = (data.warnings ?? []).filter((w) => w.instance === 0 || w.instance === undefined);
      const explanation = data.explanations?.[0] ?? data.explanation?.[0];
      answer.replaceChildren(
        h("p", { class: "result", text: `${manifest.schema.label}: ${fmt(data.predictions[0], 6)}` }),
        h("p", { class: "muted", text: `${name} v${data.version}` }),
        warnings.length ? h("ul", { class: "warn" }, warnings.map((w) => h("li", { text: w.feature ? `${w.feature}: ${w.message}` : w.message }))) : "",
        explanation ? bars(Object.entries(explanation.contributions ?? explanation).filter(([, v]) => typeof v === "number").map(([n, v]) => ({ name: n, value: v })), "Contributions to this prediction") : "");
    } catch (err) { show(err); }
  } }, inputs, h("div", { class: "actions" }, h("button", { type: "submit", class: "primary", text: "Predict" })));
  page("Predict", h("div", { class: "actions" }, h("label", {}, "Model ", chooser), h("span", { class: "muted", text: `version ${version}` })), form, answer);
}

// --- Routing ----------------------------------------------------------------------------------------------------------

async function route() {
  clearTimeout(timer);
  const [pageName, ...rest] = (location.hash.replace(/^#\/?/, "") || "models").split("/").map(decodeURIComponent);
  for (const link of document.querySelectorAll("nav a")) {
    link.toggleAttribute("aria-current", link.getAttribute("href") === `#/${pageName}`);
    if (link.hasAttribute("aria-current")) link.setAttribute("aria-current", "page");
  }
  try {
    show(null);
    if (pageName === "models" && rest[0]) await model(rest[0], rest[1]);
    else if (pageName === "models") await models();
    else if (pageName === "runs") await runs();
    else if (pageName === "train") train();
    else if (pageName === "predict") await predict(rest[0], rest[1]);
    else page("Not found", h("p", {}, "There is no such page. ", h("a", { href: "#/models", text: "Models" })));
  } catch (e) {
    show(e);
    if (e instanceof ApiError && e.status === 401) keyInput.focus();
  }
}

document.getElementById("key-form").addEventListener("submit", (e) => {
  e.preventDefault();
  if (keyInput.value) sessionStorage.setItem("key", keyInput.value); else sessionStorage.removeItem("key");
  keyInput.value = "";
  keyInput.placeholder = sessionStorage.getItem("key") ? "key set for this session" : "function or master key";
  route();
});
if (sessionStorage.getItem("key")) keyInput.placeholder = "key set for this session";

const themeButton = document.getElementById("theme");
function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
  themeButton.textContent = theme === "dark" ? "Light" : "Dark";
  themeButton.setAttribute("aria-pressed", String(theme === "dark"));
}
applyTheme(localStorage.getItem("theme") ?? (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light"));
themeButton.addEventListener("click", () => {
  const next = document.documentElement.dataset.theme === "dark" ? "light" : "dark";
  localStorage.setItem("theme", next);
  applyTheme(next);
});

window.addEventListener("hashchange", route);
route();
