// The `charts` bundle (static_built/charts.js, `make assets`): draws every
// <figure data-chart="ID"> that {% chart %} (portal/territories/templatetags/charts.py) wrote,
// from the JSON in <script id="ID" type="application/json">, and keeps it and its table up to
// date from data-chart-refresh every data-chart-seconds. Loaded, deferred, only by pages with
// charts. No inline script, no eval, no injected stylesheet: fit for the portal's CSP.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);

const lang = document.documentElement.lang || "it";
const decimal = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: false });
const whole = new Intl.NumberFormat(lang, { useGrouping: false });
const grouped = new Intl.NumberFormat(lang);
const FALLBACK_COLOURS = ["#0066cc", "#995c00", "#00796b", "#7a3e9d", "#b71c1c"];

// As the table shows it: amounts (strings such as "12.50") with two decimals, counts whole.
function shown(value) {
  if (value === null || value === undefined || value === "") return "";
  if (typeof value === "string" && !/^-?\d+(\.\d+)?$/.test(value)) return value;
  return typeof value === "string" && value.includes(".") ? decimal.format(Number(value)) : whole.format(Number(value));
}

function number(value) {
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function colours() {
  const style = getComputedStyle(document.documentElement);
  const primary = style.getPropertyValue("--portal-link").trim() || style.getPropertyValue("--portal-primary").trim();
  return primary ? [primary, ...FALLBACK_COLOURS.slice(1)] : FALLBACK_COLOURS;
}

function datasets(data, palette, kind) {
  return (data.series || []).map((series, i) => ({
    label: series.label,
    data: (series.values || []).map(number),
    backgroundColor: palette[i % palette.length],
    borderColor: palette[i % palette.length],
    borderWidth: kind === "line" ? 2 : 0,
    pointRadius: kind === "line" ? 3 : 0,
    tension: 0,
  }));
}

function draw(figure) {
  const script = document.getElementById(figure.dataset.chart);
  const wrapper = figure.querySelector(".portal-chart-canvas");
  if (!script || !wrapper) return null;
  const data = JSON.parse(script.textContent);
  const kind = data.kind === "line" ? "line" : "bar";
  const unit = data.unit ? ` ${data.unit}` : "";
  const palette = colours();
  const still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  wrapper.hidden = false;
  const chart = new Chart(wrapper.querySelector("canvas"), {
    type: kind,
    data: { labels: data.labels || [], datasets: datasets(data, palette, kind) },
    options: {
      responsive: true,
      aspectRatio: 2,
      animation: still ? false : { duration: 300 },
      plugins: {
        legend: { display: (data.series || []).length > 1 },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${grouped.format(item.parsed.y)}${unit}` } },
      },
      scales: { y: { beginAtZero: true, ticks: { callback: (value) => `${grouped.format(value)}${unit}` } } },
    },
  });
  const empty = figure.querySelector("tbody td[colspan]");
  return { figure, chart, kind, palette, emptyText: empty ? empty.textContent : null };
}

function cell(tag, text, attributes) {
  const element = document.createElement(tag);
  element.textContent = text;
  for (const [name, value] of Object.entries(attributes || {})) element.setAttribute(name, value);
  return element;
}

// The table is the chart's twin: rebuilt from the same figures.
function fillTable(drawn, data) {
  const body = drawn.figure.querySelector("tbody");
  if (!body) return;
  const labels = data.labels || [];
  const series = data.series || [];
  if (!labels.length && drawn.emptyText === null) return;
  const rows = labels.map((label, i) => {
    const row = document.createElement("tr");
    row.append(cell("th", label, { scope: "row" }));
    for (const s of series) row.append(cell("td", shown((s.values || [])[i]), { class: "text-end" }));
    return row;
  });
  if (!rows.length) {
    const row = document.createElement("tr");
    row.append(cell("td", drawn.emptyText, { colspan: String(series.length + 1) }));
    rows.push(row);
  }
  body.replaceChildren(...rows);
}

function update(drawn, data) {
  drawn.chart.data.labels = data.labels || [];
  drawn.chart.data.datasets = datasets(data, drawn.palette, drawn.kind);
  drawn.chart.update();
  fillTable(drawn, data);
}

function apply(group, answer) {
  for (const drawn of group) {
    const data = answer.charts ? answer.charts[drawn.figure.id] : answer.labels ? answer : null;
    if (data) update(drawn, data);
  }
  for (const [key, text] of Object.entries(answer.figures || {})) {
    for (const element of document.querySelectorAll(`[data-figure="${CSS.escape(key)}"]`)) element.textContent = text;
  }
  if (answer.updated) {
    for (const element of document.querySelectorAll("[data-chart-updated]")) {
      element.textContent = element.dataset.chartUpdated.replace("%(time)s", answer.updated);
      element.hidden = false;
    }
  }
}

// One request per address, however many charts follow it; none while the tab is hidden.
function follow(url, seconds, group) {
  let busy = false;
  const poll = async () => {
    if (busy || document.hidden) return;
    busy = true;
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (response.ok) apply(group, await response.json());
    } catch (error) {
      // offline for a moment: the next round tries again
    } finally {
      busy = false;
    }
  };
  window.setInterval(poll, Math.max(5, seconds) * 1000);
  document.addEventListener("visibilitychange", () => document.hidden || poll());
}

function start() {
  const groups = new Map();
  for (const figure of document.querySelectorAll("figure[data-chart]")) {
    const drawn = draw(figure);
    const url = figure.dataset.chartRefresh;
    if (!drawn || !url) continue;
    const key = `${url} ${figure.dataset.chartSeconds || 30}`;
    if (!groups.has(key)) groups.set(key, { url, seconds: Number(figure.dataset.chartSeconds) || 30, members: [] });
    groups.get(key).members.push(drawn);
  }
  for (const { url, seconds, members } of groups.values()) follow(url, seconds, members);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
