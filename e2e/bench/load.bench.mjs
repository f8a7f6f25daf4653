// Browser benchmark: time from navigation to an interactive canvas (the
// palette and canvas visible and the app's first render done), in fresh
// contexts (cold cache), median of N runs. Run by `cargo xtask bench`.
import { launch, BASE_URL } from "../lanlab.mjs";

const RUNS = Number(process.env.LANLAB_BENCH_RUNS ?? 15);
const browser = await launch();
const samples = [];
const wasm = [];
for (let i = 0; i < RUNS; i++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: "block" });
  const page = await context.newPage();
  const start = performance.now();
  await page.goto(BASE_URL);
  await page.getByTestId("canvas").waitFor({ state: "visible" });
  await page.getByTestId("palette-pc").waitFor({ state: "visible" });
  samples.push(performance.now() - start);
  const timing = await page.evaluate(() => {
    const e = performance.getEntriesByType("resource").find((r) => r.name.endsWith(".wasm"));
    return e ? e.responseEnd - e.startTime : null;
  });
  if (timing !== null) wasm.push(timing);
  await context.close();
}
await browser.close();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`navigation → interactive canvas: median ${median(samples).toFixed(0)} ms, min ${Math.min(...samples).toFixed(0)} ms, max ${Math.max(...samples).toFixed(0)} ms (${RUNS} cold loads; target ≤ 500 ms)`);
if (wasm.length) console.log(`  of which fetching the wasm: median ${median(wasm).toFixed(0)} ms`);
