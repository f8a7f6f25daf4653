// Dynamic routing in the app (issue 19): the example labs S13 (RIP, three
// routers in a line) and S14 (OSPF, a triangle with a LAN each and a shared
// segment with DR/BDR) open and run; the router consoles show R and O
// routes with [120/n] and [110/n] and OSPF neighbours FULL with DR/BDR; PCs
// ping across; a cable cut in S14 reroutes through R3; and the canvas's
// neighbour overlay writes each router's neighbours on its cables, live, in
// both languages, by touch on a 360-px phone and without axe violations.
//
// Nothing here waits a fixed time for a result: the virtual clock runs 50×
// (the speed slider, as in simulation mode), and every wait is on a
// condition (a label, a console line, the clock having moved on).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, LabPage, BASE_URL, axe } from "./lanlab.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Runs the realtime clock at 50× (the speed slider lives in simulation mode). */
async function fastClock(page) {
  await page.getByTestId("mode-simulation").click();
  await page.getByTestId("sim-speed").fill("50");
  await page.getByTestId("mode-realtime").click();
}

/** Virtual seconds on the clock in the toolbar. */
async function clock(page) {
  const t = await page.getByTestId("sim-clock").textContent();
  const [h, m, s] = t.split(":").map(Number);
  return h * 3600 + m * 60 + s;
}

/**
 * Types `line` at the open console until its output matches `re`; between
 * tries, waits until the virtual clock moved on by two seconds.
 */
async function consoleUntil(lab, line, re, timeout = 60_000) {
  const end = Date.now() + timeout;
  for (;;) {
    const out = await lab.consoleLine(line);
    if (re.test(out)) return out;
    if (Date.now() > end) assert.fail(`${line}: no ${re} in\n${out}`);
    const from = await clock(lab.page);
    await lab.page.waitForFunction(
      (t) => {
        const [h, m, s] = document.querySelector('[data-testid="sim-clock"]').textContent.split(":").map(Number);
        return h * 3600 + m * 60 + s >= t;
      },
      from + 2,
      { timeout: 30_000 },
    );
  }
}

/** The overlay label of `router`'s interface `port`. */
function label(page, router, port) {
  return page.locator(`[data-testid="nbr-label"][data-router="${router}"][data-port="${port}"]`);
}

/** Waits until the label of `router`'s `port` has a line with exactly `text`. */
async function labelLine(page, router, port, text, timeout = 60_000) {
  await label(page, router, port).getByTestId("nbr-line").filter({ hasText: new RegExp(`^${text}$`) }).waitFor({ timeout });
}

/** An example lab from public/labs; `keep` filters its script. */
async function example(page, file, keep = () => true) {
  const doc = await page.evaluate(async (url) => (await fetch(url)).json(), new URL(`labs/${file}`, BASE_URL).href);
  doc.actions = doc.actions.filter(keep);
  return doc;
}

