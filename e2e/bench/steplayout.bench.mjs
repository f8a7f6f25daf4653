// Browser benchmark of what a Step lays out again, on the 198-device lab
// with ~5,000 events (as sim.bench.mjs): a Chromium trace with layout
// invalidation tracking around 10 Steps. Reports the layout time per Step and
// how many device labels were laid out again (target: none; the canvas's
// <svg> is sized in pixels so changes elsewhere on the page do not reach it).
// CSS=... injects a stylesheet first (for experiments); TRACE_OUT=file keeps
// the trace; VERBOSE=1 lists every layout and the invalidations by reason.
import { writeFileSync } from "node:fs";
import { openSimLab } from "./simlab.mjs";

const { browser, lab, page } = await openSimLab(5_000);
await page.waitForTimeout(1000);
const step = () =>
  page.evaluate(async () => {
    const b = document.querySelector('[data-testid="sim-step"]');
    b.click();
    await window.lanlabAnswered();
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  });
if (process.env.CSS) await page.addStyleTag({ content: process.env.CSS });
await step();
await step();
await browser.startTracing(page, {
  categories: [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "disabled-by-default-devtools.timeline.invalidationTracking",
    "blink.user_timing",
  ],
});
const STEPS = 10;
for (let i = 0; i < STEPS; i++) await step();
const buf = await browser.stopTracing();
await browser.close();
if (process.env.TRACE_OUT) writeFileSync(process.env.TRACE_OUT, buf);
const trace = JSON.parse(buf.toString());
const evs = trace.traceEvents ?? trace;
const verbose = Boolean(process.env.VERBOSE);
const layouts = evs.filter((e) => e.name === "Layout" && e.ph === "X");
let total = 0;
for (const l of layouts) {
  total += l.dur / 1000;
  if (verbose) console.log(`Layout ${(l.dur / 1000).toFixed(2)} ms dirty=${l.args?.beginData?.dirtyObjects} total=${l.args?.beginData?.totalObjects} roots=${JSON.stringify(l.args?.endData?.layoutRoots)}`);
}
const inv = evs.filter((e) => e.name === "LayoutInvalidationTracking");
const byReason = new Map();
for (const e of inv) {
  const d = e.args?.data ?? {};
  const k = `${d.reason} | ${d.nodeName}`;
  byReason.set(k, (byReason.get(k) ?? 0) + 1);
}
if (verbose) for (const [k, n] of [...byReason].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`  ${n}\t${k}`);
const labels = inv.filter((e) => /^text class='label/.test(e.args?.data?.nodeName ?? "")).length;
const sized = inv.filter((e) => e.args?.data?.reason === "Size changed" && /^svg/.test(e.args?.data?.nodeName ?? "")).length;
if (lab.errors.length) console.log(`page errors: ${lab.errors.join(" | ")}`);
console.log(`sim step layout: ${(total / STEPS).toFixed(1)} ms per Step (${layouts.length} layouts in ${STEPS} Steps)`);
console.log(`sim step: device labels laid out again per Step: ${(labels / STEPS).toFixed(0)}; canvas resized during layout: ${sized} times (target 0 and 0)`);
