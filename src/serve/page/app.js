// The page of `callsim serve`. Every string from a scenario or a result is written with
// textContent (never parsed as markup), so a name such as <img src=x onerror=alert(1)> stays text.
"use strict";

const $ = (id) => document.getElementById(id);
const el = (tag, text, cls) => {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
};

const state = {
  source: "scenarios/default.toml",
  knobs: null,
  overrides: {},      // knob id -> list of override strings
  controller: null,   // the run under way, to stop it
  replay: null,
  validated: 0,
};

// ---- errors: shown on the page, never a dead page -------------------------------------
function banner(message) {
  const b = $("banner");
  b.textContent = message;
  b.hidden = !message;
}
window.addEventListener("error", (e) => banner("The page hit a problem: " + e.message));
window.addEventListener("unhandledrejection", (e) =>
  banner("The page hit a problem: " + (e.reason && e.reason.message ? e.reason.message : e.reason)));

async function post(path, body, signal) {
  let response;
  try {
    response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal,
    });
  } catch (e) {
    if (e && e.name === "AbortError") throw e;
    throw new Error("the server cannot be reached (is callsim serve still running?)");
  }
  return response;
}

async function problemOf(response) {
  try {
    const j = await response.json();
    if (j && j.error) return j.error;
  } catch (_) { /* not JSON */ }
  return { message: "the server answered " + response.status };
}

// ---- the editor ---------------------------------------------------------------------
function request(extra) {
  return Object.assign({
    scenario: $("editor").value,
    source: state.source,
    overrides: allOverrides(),
  }, extra || {});
}

function allOverrides() {
  return Object.values(state.overrides).flat();
}

function drawGutter(badLine) {
  const lines = $("editor").value.split("\n").length;
  const g = $("gutter");
  g.textContent = "";
  for (let i = 1; i <= lines; i++) {
    const s = el("span", String(i), i === badLine ? "bad" : "");
    g.appendChild(s);
    g.appendChild(document.createTextNode("\n"));
  }
  g.scrollTop = $("editor").scrollTop;
}

function goToLine(line) {
  const ed = $("editor");
  const lines = ed.value.split("\n");
  let start = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
  ed.focus();
  ed.setSelectionRange(start, start + (lines[line - 1] || "").length);
  ed.scrollTop = Math.max(0, (line - 5) * 16);
}

function showProblems(problems) {
  const list = $("problems");
  list.textContent = "";
  document.querySelectorAll(".knobs .bad").forEach((e) => e.classList.remove("bad"));
  let bad = null;
  for (const p of problems) {
    const where = p.line ? "line " + p.line + (p.key ? " · " + p.key : "") : (p.key || "");
    const li = el("li", (where ? where + ": " : "") + p.message);
    li.dataset.key = p.key || "";
    if (p.line) {
      bad = bad || p.line;
      li.addEventListener("click", () => goToLine(p.line));
    }
    list.appendChild(li);
    // A problem with an override is shown at its knob too.
    if (p.key) {
      document.querySelectorAll("[data-keys]").forEach((k) => {
        if (k.dataset.keys.split(" ").some((key) => key && p.key.startsWith(key))) k.classList.add("bad");
      });
    }
  }
  if (!problems.length) list.appendChild(el("li", "valid", "ok"));
  drawGutter(bad);
}

let validateTimer = null;
let textPending = false;
function scheduleValidate(textChanged) {
  // A knob moved just after an edit must not lose the edit's redraw of the knobs.
  textPending = textPending || textChanged;
  clearTimeout(validateTimer);
  validateTimer = setTimeout(() => {
    const changed = textPending;
    textPending = false;
    validate(changed);
  }, 300);
}

async function validate(textChanged) {
  const ticket = ++state.validated;
  const response = await post("/api/validate", request());
  if (ticket !== state.validated) return null; // a newer edit is on its way
  // How many checks have answered: a test waits on it instead of guessing.
  const answered = () => { document.body.dataset.validated = String(ticket); };
  if (!response.ok) {
    showProblems([await problemOf(response)]);
    answered();
    return null;
  }
  const v = await response.json();
  showProblems([]);
  $("scenario-name").textContent = v.name;
  if (textChanged || !state.knobs) {
    state.knobs = v.knobs;
    drawKnobs(v.knobs, v.styles);
    $("replications").value = v.replications;
    $("seed").value = v.seed;
  }
  answered();
  return v;
}

