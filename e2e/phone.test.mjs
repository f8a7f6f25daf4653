// Phones and tablets (issue 15): lab S1 built by touch only, in Bahasa
// Indonesia, at 390×844 (phone) and 768×1024 (tablet portrait), then used:
// ipconfig shows a lease, the browser shows hasan.com, PC1 sends "Tes Email"
// and PC0 receives it. No step may scroll the page sideways. Then S1's
// simulation stepped on the phone: the event sheet and the inspector open
// and close.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { launch, LabPage, ARTIFACTS, BASE_URL, exampleText } from "./lanlab.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** A fresh touch context of the given size, in Indonesian, every click a tap. */
async function openTouch(width, height) {
  const lab = await LabPage.open(browser, BASE_URL, { locale: "id-ID", viewport: { width, height }, touch: true });
  const { page } = lab;
  const context = page.context();
  // Touch only: every helper's click is a tap, every check a tap.
  const proto = Object.getPrototypeOf(page.locator("body"));
  if (!proto.__tapping) {
    proto.__tapping = true;
    const click = proto.click;
    proto.click = async function (opts) {
      if (this.page().context()._touchOnly) return this.tap(opts);
      return click.call(this, opts);
    };
    const check = proto.check;
    proto.check = async function (opts) {
      if (!this.page().context()._touchOnly) return check.call(this, opts);
      if (!(await this.isChecked())) await this.tap(opts);
      assert.equal(await this.isChecked(), true);
    };
  }
  context._touchOnly = true;
  return lab;
}

/** The page never scrolls sideways: nothing is wider than the window. */
async function noSideways(page, step) {
  const { scroll, inner, wide } = await page.evaluate(() => {
    const inner = window.innerWidth;
    const wide = [...document.querySelectorAll("body *")]
      .filter((e) => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.right > inner + 1 && getComputedStyle(e).position !== "fixed";
      })
      .filter((e) => !e.closest(".palette ul, .toolbar, .sim-bar, .event-scroll, .hex, pre, .terminal, svg"))
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")}`);
    return { scroll: document.documentElement.scrollWidth, inner, wide };
  });
  assert.ok(scroll <= inner, `${step}: the page scrolls sideways (${scroll} > ${inner})`);
  assert.deepEqual(wide, [], `${step}: elements reach past the window's right edge`);
}

/** Closes the device sheet if it is open. */
async function closeSheet(page) {
  const close = page.getByTestId("side-panel").getByTestId("sheet-close");
  if (await close.isVisible()) await close.tap();
}

/** Places a device by touch: tap the palette item, then the canvas. */
async function place(lab, kind, x, y) {
  await closeSheet(lab.page);
  await lab.palette(kind).tap();
  await lab.canvas.tap({ position: { x, y } });
}

/** Cables two devices by touch: the cable tool, then a tap on each. */
async function cableByTouch(lab, a, b) {
  await closeSheet(lab.page);
  await lab.page.getByTestId("tool-cable").tap();
  await lab.device(a).locator("g.icon").tap();
  await lab.device(b).locator("g.icon").tap();
}

const HOME = `<!DOCTYPE html><html><head><title>Hasan</title></head>
<body><h1>Selamat datang di hasan.com</h1><p>Welcome to the web server of Server0.</p></body></html>`;

