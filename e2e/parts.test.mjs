// The page's first load is the canvas; the side panel's forms, simulation
// mode and teacher mode are parts of the page's wasm fetched when first used
// (`src/chunks.rs`, cut by `cargo xtask dist`). A student builds before they
// arrive, sees them arrive, and when one cannot be fetched is told so, in
// their language, with a button that tries again.
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

/** A lazy part's own module: `lanlab-app-<hash>-split_<part>.wasm`. */
const partFile = (part) => new RegExp(`/lanlab-app-[0-9a-f]+-split_${part}\\.wasm$`);

/**
 * A page in a context of its own (no service worker, so every request is
 * seen here), opened on the app; `hold(path, route)` sees each request
 * first and returns true when it answered the request itself.
 */
async function open(locale, hold) {
  const context = await browser.newContext({
    locale,
    viewport: { width: 1280, height: 800 },
    serviceWorkers: "block",
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const lab = new LabPage(page);
  const fetched = [];
  await context.route("**/*", async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname !== "127.0.0.1" && url.hostname !== "localhost") {
      lab.offLoopback.push(url.href);
      return route.abort();
    }
    fetched.push(url.pathname);
    if (!(await hold(url.pathname, route))) await route.continue();
  });
  await page.goto(BASE_URL);
  await lab.canvas.waitFor({ state: "visible" });
  return { context, page, lab, fetched };
}

test("the canvas works before the panels arrive; they show when they do", async () => {
  let release;
  const held = new Promise((r) => (release = r));
  let asked = 0;
  const { context, page, lab, fetched } = await open("en-US", async (path) => {
    if (partFile("panels").test(path)) {
      asked += 1;
      await held;
    }
    return false;
  });
  // The page's own wasm is in parts: the panels' module is not part of the
  // first load (it is asked for later, and held here).
  assert.ok(fetched.some((p) => /lanlab-app-[0-9a-f]+_bg\.wasm$/.test(p)), fetched.join("\n"));

  // Building goes on without the panels: place two PCs, cable them, undo.
  await lab.dragToCanvas("pc", 200, 200);
  await lab.dragToCanvas("pc", 420, 200);
  await lab.cable("PC0", "PC1");
  assert.equal(await page.locator("g.link").count(), 1);

  // Selecting a device asks for the panels and says they are loading.
  await page.getByTestId("tool-select").click();
  await lab.select("PC0");
  await page.getByTestId("part-loading").waitFor();
  assert.ok(asked >= 1, "the panels' module was asked for");
  assert.equal(await page.getByTestId("tab-desktop").count(), 0);

  // They arrive: the device's tabs, and they work.
  release();
  await page.getByTestId("tab-config").waitFor();
  await lab.setStaticIp("PC0", "192.168.1.10", "255.255.255.0");
  await lab.select("PC1");
  await page.getByTestId("tab-config").waitFor();
  assert.equal(await page.getByTestId("part-loading").count(), 0);
  assert.deepEqual(lab.errors, []);
  await context.close();
});

test("a part that cannot be fetched is said, in the student's language; trying again loads it", async () => {
  let failing = true;
  const { context, page, lab } = await open("id-ID", async (path, route) => {
    if (failing && partFile("panels").test(path)) {
      await route.abort("internetdisconnected");
      return true;
    }
    return false;
  });
  await lab.dragToCanvas("pc", 200, 200);
  await page.getByTestId("tool-select").click();
  await lab.select("PC0");
  const failed = page.getByTestId("part-failed");
  await failed.waitFor();
  assert.match(await failed.textContent(), /tidak dapat diunduh/);
  assert.equal(await failed.getAttribute("role"), "alert");
  // The lab is untouched: the device is still there, and undo still works.
  assert.equal(await lab.device("PC0").count(), 1);

  // The connection is back: "Coba lagi" fetches the part and shows the panel.
  failing = false;
  await page.getByTestId("part-retry").click();
  await page.getByTestId("tab-config").waitFor();
  assert.equal(await page.getByTestId("part-failed").count(), 0);
  await context.close();
});

test("simulation mode's panel is a part too, fetched when the engine is ready", async () => {
  const { context, page, lab, fetched } = await open("en-US", async () => false);
  await page.waitForFunction(() => document.querySelector('[data-testid="app"]')?.dataset.engine === "ready");
  // Fetched once the engine is here, before anyone asks (so it opens at once).
  for (let i = 0; i < 50 && !fetched.some((p) => partFile("simulation").test(p)); i += 1) {
    await page.waitForTimeout(100);
  }
  assert.ok(fetched.some((p) => partFile("simulation").test(p)), fetched.join("\n"));
  assert.ok(fetched.some((p) => partFile("panels").test(p)), fetched.join("\n"));
  await lab.dragToCanvas("pc", 200, 200);
  await page.getByTestId("mode-simulation").click();
  await page.getByTestId("sim-panel").waitFor();
  await page.getByTestId("event-list").waitFor();
  assert.equal(await page.getByTestId("part-loading").count(), 0);
  assert.deepEqual(lab.errors, []);
  await context.close();
});
