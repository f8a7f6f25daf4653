// The app shell, used as a new user would: place devices, cable them, switch
// the language, and do it all again from a sub-path.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { launch, LabPage, BASE_URL, SUB_URL, ARTIFACTS } from "./lanlab.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("a new user places a PC and a switch, cables them, and switches language", async (t) => {
  const lab = await LabPage.open(browser);
  t.diagnostic(`navigation to interactive canvas: ${lab.loadMs} ms`);
  const { page } = lab;

  await lab.dragToCanvas("pc", 160, 220);
  await lab.dragToCanvas("switch", 460, 220);
  await lab.device("PC0").waitFor();
  await lab.device("Switch0").waitFor();

  // Each device landed where it was dropped.
  const canvasBox = await lab.canvas.boundingBox();
  const pc = await lab.centre("PC0");
  assert.ok(Math.abs(pc.x - (canvasBox.x + 160)) < 8, `PC0 x ${pc.x}`);
  assert.ok(Math.abs(pc.y - (canvasBox.y + 220)) < 12, `PC0 y ${pc.y}`);

  await lab.cable("PC0", "Switch0");
  const link = page.locator("g.link");
  await link.waitFor({ state: "attached" });
  assert.equal(await link.count(), 1);
  assert.equal(await link.getAttribute("data-ends"), "PC0|Switch0");

  // The cable is drawn from one device to the other.
  const line = link.locator("line.link-line");
  const [x1, y1, x2, y2] = await Promise.all(
    ["x1", "y1", "x2", "y2"].map(async (a) => Number(await line.getAttribute(a))),
  );
  assert.deepEqual([Math.round(x1), Math.round(y1)], [160, 220]);
  assert.deepEqual([Math.round(x2), Math.round(y2)], [460, 220]);
  await assert.doesNotReject(
    page.getByTestId("status").getByText("PC0 FastEthernet0").waitFor({ timeout: 2000 }),
  );

  // Listed on both devices.
  await lab.select("PC0");
  await lab.tab("ports");
  await assert.doesNotReject(
    lab.sidePanel.getByTestId("port-connected").getByText("Switch0 FastEthernet0/1").waitFor({ timeout: 2000 }),
  );
  assert.equal(await page.getByTestId("panel-device-name").textContent(), "PC0");
  await lab.select("Switch0");
  await assert.doesNotReject(
    lab.sidePanel.getByTestId("port-connected").getByText("PC0 FastEthernet0").waitFor({ timeout: 2000 }),
  );

  // Moving a device drags its cable along.
  await lab.device("Switch0").locator("g.icon").dragTo(lab.canvas, { targetPosition: { x: 460, y: 400 } });
  await page.waitForFunction(() => {
    const l = document.querySelector("g.link line.link-line");
    return l && Math.abs(Number(l.getAttribute("y2")) - 400) < 12;
  });

  // Bahasa Indonesia, then back.
  await lab.setLanguage("id");
  await assert.doesNotReject(page.locator("#palette-title").getByText("Perangkat").waitFor({ timeout: 2000 }));
  assert.equal(await page.getByTestId("tagline").textContent(), "Lab jaringan");
  assert.match(await page.getByTestId("tool-cable").textContent(), /Kabel/);
  assert.equal(await page.locator("html").getAttribute("lang"), "id");
  await lab.setLanguage("en");
  await assert.doesNotReject(page.locator("#palette-title").getByText("Devices").waitFor({ timeout: 2000 }));
  assert.equal(await page.getByTestId("tagline").textContent(), "Network lab");

  await page.screenshot({ path: path.join(ARTIFACTS, "shell.png") });
  assert.deepEqual(lab.errors, [], "no errors in the console");
  assert.deepEqual(lab.offLoopback, [], "no request left loopback");
  await page.context().close();
});

test("click-to-place, delete with the keyboard, and an Indonesian browser starts in Bahasa", async () => {
  const lab = await LabPage.open(browser, BASE_URL, { locale: "id-ID" });
  const { page } = lab;
  await assert.doesNotReject(page.locator("#palette-title").getByText("Perangkat").waitFor({ timeout: 2000 }));

  await lab.palette("router").click();
  await lab.canvas.click({ position: { x: 300, y: 200 } });
  await lab.device("Router0").waitFor();
  await lab.palette("server").click();
  await lab.canvas.click({ position: { x: 500, y: 200 } });
  await lab.device("Server0").waitFor();
  await lab.cable("Router0", "Server0");
  await page.locator("g.link").waitFor({ state: "attached" });

  // Deleting the router takes its cable with it.
  await lab.select("Router0");
  await page.keyboard.press("Delete");
  await lab.device("Router0").waitFor({ state: "detached" });
  assert.equal(await page.locator("g.link").count(), 0);
  assert.equal(await lab.device("Server0").count(), 1);
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});

test("dist/ works from a sub-path", async () => {
  const lab = await LabPage.open(browser, SUB_URL);
  await lab.dragToCanvas("laptop", 200, 200);
  await lab.device("Laptop0").waitFor();
  assert.deepEqual(lab.errors, []);
  await lab.page.context().close();
});
