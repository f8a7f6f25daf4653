// Lab S1 in simulation mode: PC1's mail to 12_5b_01@hasan.com, stepped
// through one SMTP command and reply at a time.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { readFileSync } from "node:fs";
import { launch, LabPage, ARTIFACTS, scrollEvents, settled } from "./lanlab.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Every row of the (virtualised) event list as "PROTO text", by scrolling through it. */
async function rows(page) {
  return (await kindRows(page)).map((r) => r.text);
}

/** Index of each pattern in order, each after the previous one. */
function inOrder(list, patterns) {
  let at = -1;
  return patterns.map((p) => {
    at = list.findIndex((r, i) => i > at && p.test(r));
    return at;
  });
}

/** A fresh page with example lab S1 open in simulation mode. */
async function openS1InSimulation() {
  const lab = await LabPage.open(browser);
  await lab.page.getByTestId("mode-simulation").click();
  await lab.page.getByTestId("examples-menu").click();
  await lab.page.getByTestId("example-s1-one-server").click();
  await lab.device("Server0").waitFor();
  return lab;
}

test("S1: the SMTP dialogue appears step by step, in order", async () => {
  const lab = await openS1InSimulation();
  const { page } = lab;

  // Only SMTP: Step stops at each SMTP command and reply.
  await page.getByTestId("filter-smtp").click();
  for (let i = 0; i < 40; i++) {
    await page.getByTestId("sim-step").click();
    if ((await rows(page)).some((r) => /\b221\b/.test(r))) break;
  }
  const smtp = await rows(page);
  assert.ok(smtp.every((r) => r.startsWith("SMTP")), smtp.join("\n"));
  const order = inOrder(smtp, [
    /S: 220/, /C: EHLO/, /S: 250/, /C: MAIL FROM:<akbari@hasan\.com>/, /S: 250/,
    /C: RCPT TO:<12_5b_01@hasan\.com>/, /S: 250/, /C: DATA/, /S: 354/, /Tes Email|message|\d+ bytes/i,
    /S: 250/, /C: QUIT/, /S: 221/,
  ]);
  assert.ok(order.every((i) => i >= 0), `${order}\n${smtp.join("\n")}`);

  // Step back three times and forward again: the same rows.
  for (let i = 0; i < 3; i++) await page.getByTestId("sim-back").click();
  assert.deepEqual(await rows(page), smtp.slice(0, smtp.length - 3));
  for (let i = 0; i < 3; i++) await page.getByTestId("sim-step").click();
  assert.deepEqual(await rows(page), smtp);

  // With TCP shown too, the handshake comes before the greeting.
  await page.getByTestId("filter-tcp").click();
  const both = await rows(page);
  const syn = both.findIndex((r) => /> 25: Flags \[S\]/.test(r));
  const greeting = both.findIndex((r) => /S: 220/.test(r));
  assert.ok(syn >= 0 && syn < greeting, both.slice(0, 12).join("\n"));

  // The inspector shows the command and the TCP ports.
  await page.getByTestId("filter-tcp").click();
  // Scrolled to the top right after the filter changed the row count: the
  // list must stay where the user put it (it used to jump back to the
  // newest row, so the EHLO row was not rendered: a flaky test, and a list
  // a student could not scroll).
  await scrollEvents(page, 0);
  await page.getByTestId("event-row").filter({ hasText: "EHLO" }).first().click();
  // The inspector shows the engine's answer to the click (from its worker).
  await settled(page);
  assert.equal(await page.locator(".event-scroll").evaluate((el) => el.scrollTop), 0);
  const layers = await page.getByTestId("inspector-layers").textContent();
  assert.match(layers, /EHLO/);
  assert.match(layers, /\b25\b/);
  await page.screenshot({ path: path.join(ARTIFACTS, "s1-smtp-simulation.png") });
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});

