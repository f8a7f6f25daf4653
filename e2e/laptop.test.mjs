// The school laptop (issue 15): at 1366×768, the most common screen in
// Indonesian schools, simulation mode keeps the topology usable. With nothing
// selected the event list and the inspector take the side column; with a
// device selected its panel takes the column and the event list sits under
// the canvas. Either way the canvas keeps at least half of the window's
// height, the page never scrolls sideways, and the event list stays in view.
// Then, on a touch screen (`pointer: coarse`), every control the simulation
// shows is at least 44×44 px and its text at least 12 px.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { launch, LabPage, ARTIFACTS, BASE_URL, exampleText } from "./lanlab.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The canvas's visible height, and whether the page scrolls either way. */
async function layout(page) {
  return page.evaluate(() => {
    const c = document.querySelector('[data-testid="canvas"]').getBoundingClientRect();
    const top = Math.max(c.top, 0);
    const bottom = Math.min(c.bottom, window.innerHeight);
    return {
      canvas: bottom - top,
      inner: window.innerHeight,
      scrollX: document.documentElement.scrollWidth - window.innerWidth,
      scrollY: document.documentElement.scrollHeight - window.innerHeight,
    };
  });
}

/** Fully inside the window (not merely in the DOM). */
async function inWindow(page, testid) {
  return page.evaluate((id) => {
    const e = document.querySelector(`[data-testid="${id}"]`);
    if (!e) return false;
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight + 1 && r.right <= window.innerWidth + 1;
  }, testid);
}

test("1366×768 simulation: the canvas keeps half the height with nothing selected and with a device selected", async () => {
  const lab = await LabPage.open(browser, BASE_URL, { viewport: { width: 1366, height: 768 } });
  const { page } = lab;
  await lab.openLabFile(await exampleText("s1-one-server.json"));
  await lab.device("PC0").waitFor();
  await page.getByTestId("mode-simulation").click();
  for (let i = 0; i < 6; i++) await page.getByTestId("sim-step").click();
  await page.getByTestId("event-row").first().waitFor();

  // Nothing selected: the event list (and, once a row is picked, the
  // inspector) in the side column.
  let l = await layout(page);
  assert.ok(l.canvas >= l.inner / 2, `nothing selected: the canvas is ${l.canvas} px of ${l.inner}`);
  assert.ok(l.scrollX <= 0, `nothing selected: the page scrolls sideways by ${l.scrollX} px`);
  assert.ok(await inWindow(page, "event-list"), "nothing selected: the event list is in the window");
  await page.getByTestId("event-row").first().click();
  await page.getByTestId("inspector").waitFor({ state: "visible" });
  l = await layout(page);
  assert.ok(l.canvas >= l.inner / 2, `inspector open: the canvas is ${l.canvas} px of ${l.inner}`);
  await page.screenshot({ path: path.join(ARTIFACTS, "laptop_sim_nothing_selected.png") });

  // A device selected: its panel and the event list both show, and the
  // canvas still has half the window.
  await lab.select("PC0");
  await lab.sidePanel.waitFor({ state: "visible" });
  await page.getByTestId("tab-config").waitFor({ state: "visible" });
  l = await layout(page);
  assert.ok(l.canvas >= l.inner / 2, `PC0 selected: the canvas is ${l.canvas} px of ${l.inner}`);
  assert.ok(l.scrollX <= 0, `PC0 selected: the page scrolls sideways by ${l.scrollX} px`);
  assert.ok(await page.getByTestId("event-list").isVisible(), "PC0 selected: the event list still shows");
  assert.ok(await inWindow(page, "sim-step"), "PC0 selected: the step button is in the window");
  await page.screenshot({ path: path.join(ARTIFACTS, "laptop_sim_device_selected.png") });

  // Stepping on with the device selected keeps that layout.
  for (let i = 0; i < 4; i++) await page.getByTestId("sim-step").click();
  l = await layout(page);
  assert.ok(l.canvas >= l.inner / 2, `after more steps: the canvas is ${l.canvas} px of ${l.inner}`);

  assert.deepEqual(lab.offLoopback, []);
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});

/** Controls in view smaller than 44×44 px, or with text under 12 px. */
async function smallControls(page) {
  return page.evaluate(() => {
    const sel = 'button, a[href], input:not([type="hidden"]), select, textarea, summary, [role="button"], [role="tab"], [role="checkbox"], [role="radio"], [role="switch"]';
    const out = [];
    for (const e of document.querySelectorAll(sel)) {
      const r = e.getBoundingClientRect();
      // Nothing to see (or visually hidden for screen readers only).
      if (r.width <= 2 || r.height <= 2) continue;
      if (r.bottom < 0 || r.top > window.innerHeight || r.right < 0 || r.left > window.innerWidth) continue;
      const s = getComputedStyle(e);
      if (s.visibility === "hidden") continue;
      // A native checkbox or radio inside its label counts as the label's size.
      let w = r.width;
      let h = r.height;
      const label = e.closest("label");
      if (label && (e.type === "checkbox" || e.type === "radio")) {
        const lr = label.getBoundingClientRect();
        w = lr.width;
        h = lr.height;
      }
      const id = e.dataset.testid ?? `${e.tagName.toLowerCase()}.${[...e.classList].join(".")}`;
      if (w < 44 - 0.5 || h < 44 - 0.5) out.push(`${id} ${Math.round(w)}×${Math.round(h)}`);
      const text = (e.innerText ?? e.value ?? "").trim();
      if (text && parseFloat(s.fontSize) < 12) out.push(`${id} text ${s.fontSize}`);
    }
    return out;
  });
}

test("touch screen: the simulation's controls, the event list and the inspector's field tree are at least 44×44 px", async () => {
  const lab = await LabPage.open(browser, BASE_URL, { locale: "id-ID", viewport: { width: 390, height: 844 }, touch: true });
  const { page } = lab;
  assert.ok(await page.evaluate(() => matchMedia("(pointer: coarse)").matches), "the touch context has a coarse pointer");
  assert.deepEqual(await smallControls(page), [], "empty app");

  await lab.openLabFile(await exampleText("s1-one-server.json"));
  await lab.device("PC0").waitFor();
  await page.getByTestId("mode-simulation").tap();
  for (let i = 0; i < 6; i++) await page.getByTestId("sim-step").tap();
  await page.getByTestId("event-row").first().waitFor();
  assert.deepEqual(await smallControls(page), [], "simulation with the event sheet");

  await page.getByTestId("event-row").first().tap();
  await page.getByTestId("inspector").waitFor({ state: "visible" });
  assert.deepEqual(await smallControls(page), [], "the inspector");

  assert.deepEqual(lab.offLoopback, []);
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});
