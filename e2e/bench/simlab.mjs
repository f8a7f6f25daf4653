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
  return { browser, lab, page, events };
}
