// Simulation mode: the clock stops, the student steps through a ping one
// event at a time, steps back and forward again, and inspects a packet.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { launch, LabPage, ARTIFACTS, settled } from "./lanlab.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function rows(page) {
  // The engine answers from its worker: read once the page shows it all.
  await settled(page);
  return page.getByTestId("event-row").evaluateAll((els) =>
    els
      .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
      .map((e) => `${e.dataset.proto} ${e.innerText.replace(/\s+/g, " ").trim()}`),
  );
}

test("stepping through a ping: ARP then ICMP, back and forth, inspected", async () => {
  const lab = await LabPage.open(browser);
  const { page } = lab;
  await lab.dragToCanvas("pc", 150, 150);
  await lab.dragToCanvas("switch", 350, 250);
  await lab.dragToCanvas("pc", 550, 150);
  await lab.cable("PC0", "Switch0");
  await lab.cable("PC1", "Switch0");
  await lab.setStaticIp("PC0", "192.168.1.10", "/24");
  await lab.setStaticIp("PC1", "192.168.1.11", "/24");

  await page.getByTestId("mode-simulation").click();
  await settled(page);
  await page.getByTestId("sim-panel").waitFor();
  const before = await rows(page);

  await lab.select("PC0");
  await lab.tab("desktop");
  await page.getByTestId("terminal-input").fill("ping -n 1 192.168.1.11");
  await page.getByTestId("terminal-input").press("Enter");
  await settled(page);
  // The clock is stopped: nothing moves until Step. (Showing that nothing
  // happens needs time to pass: six of the driver's 50 ms ticks, twice.)
  await page.waitForTimeout(300);
  const clock = await page.getByTestId("sim-clock").textContent();
  await page.waitForTimeout(300);
  assert.equal(await page.getByTestId("sim-clock").textContent(), clock);

  for (let i = 0; i < 8; i++) {
    await page.getByTestId("sim-step").click();
    await settled(page);
  }
  const stepped = (await rows(page)).slice(before.length);
  const protos = stepped.map((r) => r.split(" ")[0]);
  const firstArp = protos.indexOf("ARP");
  const firstIcmp = protos.indexOf("ICMP");
  assert.ok(firstArp >= 0 && firstIcmp > firstArp, `ARP before ICMP: ${stepped.join(" | ")}`);
  assert.match(stepped[firstArp], /PC0 Switch0/);
  await page.getByTestId("packet").waitFor({ state: "attached" });

  // Three steps back and three forward give the same rows.
  const all = await rows(page);
  for (let i = 0; i < 3; i++) {
    await page.getByTestId("sim-back").click();
    await settled(page);
  }
  assert.deepEqual(await rows(page), all.slice(0, all.length - 3));
  for (let i = 0; i < 3; i++) {
    await page.getByTestId("sim-step").click();
    await settled(page);
  }
  assert.deepEqual(await rows(page), all);

  // Clicking the envelope opens its event in the inspector, like its row,
  // and starts no box selection on the canvas (PC0 stays selected).
  await lab.select("PC0");
  const picked = page.locator(".event-row.selected");
  assert.equal(await picked.count(), 0);
  const envelope = page.getByTestId("packet");
  const envProto = await envelope.getAttribute("data-proto");
  await envelope.locator("rect.proto-fill").click();
  await settled(page);
  await picked.waitFor();
  assert.equal(await picked.getAttribute("data-proto"), envProto);
  assert.match(await page.getByTestId("inspector-layers").textContent(), new RegExp(envProto, "i"));
  assert.equal(await lab.device("PC0").getAttribute("aria-pressed"), "true");
  // And from the keyboard: focus it, Enter.
  await page.getByTestId("sim-back").click();
  await settled(page);
  assert.equal(await picked.count(), 0);
  await envelope.focus();
  await page.keyboard.press("Enter");
  await settled(page);
  await picked.waitFor();
  assert.equal(await picked.getAttribute("data-proto"), await envelope.getAttribute("data-proto"));
  assert.deepEqual((await rows(page)).length, all.length - 1);
  await page.getByTestId("sim-step").click();
  await settled(page);
  assert.deepEqual(await rows(page), all);
  await lab.tab("desktop");

  // The inspector explains an ICMP row: layers and addresses.
  await page.getByTestId("event-row").filter({ hasText: "ICMP" }).first().click();
  await settled(page);
  const layers = await page.getByTestId("inspector-layers").textContent();
  assert.match(layers, /Ethernet/);
  assert.match(layers, /192\.168\.1\.10/);
  assert.match(layers, /echo request|echo reply/i);
  assert.match(await page.getByTestId("inspector-place").textContent(), /→/);

  // The ICMP filter shows only ICMP rows, and Step stops only at ICMP events.
  await page.getByTestId("filter-icmp").click();
  await settled(page);
  const onlyIcmp = await rows(page);
  assert.ok(onlyIcmp.length >= 4 && onlyIcmp.every((r) => r.startsWith("ICMP")), onlyIcmp.join(" | "));
  await page.getByTestId("terminal-input").fill("ping -n 1 192.168.1.11");
  await page.getByTestId("terminal-input").press("Enter");
  await settled(page);
  await page.getByTestId("sim-step").click();
  await settled(page);
  const afterStep = await rows(page);
  assert.equal(afterStep.length, onlyIcmp.length + 1, afterStep.join(" | "));
  assert.match(afterStep.at(-1), /^ICMP .*PC0 Switch0/);
  await page.screenshot({ path: path.join(ARTIFACTS, "simulation.png") });
  await page.getByTestId("filter-icmp").click();
  await settled(page);
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});