// ---- knobs: each becomes overrides, shown as --set text ---------------------------------
function fmtDuration(s) {
  if (s >= 3600) return (s / 3600).toFixed(2).replace(/\.?0+$/, "") + " h";
  if (s >= 60) return (s / 60).toFixed(1).replace(/\.0$/, "") + " min";
  return Math.round(s) + " s";
}

function slider(box, label, keys, min, max, step, value, show, toOverrides) {
  box.appendChild(el("label", label));
  const input = el("input");
  input.type = "range";
  input.min = min; input.max = max; input.step = step; input.value = value;
  input.dataset.keys = keys.join(" ");
  input.setAttribute("aria-label", label);
  const out = el("output", show(value));
  input.addEventListener("input", () => {
    const x = Number(input.value);
    out.textContent = show(x);
    state.overrides[label] = toOverrides(x);
    afterKnob();
  });
  box.appendChild(input);
  box.appendChild(out);
  return input;
}

function off(box, label, why) {
  box.appendChild(el("label", label));
  box.appendChild(el("span", why, "off"));
}

function drawKnobs(k, styles) {
  const box = $("knobs");
  box.textContent = "";
  state.overrides = {};
  if (k.agents !== null) {
    slider(box, "Agents", ["agents.count"], 1, Math.max(10, k.agents * 2), 1, k.agents,
      (x) => String(x), (x) => x === k.agents ? [] : ["agents.count=" + x]);
  } else {
    off(box, "Agents", "set by a plan or shifts in the editor");
  }
  if (k.rate_per_h !== null) {
    const max = Math.max(10, Math.ceil(k.rate_per_h * 2));
    slider(box, "Arrival rate", ["arrivals.rate"], 1, max, 1, Math.round(k.rate_per_h),
      (x) => x + " /h", (x) => x === Math.round(k.rate_per_h) ? [] : ['arrivals.rate="' + x + '/h"']);
  } else if (k.profile_per_h !== null) {
    slider(box, "Arrival rate", ["arrivals.profile"], 50, 200, 5, 100,
      (x) => x + " % of the profile", (x) => x === 100 ? [] :
        ["arrivals.profile.rates=[" + k.profile_per_h.map((r) => '"' + (r * x / 100).toFixed(3) + '/h"').join(",") + "]"]);
  } else {
    off(box, "Arrival rate", "from a forecast file: edit it in the editor");
  }
  if (k.patience !== null) {
    const p = k.patience;
    const base = Math.round(p.mean_s);
    slider(box, "Mean patience", p.keys.map((key) => key.replace(/\.mean$/, "")), 5, Math.max(60, base * 3), 5, base,
      fmtDuration, (x) => x === base ? [] : p.keys.map((key) => key + '="' + x + 's"'));
  } else {
    off(box, "Mean patience", "callers never give up, or patience has no mean");
  }
  if (k.managers.length === 0) off(box, "Manager style", "no manager: see the floor77 templates");
  k.managers.forEach((m, i) => {
    box.appendChild(el("label", "Manager " + m.name));
    const select = el("select");
    select.dataset.keys = "managers[" + i + "]";
    select.setAttribute("aria-label", "Style of manager " + m.name);
    for (const s of styles) {
      const o = el("option", s);
      o.value = s;
      if (s === m.style) o.selected = true;
      select.appendChild(o);
    }
    // A style takes its own keys, so the switch is made in the text, where it shows.
    select.addEventListener("change", async () => {
      const response = await post("/api/restyle", request({ manager: i, style: select.value }));
      if (!response.ok) { showProblems([await problemOf(response)]); return; }
      $("editor").value = (await response.json()).scenario;
      await validate(true);
    });
    box.appendChild(select);
    box.appendChild(el("output", "edits the text"));
  });
  if (k.callbacks !== null) {
    const c = k.callbacks;
    box.appendChild(el("label", "Callback offer"));
    const check = el("input");
    check.type = "checkbox";
    check.checked = c.enabled;
    check.dataset.keys = "callbacks";
    check.setAttribute("aria-label", "Offer callbacks");
    const base = Math.round(c.offer_above_s);
    let above = base;
    const update = () => {
      const list = [];
      if (check.checked !== c.enabled) list.push("callbacks.enabled=" + check.checked);
      if (above !== base) list.push('callbacks.offer_above="' + above + 's"');
      state.overrides["Callback offer"] = list;
      afterKnob();
    };
    check.addEventListener("change", update);
    box.appendChild(check);
    box.appendChild(el("output", "offered"));
    slider(box, "Offered above a wait of", ["callbacks.offer_above"], 0, Math.max(300, base * 3), 5, base,
      fmtDuration, (x) => { above = x; update(); return []; });
  } else {
    off(box, "Callback offer", "no [callbacks] table: see lunch_peak.toml");
  }
  showOverrides();
}