/** Every row as {kind, text}, by scrolling through the list. */
async function kindRows(page) {
  // The list's length is the engine's answer (from its worker): read it
  // once the answer to the last click is shown.
  await settled(page);
  const scroller = page.locator(".event-scroll");
  const seen = new Map();
  const { height, view } = await scroller.evaluate((el) => ({ height: el.scrollHeight, view: el.clientHeight }));
  for (let top = 0; top <= height; top += Math.max(view - 24, 24)) {
    await scrollEvents(page, top);
    const batch = await page.getByTestId("event-row").evaluateAll((els) =>
      els.map((e) => [parseFloat(e.style.top), e.dataset.kind, `${e.dataset.proto} ${e.innerText.replace(/\s+/g, " ").trim()}`]),
    );
    for (const [t, kind, text] of batch) seen.set(t, { kind, text });
  }
  return [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
}

/** The text of the newest row (the list follows the newest event). */
async function newest(page) {
  await settled(page);
  return page.getByTestId("event-row").evaluateAll((els) => {
    const last = els.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top)).at(-1);
    return last ? `${last.dataset.proto} ${last.innerText.replace(/\s+/g, " ").trim()}` : "";
  });
}

/** Scrolls the list from the top until a row containing `text` shows, and clicks it. */
async function clickRow(page, text) {
  const scroller = page.locator(".event-scroll");
  const { height, view } = await scroller.evaluate((el) => ({ height: el.scrollHeight, view: el.clientHeight }));
  for (let top = 0; top <= height; top += Math.max(view - 48, 24)) {
    await scrollEvents(page, top);
    const row = page.getByTestId("event-row").filter({ hasText: text }).first();
    if ((await row.count()) > 0) {
      await row.scrollIntoViewIfNeeded();
      await row.click();
      // The inspector's content is the engine's answer to the click: read
      // it once that answer is shown, not the previous row's.
      await settled(page);
      return;
    }
  }
  throw new Error(`no row with ${text}`);
}

/** Number of records in a classic pcap file (checks the magic and walks the records). */
function pcapRecords(buf) {
  assert.equal(buf.readUInt32LE(0), 0xa1b2c3d4, "pcap magic");
  assert.equal(buf.readUInt32LE(20), 1, "link type Ethernet");
  let at = 24;
  let n = 0;
  while (at < buf.length) {
    const incl = buf.readUInt32LE(at + 8);
    at += 16 + incl;
    n++;
  }
  assert.equal(at, buf.length, "records fill the file exactly");
  return n;
}

