// Browser benchmark of the canvas editor with 200 devices: the median frame
// interval (requestAnimationFrame timestamps) while a device is dragged for
// 5 seconds, and the time from a click on a device to the first frame after
// its side panel exists. Run by `cargo xtask bench` (or directly with
// LANLAB_URL set). LANLAB_BENCH_TRACE=file writes a Chromium performance
// trace of the drag for profiling.
import { writeFileSync } from "node:fs";
import { launch, LabPage, BASE_URL } from "../lanlab.mjs";

const DRAG_MS = Number(process.env.LANLAB_BENCH_DRAG_MS ?? 5000);
const CLICKS = Number(process.env.LANLAB_BENCH_CLICKS ?? 15);

/** A lab of 20 switches, each with 9 PCs: 200 devices, 199 cables. */
function bigLab() {
  const mac = (id, port) =>
    ["02", "4c", (id >> 16) & 255, (id >> 8) & 255, id & 255, port & 255]
      .map((b) => (typeof b === "string" ? b : b.toString(16).padStart(2, "0")))
      .join(":");
  const devices = [];
  const links = [];
  let id = 0;
  for (let s = 0; s < 20; s++) {
    const sw = id++;
    const col = s % 10;
    const row = Math.floor(s / 10);
    const sx = 100 + col * 260;
    const sy = 80 + row * 420;
    const names = [...Array(24)].map((_, i) => `FastEthernet0/${i + 1}`).concat(["GigabitEthernet0/1", "GigabitEthernet0/2"]);
    devices.push({ id: sw, kind: "switch", name: `Switch${s}`, pos: { x: sx, y: sy }, ports: names.map((name, i) => ({ name, mac: mac(sw, i) })) });
    for (let p = 0; p < 9; p++) {
      const pc = id++;
      devices.push({
        id: pc,
        kind: "pc",
        name: `PC${s * 9 + p}`,
        pos: { x: sx - 90 + (p % 3) * 90, y: sy + 110 + Math.floor(p / 3) * 95 },
        ports: [{ name: "FastEthernet0", mac: mac(pc, 0), ip: { mode: "static", address: `10.${s}.0.${p + 2}`, mask: "255.255.0.0" } }],
      });
      links.push({ id: links.length, a: { device: sw, port: p }, b: { device: pc, port: 0 } });
    }
    if (s > 0) links.push({ id: links.length, a: { device: sw - 10, port: 24 }, b: { device: sw, port: 25 } });
  }
  return { version: 1, name: "bench-200", devices, links };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const browser = await launch();
const lab = await LabPage.open(browser, BASE_URL);
const { page } = lab;
const doc = bigLab();
await lab.openLabJson(doc);
await page.waitForFunction((n) => document.querySelectorAll("g.device").length === n, doc.devices.length);
await page.getByTestId("zoom-fit").click();
// Stop the clock so only the editor is measured (the idle network is cheap anyway).
if ((await page.getByTestId("sim-run").getAttribute("aria-pressed")) === "true") await page.getByTestId("sim-run").click();
await page.waitForTimeout(300);

// --- drag ---
const target = lab.device("PC40");
const box = await target.locator("g.icon").boundingBox();
const c = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
const tracing = process.env.LANLAB_BENCH_TRACE;
let cdp;
if (tracing) {
  cdp = await page.context().newCDPSession(page);
  await cdp.send("Tracing.start", { categories: "devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,blink.user_timing", transferMode: "ReturnAsStream" });
}
await page.evaluate(() => {
  window.__frames = [];
  window.__recording = true;
  const tick = (t) => {
    window.__frames.push(t);
    if (window.__recording) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
});
await page.mouse.move(c.x, c.y);
await page.mouse.down();
const start = Date.now();
let i = 0;
while (Date.now() - start < DRAG_MS) {
  const a = (i++ / 60) * Math.PI;
  await page.mouse.move(c.x + 120 * Math.sin(a), c.y + 60 * (1 - Math.cos(a)));
}
await page.mouse.up();
const frames = await page.evaluate(() => {
  window.__recording = false;
  return window.__frames;
});
if (tracing) {
  const done = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
  await cdp.send("Tracing.end");
  const { stream } = await done;
  let data = "";
  for (;;) {
    const chunk = await cdp.send("IO.read", { handle: stream });
    data += chunk.data;
    if (chunk.eof) break;
  }
  writeFileSync(tracing, data);
}
const intervals = frames.slice(1).map((t, k) => t - frames[k]);
const moved = await lab.devicePos("PC40");
const orig = doc.devices.find((d) => d.name === "PC40").pos;
if (moved.x === orig.x && moved.y === orig.y) throw new Error("the drag did not move the device");
console.log(`editor-drag-median-frame: ${median(intervals).toFixed(1)} ms (target ≤ 20) [${intervals.length} frames, ${i} pointer moves, p90 ${[...intervals].sort((a, b) => a - b)[Math.floor(intervals.length * 0.9)].toFixed(1)} ms]`);

// --- panel open ---
const samples = [];
for (let k = 0; k < CLICKS; k++) {
  const name = `PC${(k * 13) % 180}`;
  const b = await lab.device(name).locator("g.icon").boundingBox();
  await page.evaluate((name) => {
    window.__panel = new Promise((resolve) => {
      let t0 = null;
      window.addEventListener("pointerdown", () => (t0 = performance.now()), { capture: true, once: true });
      const check = () => {
        const h = document.querySelector("[data-testid=panel-device-name]");
        if (t0 !== null && h && h.textContent === name) {
          requestAnimationFrame(() => resolve(performance.now() - t0));
        } else {
          requestAnimationFrame(check);
        }
      };
      const obs = new MutationObserver(() => {
        const h = document.querySelector("[data-testid=panel-device-name]");
        if (t0 !== null && h && h.textContent === name) {
          obs.disconnect();
          requestAnimationFrame(() => resolve(performance.now() - t0));
        }
      });
      obs.observe(document.body, { subtree: true, childList: true, characterData: true });
      requestAnimationFrame(check);
    });
  }, name);
  await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
  samples.push(await page.evaluate(() => window.__panel));
  // Back to no selection so every click opens a panel afresh.
  await page.keyboard.press("Escape");
  await page.waitForTimeout(50);
}
console.log(`panel-open: ${median(samples).toFixed(1)} ms (target ≤ 50) [median of ${CLICKS}, max ${Math.max(...samples).toFixed(1)} ms, from pointerdown]`);
if (lab.errors.length) {
  console.error(lab.errors);
  process.exitCode = 1;
}
await browser.close();
