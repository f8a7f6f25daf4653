// The network really runs: addresses typed in the form, ping at the prompt.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { launch, LabPage, ARTIFACTS } from "./lanlab.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("two PCs on a switch ping each other after static addresses are set", async () => {
  const lab = await LabPage.open(browser);
  const { page } = lab;
  await lab.dragToCanvas("pc", 150, 150);
  await lab.dragToCanvas("switch", 350, 250);
  await lab.dragToCanvas("pc", 550, 150);
  await lab.cable("PC0", "Switch0");
  await lab.cable("PC1", "Switch0");

  // A wrong address is marked at its field and not saved.
  await lab.select("PC0");
  await lab.tab("config");
  await page.getByTestId("mode-static").check();
  await page.getByTestId("ip-address").fill("192.168.1.300");
  await page.getByTestId("ip-form").getByText("not an IPv4 address").waitFor();
  assert.equal(await page.getByTestId("ip-address").getAttribute("aria-invalid"), "true");

  await lab.setStaticIp("PC0", "192.168.1.10", "/24");
  await lab.setStaticIp("PC1", "192.168.1.11", "255.255.255.0");

  const ipconfig = await lab.run("PC0", "ipconfig", "IPv4 Address");
  assert.match(ipconfig, /192\.168\.1\.10/);
  assert.match(ipconfig, /255\.255\.255\.0/);

  const out = await lab.run("PC0", "ping 192.168.1.11", "Packets: Sent = 4");
  assert.match(out, /Reply from 192\.168\.1\.11: bytes=32 time[<=]\d+ms TTL=128/);
  assert.match(out, /Sent = 4, Received = 4, Lost = 0/);

  // ARP learned the neighbour; history recalls the last command with ↑.
  const arp = await lab.run("PC0", "arp -a", "192.168.1.11");
  assert.match(arp, /192\.168\.1\.11\s+02-4c-00-00-02-00/i);
  await page.getByTestId("terminal-input").press("ArrowUp");
  assert.equal(await page.getByTestId("terminal-input").inputValue(), "arp -a");

  // Pulling the cable makes the ping fail.
  await page.locator('g.link[data-ends="PC1|Switch0"]').click();
  await page.keyboard.press("Delete");
  const lost = await lab.run("PC0", "ping -n 2 192.168.1.11", "Packets: Sent = 2");
  assert.match(lost, /Request timed out|Destination host unreachable/);

  await page.screenshot({ path: path.join(ARTIFACTS, "network.png") });
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});

test("the realtime clock runs while the network is idle", async () => {
  const lab = await LabPage.open(browser);
  const clock = lab.page.getByTestId("sim-clock");
  const first = await clock.textContent();
  await lab.page.waitForFunction((t) => document.querySelector('[data-testid="sim-clock"]').textContent !== t, first);
  assert.notEqual(await clock.textContent(), first);
  await lab.page.context().close();
});

/** The realtime clock's reading in seconds (HH:MM:SS.t). */
async function clockSeconds(page) {
  const [h, m, s] = (await page.getByTestId("sim-clock").textContent()).split(":").map(Number);
  return h * 3600 + m * 60 + s;
}

test("the realtime clock keeps pace with the wall when the engine answers slowly", async () => {
  // Each message to the engine's worker waits 150 ms, three ticks' worth:
  // the time of the ticks that wait for the last answer is not lost.
  const lab = await LabPage.open(browser, undefined, { engineDelay: 150 });
  const { page } = lab;
  await page.waitForFunction(() => document.querySelector('[data-testid="sim-clock"]').textContent !== "00:00:00.0");
  const start = { wall: Date.now(), sim: await clockSeconds(page) };
  await page.waitForTimeout(4_000);
  const wall = (Date.now() - start.wall) / 1000;
  const ran = (await clockSeconds(page)) - start.sim;
  // Skipping that time ran the clock at a third of the wall's pace.
  assert.ok(ran >= wall * 0.75, `${ran} s of virtual time in ${wall} s`);
  await page.context().close();
});