async function buildAndUse(lab, size, spots) {
  const { page } = lab;
  await noSideways(page, `${size} empty`);
  await place(lab, "server", ...spots.server);
  await place(lab, "switch", ...spots.switch);
  await place(lab, "pc", ...spots.pc0);
  await place(lab, "pc", ...spots.pc1);
  for (const n of ["Server0", "Switch0", "PC0", "PC1"]) await lab.device(n).waitFor();
  await noSideways(page, `${size} placed`);
  await page.screenshot({ path: path.join(ARTIFACTS, `phone_${size}_placed.png`) });
  await cableByTouch(lab, "Server0", "Switch0");
  await cableByTouch(lab, "PC0", "Switch0");
  await cableByTouch(lab, "PC1", "Switch0");
  await page.locator('g.link[data-ends="PC1|Switch0"]').waitFor({ state: "attached" });
  await page.getByTestId("tool-select").tap();
  await noSideways(page, `${size} cabled`);

  await lab.setStaticIp("Server0", "192.168.1.1", "255.255.255.0", { dns: "192.168.1.1" });
  await noSideways(page, `${size} server config`);
  await page.screenshot({ path: path.join(ARTIFACTS, `phone_${size}_config.png`) });

  await lab.service("Server0", "dhcp");
  const dhcp = page.getByTestId("dhcp-form");
  await dhcp.getByTestId("dhcp-on").check();
  await dhcp.getByTestId("dhcp-gateway").fill("192.168.1.1");
  await dhcp.getByTestId("dhcp-dns").fill("192.168.1.1");
  await dhcp.getByTestId("dhcp-start").fill("192.168.1.10");
  await dhcp.getByTestId("dhcp-mask").fill("255.255.255.0");
  await dhcp.getByTestId("dhcp-max-users").fill("50");
  await dhcp.getByTestId("dhcp-save").tap();
  await dhcp.getByTestId("dhcp-pool-row").waitFor();
  await noSideways(page, `${size} dhcp`);

  await page.getByTestId("svc-dns").tap();
  const dns = page.getByTestId("dns-form");
  await dns.getByTestId("dns-on").check();
  for (const [name, type, value] of [
    ["hasan.com", "A", "192.168.1.1"],
    ["mail.hasan.com", "A", "192.168.1.1"],
    ["hasan.com", "MX", "mail.hasan.com"],
  ]) {
    await dns.getByTestId("dns-name").fill(name);
    await dns.getByTestId("dns-type").selectOption(type);
    await dns.getByTestId("dns-value").fill(value);
    await dns.getByTestId("dns-add").tap();
  }
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="dns-record-row"]').length === 3);
  await noSideways(page, `${size} dns`);

  await page.getByTestId("svc-http").tap();
  const http = page.getByTestId("http-form");
  await http.getByTestId("http-on").check();
  await http.locator('[data-testid="http-file-row"][data-file="index.html"]').getByTestId("http-file-edit").tap();
  await http.getByTestId("http-editor").fill(HOME);
  await http.getByTestId("http-save").tap();
  await noSideways(page, `${size} http`);

  await page.getByTestId("svc-email").tap();
  const mail = page.getByTestId("email-form");
  await mail.getByTestId("email-domain").fill("hasan.com");
  await mail.getByTestId("email-domain-set").tap();
  for (const [user, pw] of [["akbari", "akbari123"], ["12_5b_01", "kelas5b"]]) {
    await mail.getByTestId("email-user").fill(user);
    await mail.getByTestId("email-password").fill(pw);
    await mail.getByTestId("email-user-add").tap();
  }
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="email-user-row"]').length === 2);
  await noSideways(page, `${size} email`);
  await page.screenshot({ path: path.join(ARTIFACTS, `phone_${size}_services.png`) });

  for (const pc of ["PC0", "PC1"]) {
    await closeSheet(page);
    await lab.select(pc);
    await lab.tab("config");
    await page.getByTestId("mode-dhcp").check();
    await page.getByTestId("ip-apply").tap();
  }

  // ipconfig shows a lease from the pool.
  await lab.device("PC1").getByTestId("device-ip").filter({ hasText: /^192\.168\.1\.\d+ \(DHCP\)$/ }).waitFor({ timeout: 20_000 });
  await closeSheet(page);
  const out = await lab.run("PC1", "ipconfig", "IPv4 Address");
  assert.match(out, /IPv4 Address[ .]*: 192\.168\.1\.(1\d|[2-5]\d)\b/);
  await noSideways(page, `${size} ipconfig`);
  await page.screenshot({ path: path.join(ARTIFACTS, `phone_${size}_ipconfig.png`) });

  // The browser shows hasan.com.
  await closeSheet(page);
  const doc = await lab.browse("PC1", "hasan.com", "Selamat datang di hasan.com");
  assert.match(await doc.textContent(), /Welcome to the web server of Server0/);
  await noSideways(page, `${size} browser`);
  await page.screenshot({ path: path.join(ARTIFACTS, `phone_${size}_browser.png`) });

  // PC1 sends "Tes Email"; PC0 receives it.
  await closeSheet(page);
  await lab.mailAccount("PC1", {
    name: "Akbari",
    address: "akbari@hasan.com",
    server: "192.168.1.1",
    user: "akbari",
    password: "akbari123",
  });
  await page.getByTestId("mail-tab-compose").tap();
  await page.getByTestId("mail-to").fill("12_5b_01@hasan.com");
  await page.getByTestId("mail-subject").fill("Tes Email");
  await page.getByTestId("mail-body").fill("Halo kelas 5B, ini email percobaan.");
  await page.getByTestId("mail-send").tap();
  assert.equal(await lab.mailDone(), "succeeded");
  assert.equal(await page.getByTestId("mail-status").locator("strong").textContent(), "Email berhasil dikirim.");
  await noSideways(page, `${size} mail sent`);

  await closeSheet(page);
  await lab.mailAccount("PC0", {
    name: "Kelas 5B",
    address: "12_5b_01@hasan.com",
    server: "192.168.1.1",
    user: "12_5b_01",
    password: "kelas5b",
  });
  await page.getByTestId("mail-tab-inbox").tap();
  await page.getByTestId("mail-receive").tap();
  assert.equal(await lab.mailDone(), "succeeded");
  const row = page.getByTestId("mail-row").filter({ hasText: "Tes Email" });
  await row.waitFor();
  await row.tap();
  assert.equal(await page.getByTestId("mail-message-subject").textContent(), "Tes Email");
  await noSideways(page, `${size} mail received`);
  await page.screenshot({ path: path.join(ARTIFACTS, `phone_${size}_mail.png`) });
}