function showOverrides() {
  const list = allOverrides();
  $("overrides").textContent = list.length ? list.map((o) => "--set '" + o + "'").join(" ") : "none";
}

function afterKnob() {
  showOverrides();
  scheduleValidate(false);
}

// ---- running, with progress streamed from the server ---------------------------------
function showProgress(p, label) {
  $("progress-box").hidden = false;
  $("progress").value = p.total ? p.done / p.total : 0;
  $("progress-text").textContent = label + ": " + p.done + " of " + p.total + " replications · " +
    p.seconds.toFixed(1) + " s";
}

// Reads server-sent events from a POST response: calls onEvent(name, data) for each.
async function readEvents(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let name = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) name = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      onEvent(name, JSON.parse(data.join("\n")));
    }
  }
}

async function stream(path, extra, label, onResult) {
  if (state.controller) return;
  banner("");
  const controller = new AbortController();
  state.controller = controller;
  setBusy(true);
  showProgress({ done: 0, total: 0, seconds: 0 }, label);
  try {
    const response = await post(path, request(extra), controller.signal);
    if (!response.ok) {
      const p = await problemOf(response);
      showProblems([p]);
      banner(p.message);
      return;
    }
    await readEvents(response, (name, data) => {
      if (name === "progress") showProgress(data, label);
      else if (name === "error") { showProblems([data]); banner(data.message); }
      else if (name === "result") onResult(data);
    });
  } catch (e) {
    if (e && e.name === "AbortError") banner("stopped");
    else banner(e && e.message ? e.message : String(e));
  } finally {
    state.controller = null;
    setBusy(false);
    $("progress-box").hidden = true;
  }
}

function setBusy(busy) {
  for (const id of ["run", "compare", "animate"]) $(id).disabled = busy;
}

function runOptions() {
  const r = parseInt($("replications").value, 10);
  const s = parseInt($("seed").value, 10);
  return {
    replications: Number.isFinite(r) ? r : undefined,
    seed: Number.isFinite(s) && s >= 0 ? s : undefined,
  };
}

// ---- results --------------------------------------------------------------------------
function drawTable(t, markColumn) {
  const box = el("div");
  box.appendChild(el("h3", t.heading));
  const table = el("table");
  const head = el("tr");
  head.appendChild(el("th", "KPI"));
  for (const c of t.columns) head.appendChild(el("th", c));
  if (t.theory) { head.appendChild(el("th", t.theory)); head.appendChild(el("th", "verdict")); }
  const thead = el("thead");
  thead.appendChild(head);
  table.appendChild(thead);
  const body = el("tbody");
  for (const r of t.rows) {
    const tr = el("tr");
    tr.dataset.key = r.key;
    const label = el("td", r.label);
    label.title = r.key;
    tr.appendChild(label);
    for (const c of r.cells) tr.appendChild(el("td", c, markColumn && c.endsWith("*") ? "significant" : ""));
    if (t.theory) {
      tr.appendChild(el("td", r.theory || ""));
      tr.appendChild(el("td", r.verdict || "", r.verdict || ""));
    }
    body.appendChild(tr);
  }
  table.appendChild(body);
  box.appendChild(table);
  return box;
}

function drawCharts(box, charts) {
  box.textContent = "";
  for (const c of charts) {
    const f = el("figure");
    const img = el("img");
    // As an image, an SVG runs no script, whatever text it holds.
    img.src = URL.createObjectURL(new Blob([c.svg], { type: "image/svg+xml" }));
    img.alt = c.name;
    f.appendChild(img);
    f.appendChild(el("figcaption", c.name.replace(/_/g, " ")));
    box.appendChild(f);
  }
}