test("S13: RIP routes [120/n] at the console, PC1 pings PC3, the overlay lists who each router heard", async () => {
  const lab = await LabPage.open(browser);
  const { page } = lab;
  page.on("dialog", (d) => d.accept());
  // Opened from the Examples menu, with its whole script.
  await page.getByTestId("examples-menu").click();
  await page.getByTestId("example-s13-rip").click();
  await lab.device("R3").waitFor();
  await fastClock(page);

  // The overlay: off at first; on, R2 heard R1 on Gi0/1 and R3 on Gi0/2.
  const toggle = page.getByTestId("nbr-toggle");
  assert.equal(await toggle.getAttribute("aria-pressed"), "false");
  assert.equal(await page.getByTestId("nbr-label").count(), 0);
  await toggle.click();
  assert.equal(await toggle.getAttribute("aria-pressed"), "true");
  await labelLine(page, "R2", "GigabitEthernet0/1", "RIP from R1");
  await labelLine(page, "R2", "GigabitEthernet0/2", "RIP from R3");
  await labelLine(page, "R1", "GigabitEthernet0/1", "RIP from R2");
  await labelLine(page, "R3", "GigabitEthernet0/1", "RIP from R2");
  // The LANs are passive: nobody is heard there.
  assert.equal(await label(page, "R1", "GigabitEthernet0/0").count(), 0);
  assert.match(await label(page, "R2", "GigabitEthernet0/2").getAttribute("aria-label"), /^R2 GigabitEthernet0\/2: RIP from R3$/);

  // R1's console: R routes, one and two hops away.
  await lab.cli("R1");
  await page.waitForFunction(() => document.querySelector('[data-testid="console-prompt"]')?.textContent === "R1#", null, { timeout: 30_000 });
  const route = await consoleUntil(lab, "show ip route", /R\s+192\.168\.3\.0\/24 \[120\/2\] via 10\.0\.12\.2/);
  assert.match(route, /R\s+192\.168\.2\.0\/24 \[120\/1\] via 10\.0\.12\.2, \d\d:\d\d:\d\d, GigabitEthernet0\/1/);
  assert.match(route, /R\s+10\.0\.23\.0\/24 \[120\/1\] via 10\.0\.12\.2/);
  assert.match(await lab.consoleLine("show ip protocols"), /Routing Information Sources:[\s\S]*10\.0\.12\.2\s+120/);

  // Across three routers.
  const ping = await lab.runNew("PC1", "ping 192.168.3.10", "Packets: Sent = 4", 60_000);
  assert.match(ping, /Reply from 192\.168\.3\.10: bytes=32 time[=<]\d+ms TTL=125/);

  // The overlay in Bahasa Indonesia.
  await lab.setLanguage("id");
  await labelLine(page, "R2", "GigabitEthernet0/1", "RIP dari R1");
  assert.equal((await toggle.textContent()).trim(), "Tetangga");
  await lab.setLanguage("en");

  // Off again: no label left.
  await toggle.click();
  await page.getByTestId("nbr-label").first().waitFor({ state: "detached" });
  assert.deepEqual(lab.errors, []);
  assert.deepEqual(lab.offLoopback, []);
  await page.context().close();
});