test("S1 built and used by touch on a phone, 390×844 (id)", async () => {
  const lab = await openTouch(390, 844);
  assert.equal(await lab.page.locator("html").getAttribute("lang"), "id");
  // Devices in the canvas's upper part, above where the device sheet opens.
  await buildAndUse(lab, "390x844", {
    server: [190, 50],
    switch: [190, 150],
    pc0: [70, 240],
    pc1: [310, 240],
  });
  assert.deepEqual(lab.offLoopback, []);
  assert.deepEqual(lab.errors, []);
  await lab.page.context().close();
});

test("S1 built and used by touch on a tablet, 768×1024 (id)", async () => {
  const lab = await openTouch(768, 1024);
  // Devices left of where the device drawer opens.
  await buildAndUse(lab, "768x1024", {
    server: [150, 60],
    switch: [150, 190],
    pc0: [60, 320],
    pc1: [250, 320],
  });
  assert.deepEqual(lab.offLoopback, []);
  assert.deepEqual(lab.errors, []);
  await lab.page.context().close();
});

test("S1's simulation stepped on a phone: the event sheet and the inspector open and close", async () => {
  const lab = await openTouch(390, 844);
  const { page } = lab;
  // The header's one menu holds the examples.
  await page.getByTestId("menu-toggle").tap();
  await noSideways(page, "menu open");
  await page.screenshot({ path: path.join(ARTIFACTS, "phone_menu.png") });
  await page.getByTestId("menu-toggle").tap();

  const s1 = await exampleText("s1-one-server.json");
  await lab.openLabFile(s1);
  await lab.device("PC0").waitFor();
  await page.getByTestId("mode-simulation").tap();
  const sheet = page.getByTestId("sim-panel");
  await sheet.waitFor();
  for (let i = 0; i < 6; i++) await page.getByTestId("sim-step").tap();
  await page.getByTestId("event-row").first().waitFor();
  await noSideways(page, "simulation");
  const box = await sheet.boundingBox();
  assert.ok(box.y > 844 * 0.3, `the event sheet leaves the canvas most of the screen (top ${box.y})`);

  // Drag the sheet up: it grows.
  const grip = sheet.getByTestId("sheet-grip");
  const g = await grip.boundingBox();
  const cdp = await page.context().newCDPSession(page);
  const touch = async (type, y) =>
    cdp.send("Input.dispatchTouchEvent", {
      type,
      touchPoints: type === "touchEnd" ? [] : [{ x: g.x + g.width / 2, y, id: 1 }],
    });
  await touch("touchStart", g.y + g.height / 2);
  for (let k = 1; k <= 6; k++) await touch("touchMove", g.y + g.height / 2 - 50 * k);
  await touch("touchEnd", 0);
  await page.waitForFunction((top) => document.querySelector('[data-testid="sim-panel"]').getBoundingClientRect().top < top - 100, box.y);

  // A row opens the inspector; its back button returns to the list.
  await page.getByTestId("event-row").first().tap();
  await page.getByTestId("inspector").waitFor({ state: "visible" });
  assert.equal(await page.getByTestId("event-list").isVisible(), false);
  await noSideways(page, "inspector");
  await page.screenshot({ path: path.join(ARTIFACTS, "phone_inspector.png") });
  await page.getByTestId("inspector-back").tap();
  await page.getByTestId("event-list").waitFor({ state: "visible" });
  assert.equal(await page.getByTestId("inspector").isVisible(), false);

  // Closed, it shrinks to one button; that button opens it again.
  await sheet.getByTestId("sheet-close").tap();
  await page.getByTestId("sim-sheet-open").waitFor({ state: "visible" });
  assert.equal(await page.getByTestId("event-list").isVisible(), false);
  await page.getByTestId("sim-sheet-open").tap();
  await page.getByTestId("event-list").waitFor({ state: "visible" });
  await page.screenshot({ path: path.join(ARTIFACTS, "phone_events.png") });

  // A long press on a device opens its menu; Ports opens the device's sheet.
  await sheet.getByTestId("sheet-close").tap();
  const c = await lab.centre("PC0");
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x: c.x, y: c.y, id: 2 }] });
  await page.getByTestId("device-menu").waitFor({ timeout: 3000 });
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await page.screenshot({ path: path.join(ARTIFACTS, "phone_device_menu.png") });
  await page.getByTestId("menu-ports").tap();
  await page.getByTestId("device-details").waitFor({ state: "visible" });
  await closeSheet(page);
  await page.getByTestId("device-details").waitFor({ state: "detached" });

  assert.deepEqual(lab.offLoopback, []);
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});
