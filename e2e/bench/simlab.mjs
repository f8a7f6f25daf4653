// The simulation benchmarks' common start: the 198-device lab (the ping
// fan-in of crates/sim/examples/sim_bench_lab.rs) open in simulation mode on
// a 1600×1000 page, played at the highest speed until the event list holds
// `rows` events.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launch, LabPage } from "../lanlab.mjs";

const LAB = path.join(path.dirname(fileURLToPath(import.meta.url)), "sim-200.lanlab.json");

/** Opens the lab and plays it to `rows` events; returns the browser, the page object and an event counter. */
export async function openSimLab(rows) {
  const browser = await launch();
  const lab = await LabPage.open(browser, undefined, { viewport: { width: 1600, height: 1000 } });
  const { page } = lab;
  page.setDefaultTimeout(120_000);
  page.on("dialog", (d) => d.accept());
  await page.getByTestId("mode-simulation").click();
  await page.getByTestId("file-input").setInputFiles(LAB);
  await lab.device("Server0").waitFor();
  const events = async () => Number((await page.getByTestId("event-count").textContent()).replace(/\D/g, ""));
  await page.getByTestId("sim-speed").fill("50");
  await page.getByTestId("sim-play").click();
  while ((await events()) < rows) await page.waitForTimeout(100);
  await page.getByTestId("sim-play").click();
  await page.evaluate(installAnswered);
  return { browser, lab, page, events };
}

/**
 * Puts `window.lanlabAnswered()` into the page: a promise that resolves as
 * soon as the engine has answered every command sent so far and the page has
 * applied the answers. A MutationObserver sees `data-engine-pending` go back
 * to 0 at once, and one MessageChannel task after it every effect the answer
 * set off (run as microtasks) is done. (Polling with `setTimeout(…, 0)`, as
 * these benchmarks did before, waits in steps of 4 ms once the timeouts
 * nest: Chromium clamps them; that added up to several ms to a measured Step.)
 */
function installAnswered() {
  const root = document.documentElement;
  const task = () =>
    new Promise((r) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => r();
      ch.port2.postMessage(0);
    });
  // (An answer's effects may ask the engine again: then wait for that too.)
  window.lanlabAnswered = async () => {
    while (root.dataset.enginePending !== "0") {
      await new Promise((r) => {
        const watch = new MutationObserver(() => {
          if (root.dataset.enginePending === "0") {
            watch.disconnect();
            r();
          }
        });
        watch.observe(root, { attributes: true, attributeFilter: ["data-engine-pending"] });
      });
      await task();
    }
  };
}