function drawDownloads(box, files) {
  box.textContent = "Download: ";
  for (const [name, text] of Object.entries(files)) {
    const type = name.endsWith(".json") ? "application/json" : name.endsWith(".html") ? "text/html" : "text/csv";
    const a = el("a", name);
    a.href = URL.createObjectURL(new Blob([text], { type }));
    a.download = name;
    box.appendChild(a);
  }
}

function showResult(r) {
  showTab("results");
  $("results-empty").hidden = true;
  $("results").hidden = false;
  $("result-title").textContent = r.name;
  $("result-meta").textContent = r.replications + " replications, seed " + r.seed + " · " + r.source +
    ". Each value is the mean over replications ± the half width of its 95 % confidence interval.";
  const w = $("warnings");
  w.textContent = "";
  for (const m of r.warnings) w.appendChild(el("li", m));
  drawDownloads($("downloads"), r.files);
  const k = $("kpis");
  k.textContent = "";
  for (const t of r.tables) k.appendChild(drawTable(t, false));
  drawCharts($("charts"), r.charts);
}

function showComparison(c) {
  showTab("compare");
  $("comparison").hidden = false;
  $("compare-meta").textContent = c.replications + " replications each, seed " + c.seed + ", common random numbers. " +
    c.variants.map((v) => v[0] + ": " + v[1]).join(" · ");
  drawDownloads($("compare-downloads"), c.files);
  const box = $("compare-tables");
  box.textContent = "";
  c.tables.forEach((t, i) => box.appendChild(drawTable(t, i === 1)));
  drawCharts($("compare-charts"), c.charts);
}

// ---- the floor, animated ---------------------------------------------------------------
const COLORS = {
  "idle": "#cfd8dc", "talk": "#2e7d32", "wrap-up": "#81c784", "follow-up": "#1565c0",
  "slack": "#ef6c00", "status report": "#8e24aa", "callback": "#00838f", "away": "#6d4c41",
  "off duty": "#ffffff", "outbound": "#5c6bc0",
};

function clockText(t, r) {
  const s = Math.max(0, t) + r.opens_s;
  const day = Math.floor(s / 86400);
  const d = s - day * 86400;
  const hh = String(Math.floor(d / 3600)).padStart(2, "0");
  const mm = String(Math.floor((d % 3600) / 60)).padStart(2, "0");
  const ss = String(Math.floor(d % 60)).padStart(2, "0");
  return (r.multi_day ? "d" + (day + 1) + " " : "") + hh + ":" + mm + ":" + ss;
}

function prepareReplay(r) {
  // Each agent's spells in time order, found by bisection when the clock jumps.
  const spells = Array.from({ length: r.agents }, () => []);
  for (let i = 0; i < r.segments.length; i += 4) {
    spells[r.segments[i]].push([r.segments[i + 1], r.segments[i + 2], r.segments[i + 3]]);
  }
  spells.forEach((s) => s.sort((a, b) => a[0] - b[0]));
  const watches = [];
  for (let i = 0; i < r.watches.length; i += 4) {
    watches.push({ agent: r.watches[i], manager: r.watches[i + 1], from: r.watches[i + 2], to: r.watches[i + 3] });
  }
  const queue = [];
  for (let i = 0; i < r.queue.length; i += 4) queue.push([r.queue[i], r.queue[i + 1], r.queue[i + 2], r.queue[i + 3]]);
  const callbacks = [];
  for (let i = 0; i < r.callbacks.length; i += 2) callbacks.push([r.callbacks[i], r.callbacks[i + 1]]);
  const cols = Math.ceil(Math.sqrt(r.agents * 1.6));
  return {
    r, spells, watches, queue, callbacks, cols,
    t: 0, playing: false, last: null,
    managerAt: r.managers.map(() => null),
  };
}

function stateAt(spells, t) {
  let lo = 0, hi = spells.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (spells[mid][0] <= t) lo = mid + 1; else hi = mid - 1;
  }
  const s = spells[hi];
  return s && t < s[1] ? s[2] : (s ? s[2] : 0);
}