test("S14: OSPF neighbours FULL with DR/BDR, O routes [110/n], a cut cable reroutes through R3, live on the overlay", async () => {
  const lab = await LabPage.open(browser);
  const { page } = lab;
  // S14's routers configured by its script; the later commands and the
  // scripted cable pull are left out (the cable is cut below, by hand).
  const doc = await example(page, "s14-ospf.json", (a) => a.at_ms < 60_000);
  await lab.openLabFile(doc);
  await lab.device("R3").waitFor();
  await page.getByTestId("nbr-toggle").click();
  // Before any router runs OSPF, the overlay says why it is empty.
  await page.getByTestId("nbr-none").waitFor();
  await fastClock(page);

  // The shared segment (Gi0/3): R1 (priority 10) DR, R3 BDR, R2 DROTHER,
  // everyone FULL with the DR and the BDR. The triangle's links are
  // Ethernet too: FULL, with a DR and a BDR of their own.
  await labelLine(page, "R1", "GigabitEthernet0/3", "OSPF R3 FULL/BDR");
  await labelLine(page, "R1", "GigabitEthernet0/3", "OSPF R2 FULL/DROTHER");
  await labelLine(page, "R2", "GigabitEthernet0/3", "OSPF R1 FULL/DR");
  await labelLine(page, "R3", "GigabitEthernet0/3", "OSPF R1 FULL/DR");
  await labelLine(page, "R2", "GigabitEthernet0/3", "OSPF R3 FULL/BDR");
  await labelLine(page, "R1", "GigabitEthernet0/0", "OSPF R2 FULL/(DR|BDR)");
  await labelLine(page, "R1", "GigabitEthernet0/1", "OSPF R3 FULL/(DR|BDR)");
  assert.equal(await page.getByTestId("nbr-none").count(), 0);
  const seg = label(page, "R1", "GigabitEthernet0/3");
  assert.match(await seg.locator("title").textContent(), /router ID 3\.3\.3\.3, address 10\.0\.123\.3/);
  assert.equal(await seg.locator(".nbr-line.full").count(), 2, "FULL lines are marked as such");

  // R1's console says the same, and has O routes with [110/cost].
  await lab.cli("R1");
  await page.waitForFunction(() => document.querySelector('[data-testid="console-prompt"]')?.textContent === "R1#", null, { timeout: 30_000 });
  const nbr = await consoleUntil(lab, "show ip ospf neighbor", /(FULL\/[\s\S]*){4}/);
  assert.match(nbr, /3\.3\.3\.3\s+1\s+FULL\/BDR\s+00:00:\d\d\s+10\.0\.123\.3\s+GigabitEthernet0\/3/);
  assert.match(nbr, /2\.2\.2\.2\s+1\s+FULL\/DROTHER\s+00:00:\d\d\s+10\.0\.123\.2\s+GigabitEthernet0\/3/);
  assert.equal(nbr.match(/FULL\//g).length, 4, nbr);
  const before = await consoleUntil(lab, "show ip route", /O\s+192\.168\.2\.0\/24 \[110\/2\] via 10\.0\.12\.2/);
  assert.match(before, /O\s+192\.168\.3\.0\/24 \[110\/2\] via 10\.0\.13\.3/);

  const ping = await lab.runNew("PC1", "ping 192.168.2.10", "Packets: Sent = 4", 60_000);
  assert.match(ping, /Reply from 192\.168\.2\.10: bytes=32/);

  // Cut R1–R2: select its cable on the canvas and delete it.
  const cut = page.locator('[data-testid^="link-"][data-ends="R1|R2"], [data-testid^="link-"][data-ends="R2|R1"]');
  // (A level line has no height, which Playwright counts as not visible: click its middle.)
  const line = await cut.locator(".link-line").boundingBox();
  await page.mouse.click(line.x + line.width / 2, line.y + line.height / 2);
  await page.keyboard.press("Delete");
  await cut.waitFor({ state: "detached" });
  // R1's label on that cable goes with it; R2 is still a neighbour on the segment.
  await label(page, "R1", "GigabitEthernet0/0").waitFor({ state: "detached" });
  await labelLine(page, "R1", "GigabitEthernet0/3", "OSPF R2 FULL/DROTHER");

  // The reroute: R2's LAN through R3, cost 3.
  await lab.cli("R1");
  const after = await consoleUntil(lab, "show ip route", /O\s+192\.168\.2\.0\/24 \[110\/3\] via 10\.0\.13\.3/);
  assert.doesNotMatch(after, /via 10\.0\.12\.2/);
  const trace = await lab.runNew("PC1", "tracert 192.168.2.10", "Trace complete.", 60_000);
  assert.match(trace, /10\.0\.13\.3/);
  assert.match(trace, /192\.168\.2\.10/);

  assert.deepEqual(await axe(page, "S14 with the neighbour overlay"), []);
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});

test("the neighbour overlay by touch on a 360-px phone (id), with no axe violation", async () => {
  const lab = await LabPage.open(browser, BASE_URL, { locale: "id-ID", viewport: { width: 360, height: 740 }, touch: true });
  const { page } = lab;
  const doc = await example(page, "s14-ospf.json", (a) => a.at_ms < 60_000);
  await lab.openLabFile(doc);
  await lab.device("R3").waitFor({ state: "attached" });

  const toggle = page.getByTestId("nbr-toggle");
  const box = await toggle.boundingBox();
  assert.ok(box.width >= 44 && box.height >= 44, `the switch is a 44-px target (${box.width}×${box.height})`);
  assert.ok(box.x >= 0 && box.x + box.width <= 360, "the switch is on screen");
  const zoom = await page.locator(".zoom-controls").boundingBox();
  assert.ok(box.y + box.height <= zoom.y || box.x + box.width <= zoom.x, "the switch does not cover the zoom buttons");
  assert.equal((await toggle.textContent()).trim(), "Tetangga");
  await toggle.tap();
  assert.equal(await toggle.getAttribute("aria-pressed"), "true");
  await page.getByTestId("nbr-none").waitFor();

  // The clock at 50×, by taps.
  await page.getByTestId("mode-simulation").tap();
  await page.getByTestId("sim-speed").fill("50");
  await page.getByTestId("mode-realtime").tap();
  await labelLine(page, "R1", "GigabitEthernet0/3", "OSPF R3 FULL/BDR");
  await labelLine(page, "R2", "GigabitEthernet0/3", "OSPF R1 FULL/DR");
  // Labels take no touches: a tap on one still reaches the canvas (nothing breaks).
  const where = await label(page, "R1", "GigabitEthernet0/3").boundingBox();
  assert.ok(where.width > 0 && where.height > 0);
  assert.equal(await label(page, "R1", "GigabitEthernet0/3").evaluate((e) => getComputedStyle(e).pointerEvents), "none");

  assert.deepEqual(await axe(page, "phone, overlay on"), []);
  await toggle.tap();
  await page.getByTestId("nbr-label").first().waitFor({ state: "detached" });
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});
