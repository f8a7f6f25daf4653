// Teachers embed lanlab in an LMS page; classrooms reopen it without a network.
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

test("the Embed dialog's iframe snippet works in a course page on loopback", async () => {
  const author = await LabPage.open(browser);
  await author.dragToCanvas("server", 200, 180);
  await author.device("Server0").waitFor();
  await author.page.getByTestId("embed").click();
  const snippet = await author.page.getByTestId("embed-snippet").inputValue();
  assert.match(snippet, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?embed=1#v1\.[\w-]+" title="lanlab"/);
  await author.page.context().close();

  // A course page (served on loopback) that holds only the snippet.
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const course = new URL("course-page.html", BASE_URL).href;
  await page.route(course, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<!doctype html><title>Jaringan Dasar</title><h1>Tugas 1</h1>${snippet}`,
    }),
  );
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(course);
  const frame = page.frameLocator("iframe");
  await frame.getByTestId("device-Server0").waitFor();
  // Compact UI: no file menu, an "open in full window" button instead.
  assert.equal(await frame.getByTestId("file-save").count(), 0);
  await frame.getByTestId("open-full").waitFor();
  // Works inside the frame: place a device.
  await frame.getByTestId("palette-pc").dragTo(frame.getByTestId("canvas"), { targetPosition: { x: 300, y: 300 } });
  await frame.getByTestId("device-PC0").waitFor();
  // No scrollbars inside the frame.
  const el = await page.locator("iframe").elementHandle();
  const inner = await el.contentFrame();
  const overflow = await inner.evaluate(() => ({
    v: document.documentElement.scrollHeight - document.documentElement.clientHeight,
    h: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  }));
  assert.deepEqual(overflow, { v: 0, h: 0 });
  // "Open in full window" opens the same lab without embed mode.
  const [popup] = await Promise.all([
    context.waitForEvent("page"),
    frame.getByTestId("open-full").click(),
  ]);
  await popup.waitForLoadState();
  assert.ok(!popup.url().includes("embed=1"), popup.url());
  await popup.getByTestId("device-PC0").waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test("after one visit the app opens again with the network cut", async () => {
  const lab = await LabPage.open(browser);
  await lab.dragToCanvas("router", 250, 200);
  await lab.device("Router0").waitFor();
  const { page } = lab;
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.waitForFunction(async () => {
    const keys = await caches.keys();
    if (!keys.length) return false;
    const c = await caches.open(keys[0]);
    const urls = (await c.keys()).map((r) => r.url);
    // The engine's worker files too: index.html does not name them. And
    // the page's parts loaded on first use (the side panel's part opens the
    // router's console below, offline).
    const files = [
      "_bg.wasm", ".js", "labs/index.json", "lanlab-worker_loader.js", "lanlab-worker.js", "lanlab-worker_bg.wasm",
      "-split.js", "-split_panels.wasm", "-split_simulation.wasm", "-split_teacher.wasm",
    ];
    return files.every((end) => urls.some((u) => u.endsWith(end)));
  });
  await page.context().setOffline(true);
  await page.reload();
  await lab.canvas.waitFor();
  await lab.device("Router0").waitFor();
  // The engine's worker starts from the cache: the router's console answers.
  await page.locator('[data-engine="ready"]').waitFor({ state: "attached" });
  await lab.cli("Router0");
  await lab.consoleLine("enable");
  assert.equal(await page.getByTestId("console-prompt").textContent(), "Router0#");
  // The Examples menu still lists the shipped labs.
  await page.getByTestId("examples-menu").click();
  const listed = await page.getByTestId("examples-menu").locator("button").count();
  const index = await page.evaluate(async () => (await (await fetch("labs/index.json")).json()).examples.length);
  assert.equal(listed, index);
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});
