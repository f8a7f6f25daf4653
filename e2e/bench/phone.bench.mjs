// Browser benchmark, phone profile (issue 15): 390×844, touch, the CPU slowed
// 4× through CDP. (1) Opening a device's sheet: from the tap's pointerdown to
// the sheet's content in the DOM and painted (two animation frames), median
// of N taps on lab S1; target ≤ 100 ms. (2) Dragging a device with a finger
// on a 50-device lab: the median interval between animation frames while it
// moves; target ≤ 20 ms. Run by `cargo xtask bench`.
import { launch, LabPage } from "../lanlab.mjs";

const RUNS = Number(process.env.LANLAB_BENCH_RUNS ?? 15);
const URL_ = process.env.LANLAB_URL ?? "http://127.0.0.1:8080/";
const browser = await launch();
const context = await browser.newContext({
  viewport: { width: 390, height: 844 },
  hasTouch: true,
  isMobile: true,
  deviceScaleFactor: 2,
});
const page = await context.newPage();
page.setDefaultTimeout(30_000);
const lab = new LabPage(page);
await page.goto(URL_);
await lab.canvas.waitFor({ state: "visible" });
const cdp = await context.newCDPSession(page);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

// --- 1. A device's sheet, tap to painted ---
const s1 = await (await fetch(new URL("labs/s1-one-server.json", URL_))).text();
await lab.openLabFile(s1);
await lab.device("PC1").waitFor();
// S1 is laid out for a desktop: fit it to the phone's canvas first.
await page.getByTestId("zoom-fit").tap();
await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });

async function closeSheet() {
  const close = page.getByTestId("side-panel").getByTestId("sheet-close");
  if (await close.isVisible()) await close.tap();
  await page.getByTestId("device-details").waitFor({ state: "detached" });
}

const sheet = [];
for (let i = 0; i < RUNS; i++) {
  const name = i % 2 ? "PC0" : "PC1";
  await closeSheet();
  await page.evaluate((want) => {
    window.__sheetMs = null;
    document.addEventListener(
      "pointerdown",
      () => {
        const t0 = performance.now();
        const seen = () => document.querySelector('[data-testid="panel-device-name"]')?.textContent === want;
        const obs = new MutationObserver(() => {
          if (seen()) {
            obs.disconnect();
            requestAnimationFrame(() => requestAnimationFrame(() => (window.__sheetMs = performance.now() - t0)));
          }
        });
        obs.observe(document.body, { childList: true, subtree: true });
      },
      { capture: true, once: true },
    );
  }, name);
  await lab.device(name).locator("g.icon").tap();
  await page.waitForFunction(() => window.__sheetMs !== null);
  sheet.push(await page.evaluate(() => window.__sheetMs));
}
console.log(
  `phone: device sheet open, tap to painted: ${median(sheet).toFixed(1)} ms median (target ≤ 100 ms; max ${Math.max(...sheet).toFixed(1)} ms, ${RUNS} taps, CPU 4× slower)`,
);
await closeSheet();

// --- 2. Dragging a device on a 50-device lab ---
await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
await context.close();
const context2 = await browser.newContext({
  viewport: { width: 390, height: 844 },
  hasTouch: true,
  isMobile: true,
  deviceScaleFactor: 2,
});
const page2 = await context2.newPage();
page2.setDefaultTimeout(30_000);
await page2.goto(URL_);
await page2.getByTestId("canvas").waitFor({ state: "visible" });
const cdp2 = await context2.newCDPSession(page2);
const before = await page2.locator("g.device").count();
for (let i = before; i < 50; i++) {
  await page2.getByTestId(i % 10 === 0 ? "palette-switch" : "palette-pc").focus();
  await page2.keyboard.press("Enter");
}
await page2.waitForFunction(() => document.querySelectorAll("g.device").length >= 50);
const close2 = page2.getByTestId("side-panel").getByTestId("sheet-close");
if (await close2.isVisible()) await close2.tap();
await page2.getByTestId("zoom-fit").tap().catch(() => {});
const count = await page2.locator("g.device").count();
await cdp2.send("Emulation.setCPUThrottlingRate", { rate: 4 });

const target = page2.locator("g.device").nth(0).locator("g.icon");
const box = await target.boundingBox();
const start = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
await page2.evaluate(() => {
  window.__frames = [];
  let last = performance.now();
  window.__frameLoop = true;
  const tick = (t) => {
    window.__frames.push(t - last);
    last = t;
    if (window.__frameLoop) requestAnimationFrame(tick);
  };
  requestAnimationFrame((t) => {
    last = t;
    requestAnimationFrame(tick);
  });
});
await cdp2.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ ...start, id: 1 }] });
for (let k = 1; k <= 90; k++) {
  const p = { x: start.x + 40 * Math.sin(k / 9), y: start.y + k * 1.5, id: 1 };
  await cdp2.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [p] });
}
await cdp2.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
const frames = await page2.evaluate(() => {
  window.__frameLoop = false;
  return window.__frames.slice(1);
});
console.log(
  `phone: dragging a device on a ${count}-device lab: ${median(frames).toFixed(1)} ms median frame interval (target ≤ 20 ms; ${frames.length} frames, CPU 4× slower)`,
);
await cdp2.send("Emulation.setCPUThrottlingRate", { rate: 1 });
await browser.close();
