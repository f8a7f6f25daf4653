// Lab S1 in simulation mode: PC1's mail to 12_5b_01@hasan.com, stepped
// through one SMTP command and reply at a time.
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

/** Every row of the (virtualised) event list, collected by scrolling through it. */
async function rows(page) {
  const scroller = page.locator(".event-scroll");
  const seen = new Map();
  const { height, view } = await scroller.evaluate((el) => ({ height: el.scrollHeight, view: el.clientHeight }));
  for (let top = 0; top <= height; top += Math.max(view - 24, 24)) {
    await scroller.evaluate((el, t) => {
      el.scrollTop = t;
      el.dispatchEvent(new Event("scroll"));
    }, top);
    await page.waitForTimeout(30);
    const batch = await page.getByTestId("event-row").evaluateAll((els) =>
      els.map((e) => [parseFloat(e.style.top), `${e.dataset.proto} ${e.innerText.replace(/\s+/g, " ").trim()}`]),
    );
    for (const [t, text] of batch) seen.set(t, text);
  }
  return [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([, text]) => text);
}

/** Index of each pattern in order, each after the previous one. */
function inOrder(list, patterns) {
  let at = -1;
  return patterns.map((p) => {
    at = list.findIndex((r, i) => i > at && p.test(r));
    return at;
  });
}

test("S1: the SMTP dialogue appears step by step, in order", async () => {
  const lab = await LabPage.open(browser);
  const { page } = lab;
  await page.getByTestId("mode-simulation").click();
  await page.getByTestId("examples-menu").click();
  await page.getByTestId("example-s1-one-server").click();
  await lab.device("Server0").waitFor();

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
  await page.locator(".event-scroll").evaluate((el) => {
    el.scrollTop = 0;
    el.dispatchEvent(new Event("scroll"));
  });
  await page.getByTestId("event-row").filter({ hasText: "EHLO" }).first().click();
  const layers = await page.getByTestId("inspector-layers").textContent();
  assert.match(layers, /EHLO/);
  assert.match(layers, /\b25\b/);
  await page.screenshot({ path: path.join(ARTIFACTS, "s1-smtp-simulation.png") });
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});