function drawFloor() {
  const f = state.replay;
  if (!f) return;
  const r = f.r;
  const canvas = $("floor");
  const g = canvas.getContext("2d");
  const W = canvas.width, H = canvas.height;
  g.clearRect(0, 0, W, H);
  const floorW = W * 0.68;
  const rows = Math.ceil(r.agents / f.cols);
  const tile = Math.min((floorW - 20) / f.cols, (H - 90) / rows);
  const ox = 10, oy = 70;
  const t = f.t;
  const watched = new Map();
  for (const w of f.watches) if (w.from <= t && t < w.to) watched.set(w.agent, w.manager);
  const counts = new Array(r.states.length).fill(0);
  const pos = (a) => [ox + (a % f.cols) * tile + tile / 2, oy + Math.floor(a / f.cols) * tile + tile / 2];
  for (let a = 0; a < r.agents; a++) {
    const code = stateAt(f.spells[a], t);
    counts[code]++;
    const [x, y] = pos(a);
    g.fillStyle = COLORS[r.states[code]] || "#999";
    g.fillRect(x - tile / 2 + 2, y - tile / 2 + 2, tile - 4, tile - 4);
    g.strokeStyle = "#90a4ae";
    g.lineWidth = 1;
    g.strokeRect(x - tile / 2 + 2, y - tile / 2 + 2, tile - 4, tile - 4);
    if (watched.has(a)) {
      g.strokeStyle = "#fdd835";
      g.lineWidth = 4;
      g.strokeRect(x - tile / 2 + 3, y - tile / 2 + 3, tile - 6, tile - 6);
    }
  }
  // The office, and each manager walking to the agents she watches.
  g.fillStyle = "#eceff1";
  g.fillRect(ox, 8, 150, 50);
  g.fillStyle = "#455a64";
  g.font = "13px sans-serif";
  g.fillText("office", ox + 8, 24);
  r.managers.forEach((name, m) => {
    let sx = 0, sy = 0, n = 0;
    for (const [a, who] of watched) if (who === m) { const [x, y] = pos(a); sx += x; sy += y; n++; }
    const target = n ? [sx / n, sy / n] : [ox + 40 + m * 30, 42];
    const cur = f.managerAt[m] || target;
    // Walks at a pace the eye can follow, whatever the replay speed.
    const step = 0.25;
    f.managerAt[m] = [cur[0] + (target[0] - cur[0]) * step, cur[1] + (target[1] - cur[1]) * step];
    const [mx, my] = f.managerAt[m];
    g.fillStyle = "#263238";
    g.beginPath();
    g.arc(mx, my, 11, 0, 2 * Math.PI);
    g.fill();
    g.fillStyle = "#fff";
    g.font = "bold 12px sans-serif";
    g.fillText(name.slice(0, 1), mx - 4, my + 4);
  });
  // The queue: waiting callers, longest wait first.
  const qx = floorW + 20;
  const waiting = [];
  for (const q of f.queue) if (q[0] <= t && t < q[1]) waiting.push(t - q[0]);
  waiting.sort((a, b) => b - a);
  const cbs = f.callbacks.filter((c) => c[0] <= t && t < c[1]).length;
  g.fillStyle = "#263238";
  g.font = "bold 14px sans-serif";
  g.fillText("Queue: " + waiting.length + " waiting", qx, 24);
  g.font = "12px sans-serif";
  const shown = Math.min(waiting.length, 24);
  for (let i = 0; i < shown; i++) {
    const y = 44 + i * 20;
    const wait = waiting[i];
    g.fillStyle = wait > 60 ? "#c62828" : wait > 20 ? "#ef6c00" : "#546e7a";
    g.beginPath();
    g.arc(qx + 8, y, 7, 0, 2 * Math.PI);
    g.fill();
    g.fillStyle = "#263238";
    g.fillText(fmtDuration(wait), qx + 22, y + 4);
  }
  if (waiting.length > shown) g.fillText("+" + (waiting.length - shown) + " more", qx, 44 + shown * 20);
  g.font = "bold 14px sans-serif";
  g.fillText("Callbacks waiting: " + cbs, qx, H - 40);
  const cbRow = Math.min(cbs, 20);
  for (let i = 0; i < cbRow; i++) {
    g.fillStyle = "#00838f";
    g.fillRect(qx + i * 12, H - 30, 9, 9);
  }
  $("clock").textContent = clockText(t, r);
  canvas.dataset.time = t.toFixed(1);
  // Frames drawn so far: the browser test measures the frame rate with it.
  canvas.dataset.frames = String(Number(canvas.dataset.frames || 0) + 1);
  $("seek").value = Math.round((t / r.end) * 1000);
  const busy = r.states.map((s, i) => counts[i] ? s + " " + counts[i] : "").filter(Boolean).join(" · ");
  $("floor-stats").textContent = busy + (waiting.length ? " · longest wait " + fmtDuration(waiting[0]) : "");
}

