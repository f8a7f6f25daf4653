// Links of earlier versions keep opening; a decompression bomb, a lab of a
// newer schema inside a link and a link of a newer encoding each give a
// clear message and leave the autosaved lab untouched.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { deflateRawSync } from "node:zlib";
import { launch, LabPage, BASE_URL } from "./lanlab.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const fixture = (p) =>
  readFileSync(new URL(`../crates/sim/tests/fixtures/${p}`, import.meta.url), "utf8").trim();

test("a version-1 link opens the same lab today", async () => {
  const lab = await LabPage.open(browser, BASE_URL + fixture("v1/s1-one-server.link.txt"));
  for (const d of ["Server0", "Switch0", "PC0", "PC1"]) await lab.device(d).waitFor();
  assert.equal(await lab.page.locator("g.link").count(), 3);
  assert.deepEqual(lab.errors, []);
  await lab.page.context().close();
});

test("bomb, newer schema and newer encoding say why and leave the autosave alone", async () => {
  const lab = await LabPage.open(browser);
  await lab.dragToCanvas("pc", 150, 150);
  await lab.dragToCanvas("switch", 400, 150);
  await lab.device("Switch0").waitFor();
  const saved = () => lab.page.evaluate(() => localStorage.getItem("lanlab.autosave"));
  const before = await saved();
  assert.ok(before && before.includes("Switch0"));

  const bomb = "v1." + deflateRawSync(Buffer.alloc(5 << 20, 32)).toString("base64url");
  assert.ok(bomb.length < 20_000, `the bomb is small: ${bomb.length}`);
  const cases = {
    bomb: [bomb, /larger than \d+ bytes/],
    "newer schema": [fixture("newer/v99.link.txt").slice(1), /made with a newer lanlab \(format 99/],
    "newer encoding": [fixture("newer/encoding-v2.link.txt").slice(1), /made with a newer lanlab \(link format 2\)/],
  };
  for (const [kind, [fragment, message]] of Object.entries(cases)) {
    await lab.page.goto(`${BASE_URL}#${fragment}`);
    await lab.device("PC0").waitFor();
    const status = await lab.page.getByTestId("status").textContent();
    assert.match(status, message, `${kind}: ${status}`);
    assert.equal(await lab.page.locator("g.device").count(), 2, `${kind}: lab untouched`);
    assert.equal(await saved(), before, `${kind}: autosave untouched`);
  }
  assert.deepEqual(lab.errors, []);
  await lab.page.context().close();
});
