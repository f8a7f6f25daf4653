// Accessibility (issue 15): axe-core, injected by Playwright, finds no
// violation of any impact on the empty app, S1 with every tab of every
// device kind open, simulation mode with the inspector, the activity window,
// teacher mode and embed mode — at desktop and at phone size.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { deflateRawSync } from "node:zlib";
import { launch, LabPage, BASE_URL, axe } from "./lanlab.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const SIZES = {
  desktop: { width: 1366, height: 768 },
  phone: { width: 390, height: 844 },
};

function s1() {
  return JSON.parse(readFileSync(new URL("../public/labs/s1-one-server.json", import.meta.url)));
}

function link(lab, query = "") {
  return `${BASE_URL}${query}#v1.${deflateRawSync(Buffer.from(JSON.stringify(lab))).toString("base64url")}`;
}

async function open(url, size) {
  const lab = await LabPage.open(browser, url, { viewport: SIZES[size] });
  return lab;
}

/** Every visible tab, launcher and sub-tab of the selected device's panel, each opened in turn. */
async function everyTab(page, where, found) {
  const panel = page.getByTestId("side-panel");
  const tabs = panel.locator('.device-details > .tabs [role="tab"]');
  const n = await tabs.count();
  for (let i = 0; i < n; i++) {
    await tabs.nth(i).click();
    const name = (await tabs.nth(i).textContent()).trim();
    found.push(...(await axe(page, `${where} tab ${name}`)));
    const launchers = panel.locator(".launcher .launch");
    const m = await launchers.count();
    for (let j = 0; j < m; j++) {
      await launchers.nth(j).click();
      found.push(...(await axe(page, `${where} ${name} › ${(await launchers.nth(j).textContent()).trim()}`)));
    }
    const subs = panel.locator('.tabs.sub [role="tab"]');
    const k = await subs.count();
    for (let j = 0; j < k; j++) {
      await subs.nth(j).click();
      found.push(...(await axe(page, `${where} ${name} › ${(await subs.nth(j).textContent()).trim()}`)));
    }
  }
}

for (const size of ["desktop", "phone"]) {
  test(`axe finds nothing: empty app, menus, every device kind's tabs (${size})`, async () => {
    const lab = await open(BASE_URL, size);
    const { page } = lab;
    const found = [];
    found.push(...(await axe(page, `${size} empty`)));
    if (size === "phone") {
      await page.getByTestId("menu-toggle").click();
      found.push(...(await axe(page, `${size} menu`)));
      await page.getByTestId("menu-toggle").click();
    }
    // One of each kind, placed with the keyboard (Enter on the palette item).
    const kinds = await page.locator('[data-testid^="palette-"]').evaluateAll((els) => els.map((e) => e.dataset.testid));
    for (const k of kinds) {
      await page.getByTestId(k).focus();
      await page.keyboard.press("Enter");
    }
    const names = await page.locator("g.device").evaluateAll((els) => els.map((e) => e.dataset.testid.replace(/^device-/, "")));
    assert.equal(names.length, kinds.length);
    found.push(...(await axe(page, `${size} one of each kind`)));
    for (const name of names) {
      await page.getByTestId("side-panel").getByTestId("sheet-close").click().catch(() => {});
      await page.locator(`g.device[data-testid="device-${name}"]`).focus();
      await page.keyboard.press("Enter");
      await page.getByTestId("device-details").waitFor();
      await everyTab(page, `${size} ${name}`, found);
    }
    console.log(`# axe ${size} devices: ${found.length} violations`);
    assert.deepEqual(found, []);
    await page.context().close();
  });

  test(`axe finds nothing: S1 tabs, simulation with the inspector (${size})`, async () => {
    const lab = await open(link(s1()), size);
    const { page } = lab;
    const found = [];
    await lab.device("Server0").waitFor();
    found.push(...(await axe(page, `${size} S1`)));
    for (const name of ["Server0", "Switch0", "PC0"]) {
      await page.getByTestId("side-panel").getByTestId("sheet-close").click().catch(() => {});
      await page.locator(`g.device[data-testid="device-${name}"]`).focus();
      await page.keyboard.press("Enter");
      await page.getByTestId("device-details").waitFor();
      await everyTab(page, `${size} S1 ${name}`, found);
    }
    await page.getByTestId("side-panel").getByTestId("sheet-close").click().catch(() => {});
    await page.keyboard.press("Escape");
    await page.getByTestId("mode-simulation").click();
    await page.getByTestId("sim-panel").waitFor();
    for (let i = 0; i < 4; i++) await page.getByTestId("sim-step").click();
    await page.getByTestId("event-row").first().click();
    await page.getByTestId("inspector").waitFor({ state: "visible" });
    found.push(...(await axe(page, `${size} simulation + inspector`)));
    console.log(`# axe ${size} S1: ${found.length} violations`);
    assert.deepEqual(found, []);
    await page.context().close();
  });

  test(`axe finds nothing: activity window, teacher mode, embed mode (${size})`, async () => {
    const lab = s1();
    lab.actions = [];
    lab.activity = {
      i: { en: "Move **PC0** to DHCP.", id: "Pindahkan **PC0** ke DHCP." },
      c: [{ l: { en: "PC0 uses DHCP", id: "PC0 memakai DHCP" }, k: { t: "uses_dhcp", d: "PC0" } }],
    };
    const found = [];
    const a = await open(link(lab), size);
    await a.page.getByTestId("activity-panel").waitFor();
    found.push(...(await axe(a.page, `${size} activity`)));
    if (size === "phone") await a.page.getByTestId("menu-toggle").click();
    await a.page.getByTestId("teacher-mode").click();
    await a.page.getByTestId("teacher-editor").waitFor().catch(() => {});
    found.push(...(await axe(a.page, `${size} teacher`)));
    await a.page.context().close();

    const e = await open(link(lab, "?embed=1"), size);
    await e.device("PC0").waitFor();
    found.push(...(await axe(e.page, `${size} embed`)));
    await e.page.context().close();
    console.log(`# axe ${size} activity/teacher/embed: ${found.length} violations`);
    assert.deepEqual(found, []);
  });
}
