// The lab survives a reload, travels in a link, and a bad link or a shared
// lab never silently replaces the user's work.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, LabPage, BASE_URL } from "./lanlab.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function buildSmallLab(lab) {
  await lab.dragToCanvas("pc", 150, 150);
  await lab.dragToCanvas("switch", 400, 150);
  await lab.cable("PC0", "Switch0");
  await lab.page.locator("g.link").waitFor({ state: "attached" });
}

async function copyLink(lab) {
  await lab.page.getByTestId("copy-link").click();
  return lab.page.getByTestId("share-link").inputValue();
}

test("the lab is autosaved and back after a reload", async () => {
  const lab = await LabPage.open(browser);
  await buildSmallLab(lab);
  await lab.page.reload();
  await lab.device("PC0").waitFor();
  await lab.device("Switch0").waitFor();
  assert.equal(await lab.page.locator("g.link").getAttribute("data-ends"), "PC0|Switch0");
  assert.deepEqual(lab.errors, []);
  await lab.page.context().close();
});

test("a share link opens the same lab in a fresh browser", async () => {
  const author = await LabPage.open(browser);
  await buildSmallLab(author);
  const link = await copyLink(author);
  assert.match(link, /#v1\.[A-Za-z0-9_-]+$/);
  assert.match(await author.page.getByTestId("status").textContent(), /Link copied \(\d+\)/);
  await author.page.context().close();

  const student = await LabPage.open(browser, link);
  await student.device("PC0").waitFor();
  await student.device("Switch0").waitFor();
  assert.equal(await student.page.locator("g.link").getAttribute("data-ends"), "PC0|Switch0");
  // The link is taken out of the address bar once read.
  assert.ok(!student.page.url().includes("#v1."), student.page.url());
  assert.deepEqual(student.errors, []);
  await student.page.context().close();
});

test("bad links say why and leave the autosaved lab alone", async () => {
  const lab = await LabPage.open(browser);
  await buildSmallLab(lab);
  const good = await copyLink(lab);
  const data = good.split("#")[1];
  const bad = {
    truncated: data.slice(0, Math.floor(data.length / 2)),
    corrupt: data.replace(/.{8}$/, "@@@@@@@@"),
    newer: "v9." + data.slice(3),
  };
  const expected = {
    truncated: /damaged or cut short/,
    corrupt: /damaged/,
    newer: /newer lanlab/,
  };
  for (const [kind, fragment] of Object.entries(bad)) {
    await lab.page.goto(`${BASE_URL}#${fragment}`);
    await lab.device("PC0").waitFor();
    const status = await lab.page.getByTestId("status").textContent();
    assert.match(status, expected[kind], `${kind}: ${status}`);
    assert.equal(await lab.page.locator("g.device").count(), 2, `${kind}: lab untouched`);
  }
  await lab.page.context().close();
});

test("a shared lab asks before replacing the user's own", async () => {
  const author = await LabPage.open(browser);
  await author.dragToCanvas("router", 200, 200);
  await author.device("Router0").waitFor();
  const link = await copyLink(author);
  await author.page.context().close();

  const student = await LabPage.open(browser);
  await buildSmallLab(student);
  await student.page.goto(link);
  const dialog = student.page.getByTestId("shared-lab-dialog");
  await dialog.waitFor();
  await student.page.getByTestId("keep-mine").click();
  await dialog.waitFor({ state: "detached" });
  assert.equal(await student.device("PC0").count(), 1);
  assert.equal(await student.device("Router0").count(), 0);

  await student.page.goto(link);
  await dialog.waitFor();
  await student.page.getByTestId("open-shared").click();
  await student.device("Router0").waitFor();
  assert.equal(await student.device("PC0").count(), 0);
  assert.deepEqual(student.errors, []);
  await student.page.context().close();
});
