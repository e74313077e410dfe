// Small SVG plots, drawn from data with no library: a scatter of predicted against actual, a histogram, a line over
// versions, horizontal bars, and a sparkline. Every plot has a title and a text description for screen readers.
const NS = "http://www.w3.org/2000/svg";
const W = 360, H = 240, M = { left: 52, right: 12, top: 12, bottom: 34 };

function el(name, attributes = {}, parent) {
  const node = document.createElementNS(NS, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (parent) parent.appendChild(node);
  return node;
}

function frame(title, description) {
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, class: "plot", role: "img" });
  el("title", {}, svg).textContent = title;
  el("desc", {}, svg).textContent = description;
  return svg;
}

function extent(values) {
  let min = Math.min(...values), max = Math.max(...values);
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) { min -= 1; max += 1; }
  return [min, max];
}

const scale = ([d0, d1], [r0, r1]) => (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
const fmt = (v) => (Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(1) : Number(v.toPrecision(3)).toString());

function axes(svg, xDomain, yDomain, xLabel, yLabel) {
  const x = scale(xDomain, [M.left, W - M.right]);
  const y = scale(yDomain, [H - M.bottom, M.top]);
  el("line", { class: "axis", x1: M.left, y1: H - M.bottom, x2: W - M.right, y2: H - M.bottom }, svg);
  el("line", { class: "axis", x1: M.left, y1: M.top, x2: M.left, y2: H - M.bottom }, svg);
  for (const t of [xDomain[0], (xDomain[0] + xDomain[1]) / 2, xDomain[1]]) {
    el("text", { x: x(t), y: H - M.bottom + 14, "text-anchor": "middle" }, svg).textContent = fmt(t);
  }
  for (const t of [yDomain[0], (yDomain[0] + yDomain[1]) / 2, yDomain[1]]) {
    el("text", { x: M.left - 4, y: y(t) + 4, "text-anchor": "end" }, svg).textContent = fmt(t);
  }
  el("text", { x: (M.left + W - M.right) / 2, y: H - 4, "text-anchor": "middle" }, svg).textContent = xLabel;
  el("text", { x: 10, y: (M.top + H - M.bottom) / 2, "text-anchor": "middle", transform: `rotate(-90 10 ${(M.top + H - M.bottom) / 2})` }, svg).textContent = yLabel;
  return { x, y };
}

/** One mark per point: actual on x, predicted on y, and the line where they would be equal. */
export function scatter(points, label) {
  const all = points.flatMap((p) => [p.actual, p.predicted]);
  const domain = extent(all);
  const svg = frame(`Predicted against actual ${label}`, `${points.length} test rows; the closer to the dashed diagonal, the better.`);
  const { x, y } = axes(svg, domain, domain, `actual ${label}`, `predicted ${label}`);
  el("line", { class: "ideal", x1: x(domain[0]), y1: y(domain[0]), x2: x(domain[1]), y2: y(domain[1]) }, svg);
  const marks = el("g", { "data-marks": points.length }, svg);
  for (const p of points) el("circle", { class: "mark", cx: x(p.actual), cy: y(p.predicted), r: 2.5 }, marks);
  return svg;
}

/** The distribution of values in about twenty bins. */
export function histogram(values, label) {
  const [min, max] = extent(values);
  const bins = Math.min(20, Math.max(5, Math.ceil(Math.sqrt(values.length))));
  const width = (max - min) / bins;
  const counts = new Array(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor((v - min) / width))]++;
  const svg = frame(`Histogram of ${label}`, `${values.length} values in ${bins} bins from ${fmt(min)} to ${fmt(max)}.`);
  const { x, y } = axes(svg, [min, max], [0, Math.max(...counts)], label, "rows");
  const bars = el("g", {}, svg);
  counts.forEach((count, i) => {
    const x0 = x(min + i * width), x1 = x(min + (i + 1) * width);
    el("rect", { class: "bar", x: x0 + 0.5, width: Math.max(0, x1 - x0 - 1), y: y(count), height: y(0) - y(count) }, bars);
  });
  return svg;
}

/** A metric over versions, one point each. */
export function line(points, label) {
  const svg = frame(`${label} over versions`, points.map((p) => `v${p.x}: ${fmt(p.y)}`).join(", "));
  const xs = points.map((p) => p.x), ys = points.map((p) => p.y);
  const { x, y } = axes(svg, extent(xs), extent(ys), "version", label);
  el("polyline", { class: "line", points: points.map((p) => `${x(p.x)},${y(p.y)}`).join(" ") }, svg);
  for (const p of points) el("circle", { class: "mark", cx: x(p.x), cy: y(p.y), r: 3 }, svg);
  return svg;
}

/** Horizontal bars, largest magnitude first: feature weights or importance. */
export function bars(items, label) {
  const sorted = [...items].sort((a, b) => Math.abs(b.value) - Math.abs(a.value)).slice(0, 15);
  const height = Math.max(H, M.top + M.bottom + sorted.length * 18);
  const svg = el("svg", { viewBox: `0 0 ${W} ${height}`, class: "plot", role: "img" });
  el("title", {}, svg).textContent = label;
  el("desc", {}, svg).textContent = sorted.map((i) => `${i.name}: ${fmt(i.value)}`).join(", ");
  const max = Math.max(...sorted.map((i) => Math.abs(i.value)), 1e-9);
  const left = 120, zero = sorted.some((i) => i.value < 0) ? (left + W - M.right) / 2 : left;
  const span = W - M.right - zero;
  sorted.forEach((item, i) => {
    const y = M.top + i * 18;
    const w = (Math.abs(item.value) / max) * (item.value < 0 ? zero - left : span);
    el("text", { x: left - 6, y: y + 12, "text-anchor": "end" }, svg).textContent = item.name.length > 18 ? `${item.name.slice(0, 17)}…` : item.name;
    el("rect", { class: "bar", x: item.value < 0 ? zero - w : zero, y: y + 2, width: Math.max(1, w), height: 13 }, svg);
  });
  el("line", { class: "axis", x1: zero, y1: M.top, x2: zero, y2: M.top + sorted.length * 18 }, svg);
  return svg;
}

/** A tiny line without axes, for a table cell. */
export function sparkline(values, label) {
  const svg = el("svg", { viewBox: "0 0 96 24", class: "spark", role: "img" });
  el("title", {}, svg).textContent = `${label}: ${values.map(fmt).join(", ")}`;
  if (values.length === 0) return svg;
  const [min, max] = extent(values);
  const x = (i) => (values.length === 1 ? 48 : 2 + (i / (values.length - 1)) * 92);
  const y = scale([min, max], [21, 3]);
  el("polyline", { points: values.map((v, i) => `${x(i)},${y(v)}`).join(" ") }, svg);
  return svg;
}
