// The engine runs in a Web Worker whose wasm arrives after the page: until
// it does, the student builds the lab (placing, cabling, addresses, undo)
// and the simulation bar says the simulator is loading, in both languages;
// then the run starts with what was built.
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

/**
 * A page in a context of its own, opened on the app: requests off loopback
 * are refused, and `engine(path, route)` sees each request first; it
 * returns true when it answered the request itself, else it goes on.
 * (The context's route: a page's does not see its workers' requests.)
 */
async function open(locale, engine) {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const lab = new LabPage(page);
  await context.route("**/*", async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname !== "127.0.0.1" && url.hostname !== "localhost") {
      lab.offLoopback.push(url.href);
      return route.abort();
    }
    if (!(await engine(url.pathname, route))) await route.continue();
  });
  await page.goto(BASE_URL);
  await lab.canvas.waitFor({ state: "visible" });
  return { context, page, lab };
}

test("the lab is built while the engine loads; the run starts when it arrives", async () => {
  // Hold the engine's wasm back until the lab is built.
  let release;
  let asked = 0;
  const held = new Promise((r) => (release = r));
  const { context, page, lab } = await open("id-ID", async (path) => {
    if (path.endsWith("/lanlab-worker_bg.wasm")) {
      asked += 1;
      await held;
    }
    return false;
  });

  // Loading, said in the user's language (Indonesian here).
  const loading = page.getByTestId("engine-loading");
  await loading.waitFor();
  assert.match(await loading.textContent(), /Memuat simulator/);
  assert.equal(await page.getByTestId("app").getAttribute("data-engine"), "loading");

  // Building works meanwhile: devices, a cable, addresses, undo.
  await lab.dragToCanvas("pc", 150, 150);
  await lab.dragToCanvas("pc", 450, 150);
  await lab.dragToCanvas("switch", 300, 300);
  // (Not LabPage's helpers: they wait for the engine's answers.)
  for (const [a, b] of [["PC0", "Switch0"], ["PC1", "Switch0"]]) {
    await page.getByTestId("tool-cable").click();
    await lab.device(a).locator("g.icon").click();
    await lab.device(b).locator("g.icon").click();
  }
  await page.getByTestId("link-light").nth(3).waitFor();
  assert.equal(await page.getByTestId("link-light").count(), 4);
  for (const [pc, ip] of [["PC0", "192.168.1.10"], ["PC1", "192.168.1.11"]]) {
    await lab.device(pc).locator("g.icon").click();
    await page.getByTestId("tab-config").click();
    const form = page.getByTestId("ip-form");
    await form.getByTestId("mode-static").check();
    await form.getByTestId("ip-address").fill(ip);
    await form.getByTestId("ip-mask").fill("/24");
    await form.getByTestId("ip-apply").click();
  }
  await lab.dragToCanvas("server", 600, 350);
  await lab.device("Server0").waitFor();
  await page.getByTestId("undo").click();
  await lab.device("Server0").waitFor({ state: "detached" });
  assert.equal(await page.getByTestId("app").getAttribute("data-engine"), "loading", "the engine is still held");

  // The worker asked for it (and the service worker, caching it for offline use).
  assert.ok(asked >= 1, "the engine's wasm was asked for, and held");

  // The engine arrives: the notice goes, and the lab built meanwhile runs.
  release();
  await page.locator('[data-engine="ready"]').waitFor({ state: "attached" });
  await loading.waitFor({ state: "detached" });
  const out = await lab.run("PC0", "ping -n 1 192.168.1.11", "Reply from 192.168.1.11");
  assert.match(out, /Reply from 192\.168\.1\.11/);
  assert.deepEqual(lab.errors, []);
  assert.deepEqual(lab.offLoopback, []);
  await context.close();
});

test("an engine that cannot load is said, in the student's language, and building goes on", async () => {
  // The school's proxy cuts the engine's download.
  const { context, page, lab } = await open("id-ID", async (path, route) => {
    if (!path.endsWith("/lanlab-worker_bg.wasm")) return false;
    await route.abort("connectionreset");
    return true;
  });

  // Not "loading" for ever: what happened, and what still works.
  const failed = page.getByTestId("engine-failed");
  await failed.waitFor();
  assert.match(await failed.textContent(), /Simulator tidak dapat berjalan.*Muat ulang halaman/);
  assert.equal(await page.getByTestId("app").getAttribute("data-engine"), "failed");
  assert.equal(await page.getByTestId("engine-loading").count(), 0);
  assert.equal(await failed.getAttribute("role"), "alert");

  // Building still works, and nothing waits for an engine that is gone.
  await lab.dragToCanvas("pc", 150, 150);
  await lab.device("PC0").waitFor();
  await page.getByTestId("mode-simulation").click();
  await page.getByTestId("mode-realtime").click();
  await lab.settled();
  assert.deepEqual(lab.offLoopback, []);
  // (The browser's own console line about the failed download is expected.)
  assert.ok(lab.errors.every((e) => /engine|wasm|fetch|lanlab/i.test(e)), lab.errors.join("\n"));
  await context.close();
});

test("a worker script that does not arrive is said too (the worker's error event)", async () => {
  const { context, page, lab } = await open("en-US", async (path, route) => {
    if (!path.endsWith("/lanlab-worker_loader.js")) return false;
    await route.fulfill({ status: 404, body: "" });
    return true;
  });
  const failed = page.getByTestId("engine-failed");
  await failed.waitFor();
  assert.match(await failed.textContent(), /The simulator could not run.*Reload the page/);
  assert.equal(await page.getByTestId("app").getAttribute("data-engine"), "failed");
  assert.deepEqual(lab.offLoopback, []);
  await context.close();
});
