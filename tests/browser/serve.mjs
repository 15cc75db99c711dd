// The real-browser test of `callsim serve`: Playwright (playwright-core) drives Debian's
// Chromium through what a student or an analyst does on the page, and fails on any page
// error or dialog.
//
//   node tests/browser/serve.mjs [CALLSIM_BINARY] [SCREENSHOT.png]
//
// Needs `npm ci` in tests/browser, /usr/bin/chromium, and a built binary
// (default target/release/callsim). Writes the screenshot of the animated floor (default
// target/serve-check/floor.png) and checks that it is not blank.
import { spawn } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { chromium } from "playwright-core";

const binary = process.argv[2] || "target/release/callsim";
const shot = process.argv[3] || "target/serve-check/floor.png";
const failures = [];
const check = (ok, what) => {
  console.log((ok ? "ok   " : "FAIL ") + what);
  if (!ok) failures.push(what);
};

// The server, on a free port it prints.
const server = spawn(binary, ["serve", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
const url = await new Promise((resolve, reject) => {
  let out = "";
  server.stdout.on("data", (d) => {
    out += d;
    const m = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
    if (m) resolve(m[0]);
  });
  server.on("exit", (code) => reject(new Error("callsim serve exited with " + code)));
  setTimeout(() => reject(new Error("callsim serve printed no address")), 20000);
});

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
try {
  const dialogs = [];
  page.on("dialog", (d) => { dialogs.push(d.message()); d.dismiss(); });
  page.on("pageerror", (e) => failures.push("page error: " + e.message));
  const editor = page.locator("#editor");
  // Edits the text and waits until the page's check of it has answered.
  const setText = async (text) => {
    const before = await page.evaluate(() => Number(document.body.dataset.validated || 0));
    await editor.fill(text);
    await page.waitForFunction((b) => Number(document.body.dataset.validated || 0) > b, before);
  };
  const template = async (file) => {
    const before = await page.evaluate(() => Number(document.body.dataset.validated || 0));
    await page.selectOption("#template", file);
    await page.waitForFunction((b) => Number(document.body.dataset.validated || 0) > b, before);
    check(await page.locator("#problems li.ok").count() === 1, "the template " + file + " is valid");
  };

  // 1. It opens on the default scenario.
  await page.goto(url);
  await page.waitForSelector("#problems li.ok");
  check((await page.textContent("#scenario-name")) === "Mid-size center, one day", "opens on the default scenario");

  // 2. A bad key is shown at its line; fixing it clears the message.
  const original = await editor.inputValue();
  await setText(original.replace("count = 54", "count = -3"));
  const problem = page.locator("#problems li").first();
  await page.waitForFunction(() => document.querySelector("#problems li:not(.ok)"));
  const message = await problem.textContent();
  const countLine = original.split("\n").findIndex((l) => l.startsWith("count = 54")) + 1;
  check(message.includes("agents.count") && message.startsWith("line " + countLine),
    "a bad value is reported at its key and line: " + message.split("\n")[0]);
  check(await page.locator("#gutter .bad").textContent() === String(countLine), "the gutter marks the line");

  // 3. Change a key, run, read the KPI table.
  await setText(original.replace("count = 54", "count = 60"));
  await page.waitForSelector("#problems li.ok");
  await page.fill("#replications", "10");
  await page.click("#run");
  await page.waitForSelector("#kpis tr[data-key=service_level]", { timeout: 60000 });
  const sl = await page.textContent("#kpis tr[data-key=service_level] td:nth-child(2)");
  check(/^\d+\.\d % ± \d+\.\d$/.test(sl), "the KPI table shows the service level with its CI: " + sl);
  check(await page.locator("#charts img").count() > 0, "the charts are shown");
  check(await page.locator("#downloads a[download='result.json']").count() === 1, "the JSON can be downloaded");

  // 4. A knob: fewer agents give a lower service level (on the same seed).
  await page.locator("input[aria-label=Agents]").fill("45");
  await page.waitForFunction(() => document.querySelector("#overrides").textContent.includes("agents.count=45"));
  await page.waitForSelector("#problems li.ok");
  await page.click("#run");
  await page.waitForFunction((before) => {
    const c = document.querySelector("#kpis tr[data-key=service_level] td:nth-child(2)");
    return c && c.textContent !== before;
  }, sl, { timeout: 60000 });
  const fewer = await page.textContent("#kpis tr[data-key=service_level] td:nth-child(2)");
  check(parseFloat(fewer) < parseFloat(sl), `the agents slider takes effect: ${fewer} below ${sl}`);

  // 5. Theory column on a textbook case.
  await template("erlang_a_textbook.toml");
  await page.click("#run");
  await page.waitForSelector("#kpis td.agrees, #kpis td.differs", { timeout: 60000 });
  check(await page.locator("#kpis th").filter({ hasText: "verdict" }).count() === 1, "the theory column is shown");

  // 6. Two variants side by side with paired differences.
  await template("student_mm1.toml");
  await page.click(".tabs button[data-tab=compare]");
  await page.fill("#variant", "agents.count=2");
  await page.click("#compare");
  await page.waitForSelector("#compare-tables table", { timeout: 60000 });
  const diff = await page.textContent("#compare-tables div:nth-child(2) tr[data-key=mean_wait_s] td:nth-child(2)");
  check(diff.trim().startsWith("-") && diff.trim().endsWith("*"),
    "a second agent cuts the M/M/1 wait, significantly: " + diff);

  // 7. A hostile scenario name is only text.
  const hostile = "<img src=x onerror=alert(1)>";
  const mm1 = await editor.inputValue();
  await setText(mm1.replace(/^name = .*$/m, 'name = "' + hostile + '"'));
  await page.waitForSelector("#problems li.ok");
  await page.click("#run");
  await page.waitForFunction((h) => document.querySelector("#result-title").textContent === h, hostile, { timeout: 60000 });
  check(await page.textContent("#scenario-name") === hostile, "the hostile name shows as text in the header");
  check(await page.locator("img[src=x]").count() === 0 && dialogs.length === 0, "and it made no element and ran no script");

  // 8. The floor, animated: the clock moves, tiles change, the manager walks.
  await template("floor77_walker.toml");
  await page.click("#animate");
  await page.waitForSelector("#floor[data-time]", { timeout: 60000 });
  await page.selectOption("#speed", "900");
  const t1 = Number(await page.getAttribute("#floor", "data-time"));
  await page.waitForTimeout(1500);
  const t2 = Number(await page.getAttribute("#floor", "data-time"));
  check(t2 > t1 + 600, `the animation advances: ${t1.toFixed(0)} s to ${t2.toFixed(0)} s of simulated time`);
  check((await page.textContent("#floor-stats")).includes("talk"), "the floor counts agents by state");
  // Smooth: frames drawn in two seconds of playing (headless Chromium draws on the CPU).
  const f1 = Number(await page.getAttribute("#floor", "data-frames"));
  await page.waitForTimeout(2000);
  const fps = (Number(await page.getAttribute("#floor", "data-frames")) - f1) / 2;
  check(fps >= 15, `the 77-agent floor plays smoothly: ${fps.toFixed(0)} frames per second`);
  // Seek to a moment the walker watches, for the screenshot.
  await page.click("#play");
  await page.evaluate(() => {
    const s = document.querySelector("#seek");
    s.value = "300";
    s.dispatchEvent(new Event("input"));
  });
  await page.waitForTimeout(500);
  mkdirSync(dirname(shot), { recursive: true });
  await page.screenshot({ path: shot, fullPage: true });

  // 9. The screenshot is a real page: large, and of many colours.
  const bytes = statSync(shot).size;
  const blank = await browser.newPage();
  const { readFileSync } = await import("node:fs");
  const colours = await blank.evaluate(async (b64) => {
    const img = new Image();
    img.src = "data:image/png;base64," + b64;
    await img.decode();
    const c = document.createElement("canvas");
    c.width = img.width; c.height = img.height;
    const g = c.getContext("2d");
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 4 * 7) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return seen.size;
  }, readFileSync(shot).toString("base64"));
  check(bytes > 40000 && colours > 50, `the screenshot is not blank: ${bytes} bytes, ${colours} colours`);
  check(dialogs.length === 0, "no dialog was opened");
} catch (e) {
  // What the page showed when a step failed, for the log.
  failures.push(e.message.split("\n")[0]);
  const at = shot.replace(/\.png$/, "-failure.png");
  mkdirSync(dirname(at), { recursive: true });
  await page.screenshot({ path: at, fullPage: true }).catch(() => {});
  for (const id of ["banner", "problems", "progress-text"]) {
    console.error("#" + id + ": " + (await page.textContent("#" + id).catch(() => "?")));
  }
  console.error("screenshot of the failure: " + at);
} finally {
  await browser.close();
  server.kill();
}
if (failures.length) {
  console.error(failures.length + " check(s) failed:\n  " + failures.join("\n  "));
  process.exit(1);
}
console.log("callsim serve passed in Chromium: " + shot);