test("S1 with ARP+TCP+SMTP: the full order of issue #8, inspector fields, conversation, pcap", async () => {
  const lab = await openS1InSimulation();
  const { page } = lab;
  for (const f of ["arp", "tcp", "smtp"]) await page.getByTestId(`filter-${f}`).click();
  for (let i = 0; i < 200; i++) {
    await page.getByTestId("sim-step").click();
    if (/S: 221/.test(await newest(page))) break;
  }
  const all = (await kindRows(page)).map((r) => r.text);
  assert.ok(all.every((r) => /^(ARP|TCP|SMTP) /.test(r)), all.join("\n"));
  const patterns = [
    /^ARP .*who-has/, /^ARP .*reply/, /^TCP .*> 25: Flags \[S\]/, /^TCP .*25 > \d+: Flags \[S\.\]/, /^TCP .*> 25: Flags \[\.\]/,
    /S: 220/, /C: EHLO/, /S: 250/, /C: MAIL FROM:<akbari@hasan\.com>/, /S: 250/,
    /C: RCPT TO:<12_5b_01@hasan\.com>/, /S: 250/, /C: DATA/, /S: 354/, /^SMTP .*C: (?!QUIT|DATA|RCPT|MAIL|EHLO)/,
    /S: 250/, /C: QUIT/, /S: 221/,
  ];
  const order = inOrder(all, patterns);
  assert.ok(order.every((i) => i >= 0), `${order}\n${all.join("\n")}`);

  // Step back three times and forward three times: the same rows.
  for (let i = 0; i < 3; i++) await page.getByTestId("sim-back").click();
  assert.deepEqual((await kindRows(page)).map((r) => r.text), all.slice(0, all.length - 3));
  for (let i = 0; i < 3; i++) await page.getByTestId("sim-step").click();
  assert.deepEqual((await kindRows(page)).map((r) => r.text), all);

  // The inspector on the EHLO row: layers, the TCP ports and the command in
  // the field tree; a picked field's bytes are highlighted in the hex dump.
  await clickRow(page, "C: EHLO");
  const layers = await page.getByTestId("inspector-layers").textContent();
  assert.match(layers, /EHLO/);
  const tree = page.getByTestId("field-tree");
  const dport = tree.locator('[data-label="Destination port"]').last();
  assert.match(await dport.textContent(), /25 \(SMTP\)/);
  assert.match(await tree.locator('[data-label="Source port"]').last().textContent(), /Source port: \d{4,5}/);
  await dport.click();
  const hl = await page.getByTestId("inspector-hex").locator(".hb.hl").allTextContents();
  assert.deepEqual(hl, ["00", "19"]);
  const cmd = tree.locator('[data-label="Command"]').first();
  assert.match(await cmd.textContent(), /Command: EHLO PC1/);
  await cmd.click();
  const text = (await page.getByTestId("inspector-hex").locator(".hc.hl").allTextContents()).join("");
  assert.equal(text, "EHLO PC1..");
  // Ethernet, IPv4, TCP and SMTP headers are all in the tree.
  for (const h of ["Ethernet II", "IPv4", "TCP", "SMTP"]) {
    assert.equal(await tree.locator(`[data-label="${h}"]`).count(), 1, h);
  }

  // The conversation view: the dialogue of the EHLO row's connection.
  await page.getByTestId("conversation-details").locator("summary").first().click();
  await settled(page);
  const conv = await page.getByTestId("conversation").innerText();
  assert.match(conv, /^S: 220/m);
  assert.match(conv, /^C: EHLO PC1/m);
  assert.match(conv, /^C: MAIL FROM:<akbari@hasan\.com>/m);
  assert.match(conv, /^S: 221/m);
  // Enhanced status codes (RFC 2034/3463) come with a word of explanation.
  assert.match(conv, /^S: 250 2\.1\.0 Ok/m);
  assert.match(conv, /2\.1\.0 \(RFC 3463\): success; about addressing/);
  assert.ok((await page.getByTestId("conversation-hint").count()) >= 5);
  await page.screenshot({ path: path.join(ARTIFACTS, "s1-inspector-fields.png") });

  // The capture: as many frames as the list has delivered-frame rows (all
  // protocols shown, drops excluded).
  for (const f of ["arp", "tcp", "smtp"]) await page.getByTestId(`filter-${f}`).click();
  const rowsAll = await kindRows(page);
  const delivered = rowsAll.filter((r) => r.kind === "frame" || r.kind === "tap").length;
  assert.ok(delivered > 20, `${delivered}`);
  const [dl] = await Promise.all([page.waitForEvent("download"), page.getByTestId("pcap-download").click()]);
  assert.match(dl.suggestedFilename(), /\.pcap$/);
  const buf = readFileSync(await dl.path());
  assert.equal(pcapRecords(buf), delivered);
  // One cable only: fewer frames, still a valid file.
  const options = await page.getByTestId("pcap-link").locator("option").allTextContents();
  assert.ok(options.length >= 3, options.join(" | "));
  await page.getByTestId("pcap-link").selectOption({ index: 1 });
  const [dl1] = await Promise.all([page.waitForEvent("download"), page.getByTestId("pcap-download").click()]);
  const one = pcapRecords(readFileSync(await dl1.path()));
  assert.ok(one > 0 && one < delivered, `${one} of ${delivered}`);
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});
