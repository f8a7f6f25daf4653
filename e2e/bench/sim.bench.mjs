// Browser benchmark of simulation mode on a 198-device lab (the ping
// fan-in layout of crates/sim/examples/sim_bench_lab.rs, 100 PCs pinging):
//  - with 5,000 events in the (virtualised) list, one Step: click → DOM
//    updated and laid out (target ≤ 16 ms);
//  - Step back from event 5,000 (replay from zero) (target ≤ 100 ms);
//  - 100+ envelopes in flight on the canvas while stepping: median rAF
//    frame interval (target ≤ 20 ms).
// Run by `cargo xtask bench` (or alone: LANLAB_URL=... node e2e/bench/sim.bench.mjs).
import { openSimLab } from "./simlab.mjs";

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// Fill the list to 5,000 events: Play at the highest speed.
const { browser, lab, page, events } = await openSimLab(5_000);

/**
 * Clicks a control and returns ms until the DOM is updated and laid out:
 * the engine (in its Web Worker) answered the click and every question the
 * views asked after it (`data-engine-pending` back at 0), and the page
 * applied the answers.
 */
async function timeClick(testid) {
  return page.evaluate(async (id) => {
    const b = document.querySelector(`[data-testid="${id}"]`);
    const t0 = performance.now();
    b.click();
    await window.lanlabAnswered();
    void document.body.offsetHeight;
    const t1 = performance.now();
    return t1 - t0;
  }, testid);
}

/** Same, until the next frame was produced after the page applied the answers. */
async function timeClickToFrame(testid) {
  return page.evaluate(async (id) => {
    const b = document.querySelector(`[data-testid="${id}"]`);
    const t0 = performance.now();
    b.click();
    await window.lanlabAnswered();
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return performance.now() - t0;
  }, testid);
}

const rows = await page.locator(".event-spacer").evaluate((el) => Math.round(parseFloat(el.style.height) / 24));

const step = [];
const stepFrame = [];
for (let i = 0; i < 15; i++) {
  step.push(await timeClick("sim-step"));
  stepFrame.push(await timeClickToFrame("sim-step"));
}
const back = [];
for (let i = 0; i < 7; i++) back.push(await timeClick("sim-back"));
const at = await events();

// Envelopes in flight: back to the start, then a hundred steps (the 100
// pings start: ARP requests on their cables, a switch's broadcast fanning out).
await page.getByTestId("sim-reset").click();
await page.evaluate(async () => {
  const fwd = document.querySelector('[data-testid="sim-step"]');
  for (let i = 0; i < 102; i++) {
    fwd.click();
    await new Promise((r) => setTimeout(r, 0));
  }
});
await page.waitForTimeout(600);
const flying = await page.getByTestId("packet-flight").count();
const intervals = await page.evaluate(async () => {
  const btn = document.querySelector('[data-testid="sim-back"]');
  const fwd = document.querySelector('[data-testid="sim-step"]');
  const out = [];
  let last = performance.now();
  let n = 0;
  // Alternate back and forward so the envelopes keep moving, 4 times a second.
  const timer = setInterval(() => (n++ % 2 ? fwd : btn).click(), 250);
  await new Promise((resolve) => {
    const frame = (t) => {
      out.push(t - last);
      last = t;
      if (out.length < 180) requestAnimationFrame(frame);
      else resolve();
    };
    requestAnimationFrame(frame);
  });
  clearInterval(timer);
  return out.slice(1);
});
if (lab.errors.length) console.log(`page errors: ${lab.errors.join(" | ")}`);
await browser.close();

console.log(`sim step with ${rows} rows (click → DOM laid out): median ${median(step).toFixed(1)} ms, max ${Math.max(...step).toFixed(1)} ms (target ≤ 16 ms)`);
console.log(`sim step with ${rows} rows (click → next frame): median ${median(stepFrame).toFixed(1)} ms (includes waiting for vsync)`);
console.log(`sim step back from event ${at + back.length}: median ${median(back).toFixed(1)} ms, max ${Math.max(...back).toFixed(1)} ms (target ≤ 100 ms)`);
console.log(`sim envelopes in flight (${flying} on a 198-device canvas): median frame interval ${median(intervals).toFixed(1)} ms, p90 ${[...intervals].sort((a, b) => a - b)[Math.floor(intervals.length * 0.9)].toFixed(1)} ms (target ≤ 20 ms)`);