function frame(now) {
  const f = state.replay;
  if (!f) return;
  if (f.playing) {
    if (f.last !== null) f.t = Math.min(f.r.end, f.t + ((now - f.last) / 1000) * Number($("speed").value));
    f.last = now;
    if (f.t >= f.r.end) { f.playing = false; $("play").textContent = "Play"; }
  }
  drawFloor();
  requestAnimationFrame(frame);
}

async function animate() {
  if (state.controller) return;
  banner("");
  setBusy(true);
  try {
    const response = await post("/api/trace", request({ seed: runOptions().seed }));
    if (!response.ok) { const p = await problemOf(response); showProblems([p]); banner(p.message); return; }
    const r = await response.json();
    const first = !state.replay;
    state.replay = prepareReplay(r);
    $("floor-title").textContent = r.name + " · replication 1 of the seed · " + r.agents + " agents · " +
      clockText(0, r) + " to " + clockText(r.end, r);
    showTab("floor");
    state.replay.playing = true;
    $("play").textContent = "Pause";
    if (first) requestAnimationFrame(frame);
  } finally {
    setBusy(false);
  }
}

function drawLegend() {
  const list = $("legend");
  for (const [name, color] of Object.entries(COLORS)) {
    const li = el("li");
    const sw = el("span");
    sw.style.background = color;
    sw.style.border = "1px solid #90a4ae";
    li.appendChild(sw);
    li.appendChild(document.createTextNode(name));
    list.appendChild(li);
  }
  const li = el("li");
  const sw = el("span");
  sw.style.border = "3px solid #fdd835";
  li.appendChild(sw);
  li.appendChild(document.createTextNode("watched by a manager"));
  list.appendChild(li);
}

// ---- tabs and start-up ------------------------------------------------------------------
function showTab(name) {
  document.querySelectorAll(".tabs button").forEach((b) => b.classList.toggle("active", b.dataset.tab === name));
  for (const t of ["results", "compare", "floor"]) $("tab-" + t).hidden = t !== name;
}

function loadTemplate(t) {
  $("editor").value = t.text;
  state.source = t.source;
  state.knobs = null;
  validate(true);
}

async function start() {
  drawLegend();
  document.querySelectorAll(".tabs button").forEach((b) => b.addEventListener("click", () => showTab(b.dataset.tab)));
  const ed = $("editor");
  ed.addEventListener("input", () => { drawGutter(null); scheduleValidate(true); });
  ed.addEventListener("scroll", () => { $("gutter").scrollTop = ed.scrollTop; });
  $("run").addEventListener("click", () => stream("/api/run", runOptions(), "Running", showResult));
  $("compare").addEventListener("click", () => {
    const variant = $("variant").value.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
    stream("/api/compare", Object.assign(runOptions(), { variant }), "Comparing", showComparison);
  });
  $("stop").addEventListener("click", () => state.controller && state.controller.abort());
  $("animate").addEventListener("click", animate);
  $("reset-knobs").addEventListener("click", () => { drawKnobs(state.knobs, ["walker", "alongside", "random", "office"]); scheduleValidate(false); });
  $("play").addEventListener("click", () => {
    const f = state.replay;
    if (!f) return;
    if (f.t >= f.r.end) f.t = 0;
    f.playing = !f.playing;
    f.last = null;
    $("play").textContent = f.playing ? "Pause" : "Play";
  });
  $("seek").addEventListener("input", () => {
    const f = state.replay;
    if (f) { f.t = (Number($("seek").value) / 1000) * f.r.end; f.last = null; }
  });
  const response = await fetch("/api/templates");
  const { templates } = await response.json();
  const select = $("template");
  for (const t of templates) {
    const o = el("option", t.file + " · " + t.name);
    o.value = t.file;
    select.appendChild(o);
  }
  select.addEventListener("change", () => loadTemplate(templates.find((t) => t.file === select.value)));
  loadTemplate(templates[0]);
}

document.addEventListener("DOMContentLoaded", () => {
  start().catch((e) => banner("The page could not start: " + (e && e.message ? e.message : e)));
});
