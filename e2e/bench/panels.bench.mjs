// Browser benchmark: time from a click to the painted panel (the pointerdown
// seen by the page → the panel's content in the DOM → the next two animation
// frames), on lab S1: selecting a device, opening its Services tab, and
// opening the Web browser and Email windows. Median of N clicks each.
// Run by `cargo xtask bench`.
import { launch, LabPage, BASE_URL } from "../lanlab.mjs";

const RUNS = Number(process.env.LANLAB_BENCH_RUNS ?? 15);
const browser = await launch();
const lab = await LabPage.open(browser, BASE_URL);
const { page } = lab;
await page.getByTestId("examples-menu").click();
await page.getByTestId("example-s1-one-server").click();
await lab.device("Server0").waitFor();

/** Arms a probe: resolves with ms from the next pointerdown to `testid` painted. */
async function arm(testid, name) {
  await page.evaluate(([tid, want]) => {
    window.__panelMs = null;
    document.addEventListener(
      "pointerdown",
      () => {
        const t0 = performance.now();
        const done = () =>
          requestAnimationFrame(() => requestAnimationFrame(() => (window.__panelMs = performance.now() - t0)));
        const seen = () =>
          document.querySelector(`[data-testid="${tid}"]`) &&
          document.querySelector('[data-testid="panel-device-name"]')?.textContent === want;
        const obs = new MutationObserver(() => {
          if (seen()) {
            obs.disconnect();
            done();
          }
        });
        obs.observe(document.body, { childList: true, subtree: true });
      },
      { capture: true, once: true },
    );
  }, [testid, name]);
}

async function measure(what, setup, click, testid, name) {
  const xs = [];
  for (let i = 0; i < RUNS; i++) {
    await setup();
    await arm(testid, name);
    await click();
    await page.waitForFunction(() => window.__panelMs !== null);
    xs.push(await page.evaluate(() => window.__panelMs));
  }
  xs.sort((a, b) => a - b);
  const median = xs[Math.floor(xs.length / 2)];
  console.log(`${what}: ${median.toFixed(1)} ms (target ≤ 50 ms; max ${xs.at(-1).toFixed(1)} ms, ${RUNS} clicks)`);
}

const other = (name) => async () => {
  await lab.select(name);
  await page.getByTestId("panel-device-name").filter({ hasText: name }).waitFor();
};
await measure("panel open (select PC1, Desktop + Command Prompt)", other("PC0"), () => lab.select("PC1"), "terminal-input", "PC1");
await measure("panel open (select Server0, Desktop)", other("PC0"), () => lab.select("Server0"), "terminal-input", "Server0");
await measure(
  "Services tab open (Server0, DHCP form with leases)",
  async () => {
    await other("PC0")();
    await lab.select("Server0");
  },
  () => page.getByTestId("tab-services").click(),
  "dhcp-leases",
  "Server0",
);
await measure(
  "Web browser window open (PC0)",
  async () => {
    await other("PC1")();
    await lab.select("PC0");
  },
  () => page.getByTestId("app-browser").click(),
  "browser-url",
  "PC0",
);
await measure(
  "Email window open (PC0)",
  async () => {
    await other("PC1")();
    await lab.select("PC0");
  },
  () => page.getByTestId("app-email").click(),
  "mail-client",
  "PC0",
);
await browser.close();