test("broadcast fans out, a drop shows where and why, skip to the next timer, timeline seeks", async () => {
  const lab = await LabPage.open(browser);
  const { page } = lab;
  await lab.dragToCanvas("pc", 150, 150);
  await lab.dragToCanvas("switch", 350, 250);
  await lab.dragToCanvas("pc", 550, 150);
  await lab.dragToCanvas("pc", 550, 300);
  await lab.dragToCanvas("pc", 700, 120);
  await lab.cable("PC0", "Switch0");
  await lab.cable("PC1", "Switch0");
  await lab.cable("PC2", "Switch0");
  await lab.setStaticIp("PC0", "192.168.1.10", "/24");
  await lab.setStaticIp("PC1", "192.168.1.11", "/24");
  await lab.setStaticIp("PC2", "192.168.1.12", "/24");
  await lab.setStaticIp("PC3", "192.168.1.13", "/24");
  await page.getByTestId("mode-simulation").click();
  await settled(page);
  await page.getByTestId("sim-panel").waitFor();

  // PC0's ARP request reaches the switch, which floods it: one envelope on
  // each of the other two cables, labelled ARP.
  await lab.select("PC0");
  await lab.tab("desktop");
  await page.getByTestId("terminal-input").fill("ping -n 1 192.168.1.11");
  await page.getByTestId("terminal-input").press("Enter");
  await settled(page);
  await page.getByTestId("filter-arp").click();
  await settled(page);
  await page.getByTestId("sim-step").click();
  await settled(page);
  const packet = page.getByTestId("packet");
  assert.equal(await packet.getAttribute("data-proto"), "ARP");
  const flights = page.getByTestId("packet-flight");
  assert.equal(await flights.count(), 2);
  assert.deepEqual(await flights.evaluateAll((els) => els.map((e) => e.dataset.proto)), ["ARP", "ARP"]);
  // The inspector: layers in at the switch, the two frames it sent on, and
  // its decision in words, in the UI language.
  assert.match(await page.getByTestId("inspector-layers").textContent(), /L2 Ethernet[\s\S]*L2 ARP/);
  const out = page.getByTestId("inspector-out").locator(":scope > li");
  assert.equal(await out.count(), 2);
  assert.match(await out.first().textContent(), /Switch0 \S+ → PC\d/);
  assert.match(await page.getByTestId("inspector-notes").textContent(), /switch floods out 2 ports \(broadcast\)/);
  await lab.setLanguage("id");
  assert.match(await page.getByTestId("inspector-notes").textContent(), /switch membanjiri 2 port/);
  await lab.setLanguage("en");
  await page.getByTestId("filter-arp").click();
  await settled(page);

  // Run the ping to its end; then nothing is on a cable, and a timer is armed.
  const skip = page.getByTestId("sim-skip-timer");
  for (let i = 0; i < 40 && !(await skip.isEnabled()); i++) {
    await page.getByTestId("sim-step").click();
    await settled(page);
  }
  assert.ok(await skip.isEnabled(), "skip is enabled when nothing is in flight");
  const due = Number(await skip.getAttribute("data-next-timer"));
  const before = parseFloat(await page.getByTestId("timeline-now").textContent());
  assert.ok(due > before, `${due} > ${before}`);
  await skip.click();
  await settled(page);
  const after = parseFloat(await page.getByTestId("timeline-now").textContent());
  assert.ok(after >= Math.floor(due * 1000) / 1000, `now ${after} ≥ timer ${due}`);

  // A click on the timeline's start seeks back there.
  const events = async () => Number((await page.getByTestId("event-count").textContent()).replace(/\D/g, ""));
  const n = await events();
  const box = await page.getByTestId("timeline").boundingBox();
  await page.mouse.click(box.x + 1, box.y + box.height / 2);
  await settled(page);
  assert.ok((await events()) < n, "seeked back");
  assert.ok(parseFloat(await page.getByTestId("timeline-now").textContent()) < after);
  // From the keyboard: → steps forward, ← steps back.
  const m = await events();
  await page.getByTestId("timeline").focus();
  await page.keyboard.press("ArrowRight");
  await settled(page);
  const m2 = await events();
  assert.ok(m2 > m, "→ stepped");
  await page.keyboard.press("ArrowLeft");
  await settled(page);
  const m3 = await events();
  assert.ok(m3 < m2 && m3 >= m, `← stepped back: ${m} ${m2} ${m3}`);

  // PC3 has no cable: its ARP request is dropped at PC3, and the envelope
  // and the row say why.
  await lab.select("PC3");
  await lab.tab("desktop");
  await page.getByTestId("terminal-input").fill("ping -n 1 192.168.1.11");
  await page.getByTestId("terminal-input").press("Enter");
  await settled(page);
  await page.getByTestId("sim-step").click();
  await settled(page);
  const drop = page.locator('[data-testid="event-row"][data-kind="drop"]').last();
  await drop.waitFor();
  assert.match(await drop.innerText(), /PC3[\s\S]*no cable on this port/);
  await drop.click();
  await settled(page);
  assert.match(await page.getByTestId("drop-reason").textContent(), /no cable/);
  assert.match(await page.getByTestId("inspector-place").textContent(), /PC3 .*✖ no cable/);
  // In Bahasa Indonesia too.
  await lab.setLanguage("id");
  assert.match(await page.getByTestId("drop-reason").textContent(), /tidak ada kabel/);
  await page.screenshot({ path: path.join(ARTIFACTS, "simulation-drop.png") });
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});
