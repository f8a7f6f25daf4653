// Every example lab opens from the Examples menu, in both languages, without
// an error, and its devices are drawn.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, LabPage } from "./lanlab.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test("every example opens from the Examples menu", async () => {
  const lab = await LabPage.open(browser, undefined, { locale: "id-ID" });
  const { page } = lab;
  page.on("dialog", (d) => d.accept());
  const index = await page.evaluate(async () => (await (await fetch("labs/index.json")).json()).examples);
  assert.ok(index.length >= 9);
  for (const { file, title } of index) {
    await page.getByTestId("examples-menu").click();
    const item = page.getByTestId(`example-${file.replace(/\.json$/, "")}`);
    assert.equal((await item.textContent()).trim(), title.id, "titled in Bahasa Indonesia");
    await item.click();
    // Opened under its Indonesian name (the lab's own title, in the UI's language).
    await page.getByTestId("status").getByText(`Dibuka: ${title.id}`).waitFor();
    const lab_ = await page.evaluate(async (f) => (await (await fetch(`labs/${f}`)).json()), file);
    for (const d of lab_.devices) {
      await lab.device(d.name).waitFor({ state: "attached" });
    }
    assert.equal(await page.locator("g.device").count(), lab_.devices.length, file);
    assert.equal(await page.locator("g.link").count(), lab_.links.length, file);
  }
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});
