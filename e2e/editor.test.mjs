// The canvas editor as a user meets it: undo/redo of every kind of edit,
// box selection and group moves, inline rename, pan/zoom/fit, touch, link
// lights and power, keyboard, high contrast.
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

const near = (a, b, tol, msg) => assert.ok(Math.abs(a - b) <= tol, `${msg}: ${a} vs ${b} (±${tol})`);

async function pcAndSwitch(lab) {
  await lab.dragToCanvas("pc", 150, 150);
  await lab.dragToCanvas("switch", 400, 150);
  await lab.cable("PC0", "Switch0");
  await lab.page.locator("g.link").waitFor({ state: "attached" });
}

async function linkCount(lab) {
  return lab.page.locator("g.link").count();
}

async function lightStates(lab) {
  // The lights show what the engine (in its worker) pushed: read once it answered.
  await lab.settled();
  return lab.page.getByTestId("link-light").evaluateAll((es) => es.map((e) => e.dataset.state));
}

test("undo and redo every kind of edit, keeping ids", async () => {
  const lab = await LabPage.open(browser);
  const { page } = lab;
  assert.ok(await page.getByTestId("undo").isDisabled(), "nothing to undo at first");

  // Add.
  await lab.dragToCanvas("pc", 150, 150);
  await lab.dragToCanvas("switch", 400, 150);
  const switchId = await lab.device("Switch0").getAttribute("data-id");
  await lab.undo();
  await lab.device("Switch0").waitFor({ state: "detached" });
  assert.ok(!(await page.getByTestId("redo").isDisabled()));
  await lab.redo();
  assert.equal(await lab.device("Switch0").getAttribute("data-id"), switchId, "redo restores the same id");

  // Move: one drag is one step.
  const before = await lab.devicePos("PC0");
  await lab.dragDevice("PC0", 120, 80);
  const moved = await lab.devicePos("PC0");
  near(moved.x - before.x, 120, 2, "moved x");
  near(moved.y - before.y, 80, 2, "moved y");
  await lab.undo();
  assert.deepEqual(await lab.devicePos("PC0"), before);
  await lab.redo();
  assert.deepEqual(await lab.devicePos("PC0"), moved);

  // Rename (inline).
  await lab.renameInline("PC0", "Meja1");
  await lab.device("Meja1").waitFor();
  await lab.undo();
  await lab.device("PC0").waitFor();
  await lab.redo();
  await lab.device("Meja1").waitFor();

  // Connect.
  await lab.cable("Meja1", "Switch0");
  await page.locator("g.link").waitFor();
  const linkId = await page.locator("g.link").getAttribute("data-testid");
  await lab.undo();
  assert.equal(await linkCount(lab), 0);
  await lab.redo();
  assert.equal(await page.locator("g.link").getAttribute("data-testid"), linkId);

  // Set IP (through the Config tab), shown in the label.
  await lab.setStaticIp("Meja1", "192.168.1.10", "255.255.255.0");
  await lab.device("Meja1").getByTestId("device-ip").filter({ hasText: "192.168.1.10" }).waitFor();
  await lab.undo();
  assert.equal(await lab.device("Meja1").getByTestId("device-ip").textContent(), "");
  await lab.redo();
  assert.equal(await lab.device("Meja1").getByTestId("device-ip").textContent(), "192.168.1.10");

  // Power.
  await lab.select("Meja1");
  await page.getByTestId("power").click();
  assert.equal(await lab.device("Meja1").getAttribute("data-power"), "off");
  assert.deepEqual(await lightStates(lab), ["down", "down"]);
  await lab.undo();
  assert.equal(await lab.device("Meja1").getAttribute("data-power"), "on");
  assert.deepEqual(await lightStates(lab), ["up", "up"]);
  await lab.redo();
  assert.equal(await lab.device("Meja1").getAttribute("data-power"), "off");
  await lab.undo();

  // Delete a device with its cable: one step brings both back, same ids.
  await lab.select("Switch0");
  await page.keyboard.press("Delete");
  await lab.device("Switch0").waitFor({ state: "detached" });
  assert.equal(await linkCount(lab), 0);
  await page.keyboard.press("Control+z");
  await lab.device("Switch0").waitFor();
  assert.equal(await lab.device("Switch0").getAttribute("data-id"), switchId);
  assert.equal(await page.locator("g.link").getAttribute("data-testid"), linkId);
  assert.equal(await page.locator("g.link").getAttribute("data-ends"), "Meja1|Switch0");
  await page.keyboard.press("Control+Shift+z");
  await lab.device("Switch0").waitFor({ state: "detached" });
  await page.keyboard.press("Control+y"); // nothing left to redo: no change
  await page.keyboard.press("Control+z");
  await lab.device("Switch0").waitFor();

  // Undo all the way back to the empty canvas, then a new edit clears redo.
  while (!(await page.getByTestId("undo").isDisabled())) await lab.undo();
  assert.equal(await page.locator("g.device").count(), 0);
  await lab.dragToCanvas("router", 300, 300);
  assert.ok(await page.getByTestId("redo").isDisabled(), "a new edit clears redo");

  // Not while typing: Ctrl+Z in a text field is the field's own undo.
  await lab.select("Router0");
  await page.getByTestId("rename-input").focus();
  await page.keyboard.press("Control+z");
  await lab.device("Router0").waitFor();

  // A new lab forgets history.
  page.once("dialog", (d) => d.accept());
  await page.getByTestId("file-new").click();
  await lab.device("Router0").waitFor({ state: "detached" });
  assert.ok(await page.getByTestId("undo").isDisabled());
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});

test("box select, shift-click, group move and group delete are one step each", async () => {
  const lab = await LabPage.open(browser);
  const { page } = lab;
  await lab.dragToCanvas("pc", 120, 120);
  await lab.dragToCanvas("pc", 260, 120);
  await lab.dragToCanvas("server", 500, 350);
  // A box around the two PCs only.
  await lab.boxSelect({ x: 60, y: 60 }, { x: 330, y: 200 });
  assert.equal(await page.locator("g.device.selected").count(), 2);
  assert.match(await page.getByTestId("selected-count").textContent(), /^2 /);
  // Shift+click adds the server, then removes it again.
  await page.keyboard.down("Shift");
  await lab.select("Server0");
  assert.equal(await page.locator("g.device.selected").count(), 3);
  await lab.select("Server0");
  await page.keyboard.up("Shift");
  assert.equal(await page.locator("g.device.selected").count(), 2);

  const a0 = await lab.devicePos("PC0");
  const b0 = await lab.devicePos("PC1");
  const s0 = await lab.devicePos("Server0");
  await lab.dragDevice("PC1", 60, 150);
  const a1 = await lab.devicePos("PC0");
  const b1 = await lab.devicePos("PC1");
  near(a1.x - a0.x, 60, 2, "PC0 moved with the group");
  near(b1.y - b0.y, 150, 2, "PC1 moved");
  assert.deepEqual(await lab.devicePos("Server0"), s0, "the unselected server stays");
  await lab.undo();
  assert.deepEqual(await lab.devicePos("PC0"), a0);
  assert.deepEqual(await lab.devicePos("PC1"), b0);
  // Both still selected: Delete removes both, one undo brings both back.
  assert.equal(await page.locator("g.device.selected").count(), 2);
  await page.keyboard.press("Delete");
  assert.equal(await page.locator("g.device").count(), 1);
  await lab.undo();
  assert.equal(await page.locator("g.device").count(), 3);
  // A click on empty canvas clears the selection; Escape too.
  await page.mouse.click(...Object.values(await lab.canvasPoint(700, 500)));
  assert.equal(await page.locator("g.device.selected").count(), 0);
  await lab.select("PC0");
  await page.keyboard.press("Escape");
  assert.equal(await page.locator("g.device.selected").count(), 0);
  // Ctrl+A selects every device; shortcuts work with focus on a checkbox.
  await page.getByTestId("high-contrast").focus();
  await page.keyboard.press("Control+a");
  assert.equal(await page.locator("g.device.selected").count(), 3);
  await page.keyboard.press("Escape");
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});

test("inline rename: Enter saves, Escape cancels, a duplicate name is refused", async () => {
  const lab = await LabPage.open(browser);
  const { page } = lab;
  await lab.dragToCanvas("pc", 150, 150);
  await lab.dragToCanvas("pc", 350, 150);
  await lab.renameInline("PC0", "Kasir");
  await lab.device("Kasir").waitFor();
  assert.equal(await page.getByTestId("rename-inline").count(), 0);
  // Escape cancels.
  await lab.device("Kasir").getByTestId("device-label").dblclick();
  await page.getByTestId("rename-inline").fill("Gudang");
  await page.getByTestId("rename-inline").press("Escape");
  await lab.device("Kasir").waitFor();
  assert.equal(await lab.device("Gudang").count(), 0);
  // A duplicate stays in the field, marked, with the reason in the status bar.
  await lab.renameInline("PC1", "kasir");
  const input = page.getByTestId("rename-inline");
  assert.equal(await input.getAttribute("aria-invalid"), "true");
  assert.match(await page.getByTestId("status").textContent(), /already used/);
  await input.fill("Gudang");
  await input.press("Enter");
  await lab.device("Gudang").waitFor();
  // F2 on a focused device opens the field too.
  await lab.device("Gudang").focus();
  await page.keyboard.press("F2");
  await page.getByTestId("rename-inline").waitFor();
  await page.keyboard.press("Escape");
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});

test("zoom buttons, wheel, pan and fit keep the pointer mapping right", async () => {
  const lab = await LabPage.open(browser);
  const { page } = lab;
  await lab.dragToCanvas("pc", 200, 200);
  const w0 = (await lab.device("PC0").locator("g.icon").boundingBox()).width;
  await page.getByTestId("zoom-in").click();
  assert.equal(await page.getByTestId("zoom-level").textContent(), "125%");
  const w1 = (await lab.device("PC0").locator("g.icon").boundingBox()).width;
  near(w1 / w0, 1.25, 0.02, "icon scaled");
  await page.getByTestId("zoom-out").click();
  await page.getByTestId("zoom-out").click();
  assert.equal(await page.getByTestId("zoom-level").textContent(), "80%");

  // The wheel zooms around the pointer: the device under it stays put.
  const c0 = await lab.centre("PC0");
  await page.mouse.move(c0.x, c0.y);
  await page.mouse.wheel(0, -300);
  await page.waitForFunction(() => Number(document.querySelector("[data-testid=canvas]").dataset.zoom) > 0.81);
  const c1 = await lab.centre("PC0");
  near(c1.x, c0.x, 2, "x under the pointer");
  near(c1.y, c0.y, 2, "y under the pointer");

  // A device dropped after zooming lands under the pointer.
  await lab.dragToCanvas("switch", 450, 300);
  const box = await lab.canvas.boundingBox();
  const sc = await lab.centre("Switch0");
  near(sc.x, box.x + 450, 4, "drop x");
  near(sc.y, box.y + 300, 4, "drop y");

  // Pan with the Hand tool: everything moves with the pointer.
  await page.getByTestId("tool-hand").click();
  const p0 = await lab.centre("PC0");
  await lab.mouseDrag(await lab.canvasPoint(600, 450), await lab.canvasPoint(500, 400));
  const p1 = await lab.centre("PC0");
  near(p1.x - p0.x, -100, 2, "panned x");
  near(p1.y - p0.y, -50, 2, "panned y");
  await page.getByTestId("tool-select").click();
  // Middle button pans too.
  const from = await lab.canvasPoint(600, 450);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down({ button: "middle" });
  await page.mouse.move(from.x + 40, from.y + 40, { steps: 4 });
  await page.mouse.up({ button: "middle" });
  const p2 = await lab.centre("PC0");
  near(p2.x - p1.x, 40, 2, "middle-button pan");
  // Space + drag pans as well (and does not draw a selection box).
  const selectedBefore = await page.locator("g.device.selected").count();
  await page.keyboard.down(" ");
  await lab.mouseDrag(await lab.canvasPoint(600, 450), await lab.canvasPoint(580, 430));
  await page.keyboard.up(" ");
  const p3 = await lab.centre("PC0");
  near(p3.x - p2.x, -20, 2, "space pan x");
  near(p3.y - p2.y, -20, 2, "space pan y");
  assert.equal(await page.locator("g.device.selected").count(), selectedBefore, "no box selection");

  // Move a device far away, then Fit shows everything inside the canvas.
  await lab.dragDevice("Switch0", 0, -250);
  await page.getByTestId("zoom-in").click();
  await page.getByTestId("zoom-in").click();
  await page.getByTestId("zoom-fit").click();
  const cb = await lab.canvas.boundingBox();
  for (const name of ["PC0", "Switch0"]) {
    const b = await lab.device(name).boundingBox();
    assert.ok(b.x >= cb.x && b.y >= cb.y && b.x + b.width <= cb.x + cb.width && b.y + b.height <= cb.y + cb.height, `${name} inside after fit`);
  }
  // Pointer mapping still right after fit: a drag moves by pointer/zoom.
  const z = await lab.zoom();
  const before = await lab.devicePos("PC0");
  await lab.dragDevice("PC0", 50, 0);
  near((await lab.devicePos("PC0")).x - before.x, 50 / z, 2, "drag after fit");
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});

test("touch: place, cable, drag and pinch with a finger", async () => {
  const context = await browser.newContext({ hasTouch: true, isMobile: false, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const lab = new LabPage(page);
  await page.goto(BASE_URL);
  await lab.canvas.waitFor();
  const tap = async (locator) => {
    const b = await locator.boundingBox();
    await page.touchscreen.tap(b.x + b.width / 2, b.y + b.height / 2);
  };
  const tapCanvas = async (x, y) => {
    const p = await lab.canvasPoint(x, y);
    await page.touchscreen.tap(p.x, p.y);
  };
  // Place: tap the palette, tap the canvas.
  await tap(lab.palette("pc"));
  await tapCanvas(200, 200);
  await lab.device("PC0").waitFor();
  await tap(lab.palette("switch"));
  await tapCanvas(450, 200);
  await lab.device("Switch0").waitFor();
  const sc = await lab.centre("Switch0");
  const box = await lab.canvas.boundingBox();
  near(sc.x, box.x + 450, 4, "placed where tapped");
  // Cable: tap the tool, then both devices.
  await tap(page.getByTestId("tool-cable"));
  await tap(lab.device("PC0").locator("g.icon"));
  await tap(lab.device("Switch0").locator("g.icon"));
  await page.locator("g.link").waitFor();
  assert.equal(await page.locator("g.link").getAttribute("data-ends"), "PC0|Switch0");
  assert.deepEqual(await lightStates(lab), ["up", "up"]);

  // Drag a device with a finger (touch pointer events through CDP).
  const cdp = await context.newCDPSession(page);
  const touch = (type, points) => cdp.send("Input.dispatchTouchEvent", { type, touchPoints: points.map(([x, y], id) => ({ x, y, id })) });
  const before = await lab.devicePos("PC0");
  const c = await lab.centre("PC0");
  await touch("touchStart", [[c.x, c.y]]);
  for (let i = 1; i <= 6; i++) await touch("touchMove", [[c.x + 10 * i, c.y + 5 * i]]);
  await touch("touchEnd", []);
  const after = await lab.devicePos("PC0");
  near(after.x - before.x, 60, 3, "touch drag x");
  near(after.y - before.y, 30, 3, "touch drag y");

  // Pinch on empty canvas zooms in.
  const m = await lab.canvasPoint(600, 450);
  await touch("touchStart", [[m.x - 40, m.y], [m.x + 40, m.y]]);
  for (let i = 1; i <= 6; i++) await touch("touchMove", [[m.x - 40 - 10 * i, m.y], [m.x + 40 + 10 * i, m.y]]);
  await touch("touchEnd", []);
  const z = await lab.zoom();
  near(z, 200 / 80, 0.1, "pinch zoom: fingers 80 → 200 px apart");
  assert.deepEqual(lab.errors, []);
  await context.close();
});

test("link lights follow power; the port chooser and full devices", async () => {
  const lab = await LabPage.open(browser);
  const { page } = lab;
  await pcAndSwitch(lab);
  const fill = () => page.getByTestId("link-light").evaluateAll((es) => es.map((e) => getComputedStyle(e).fill));
  const [green] = await fill();
  assert.deepEqual(await lightStates(lab), ["up", "up"]);
  await lab.select("Switch0");
  await page.getByTestId("power").click();
  assert.deepEqual(await lightStates(lab), ["down", "down"]);
  const [red] = await fill();
  assert.notEqual(red, green);
  assert.match(green, /rgb\(27, 127, 59\)/);
  assert.match(red, /rgb\(198, 40, 40\)/);
  assert.equal(await lab.device("Switch0").evaluate((e) => getComputedStyle(e.querySelector("g.icon")).opacity), "0.35");
  await page.getByTestId("power").click();
  assert.deepEqual(await lightStates(lab), ["up", "up"]);

  // Choose ports: a second PC on the switch's GigabitEthernet0/2.
  await lab.dragToCanvas("pc", 400, 350);
  await page.getByTestId("tool-cable").click();
  await page.getByTestId("choose-ports").check();
  await lab.cable("PC1", "Switch0");
  const picker = page.getByTestId("port-picker");
  await picker.waitFor();
  const options = await picker.getByTestId("port-b").locator("option").allTextContents();
  assert.ok(!options.includes("FastEthernet0/1"), "a used port is not offered");
  await picker.getByTestId("port-b").selectOption({ label: "GigabitEthernet0/2" });
  await picker.getByTestId("port-connect").click();
  await picker.waitFor({ state: "detached" });
  await lab.select("PC1");
  await lab.tab("ports");
  await page.getByTestId("port-list").getByText("Switch0 GigabitEthernet0/2").waitFor();

  // A PC has one port: cabling it again is refused with the reason.
  await page.getByTestId("tool-cable").click();
  await page.getByTestId("choose-ports").uncheck();
  await lab.device("PC0").locator("g.icon").click();
  assert.match(await page.getByTestId("status").textContent(), /PC0 has no free port/);
  assert.equal(await linkCount(lab), 2);
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});

test("link lights: amber on a switch port that spanning tree keeps from forwarding", async () => {
  const lab = await LabPage.open(browser);
  const { page } = lab;
  await lab.dragToCanvas("pc", 150, 150);
  await lab.dragToCanvas("switch", 400, 150);
  await lab.dragToCanvas("switch", 400, 400);
  await lab.cable("PC0", "Switch0");
  await lab.cable("Switch0", "Switch1");
  await lab.cable("Switch0", "Switch1");
  await lab.setStaticIp("PC0", "192.168.1.10", "/24");
  // The PC's switch port is an edge port and forwards at once; the four
  // ports between the switches listen and learn first (802.1D: 30 s).
  assert.deepEqual(await lightStates(lab), ["up", "up", "blocked", "blocked", "blocked", "blocked"]);
  const blocked = page.locator('[data-testid="link-light"][data-state="blocked"]');
  assert.match(await blocked.first().locator("title").textContent(), /STP: \w+ (BLK|LIS|LRN)/);
  // Converged: the non-root switch's second cable to the root is its
  // alternate port and stays blocked; the other three forward.
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid="link-light"][data-state="blocked"]').length === 1,
    null,
    { timeout: 60_000 },
  );
  const states = await lightStates(lab);
  assert.deepEqual(states.slice(0, 2), ["up", "up"]);
  assert.equal(states.filter((s) => s === "up").length, 5, states.join(","));
  assert.equal(states.filter((s) => s === "down").length, 0, states.join(","));
  assert.match(await blocked.first().evaluate((e) => getComputedStyle(e).fill), /rgb\(230, 149, 0\)/);
  assert.match(await blocked.first().locator("title").textContent(), /STP: Altn BLK/);
  // Switch1 off: its cables go down (red), PC0's cable stays up.
  await lab.select("Switch1");
  await page.getByTestId("power").click();
  assert.deepEqual(await lightStates(lab), ["up", "up", "down", "down", "down", "down"]);
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});

test("keyboard moves the selection, high contrast is remembered", async () => {
  const lab = await LabPage.open(browser);
  const { page } = lab;
  await lab.dragToCanvas("pc", 150, 150);
  const p0 = await lab.devicePos("PC0");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("Shift+ArrowDown");
  const p1 = await lab.devicePos("PC0");
  assert.deepEqual(p1, { x: p0.x + 10, y: p0.y + 50 });
  await page.keyboard.press("Control+z");
  assert.deepEqual(await lab.devicePos("PC0"), { x: p0.x + 10, y: p0.y });

  // A host on DHCP without a server says so under its name.
  await lab.tab("config");
  await page.getByTestId("ip-form").getByTestId("mode-dhcp").check();
  await page.getByTestId("ip-form").getByTestId("ip-apply").click();
  await lab.device("PC0").getByTestId("device-ip").filter({ hasText: /^DHCP$/ }).waitFor();

  await page.getByTestId("high-contrast").check();
  assert.ok(await page.getByTestId("app").evaluate((e) => e.classList.contains("high-contrast")));
  await page.reload();
  await lab.canvas.waitFor();
  assert.ok(await page.getByTestId("high-contrast").isChecked());
  assert.ok(await page.getByTestId("app").evaluate((e) => e.classList.contains("high-contrast")));
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});

test("labels show the address a DHCP host leased, once the engine has it", async () => {
  const lab = await LabPage.open(browser);
  const { page } = lab;
  // S1 with PC0 asking DHCP for its address (the example's server serves it).
  const s1 = await page.evaluate(async () => (await fetch("labs/s1-one-server.json")).json());
  s1.devices.find((d) => d.name === "PC0").ports[0].ip = { mode: "dhcp" };
  s1.actions = [];
  await lab.openLabJson(s1);
  await lab.device("PC0").waitFor();
  // Realtime runs: DORA completes within a few virtual seconds.
  await lab.device("PC0").getByTestId("device-ip").filter({ hasText: /^192\.168\.1\.\d+ \(DHCP\)$/ }).waitFor({ timeout: 20_000 });
  assert.match(await lab.device("Server0").getByTestId("device-ip").textContent(), /^192\.168\.1\.1$/);
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});

test("the canvas fills its box as the window and the side panels change size", async () => {
  const lab = await LabPage.open(browser, undefined, { viewport: { width: 1280, height: 800 } });
  const { page } = lab;
  // The <svg> is sized in pixels from its box's measured size (so other
  // changes on the page never lay the canvas out again): it must follow.
  const sizes = () =>
    page.evaluate(() => {
      const svg = document.querySelector("svg.canvas").getBoundingClientRect();
      const wrap = document.querySelector(".canvas-wrap").getBoundingClientRect();
      return { svg: [svg.left, svg.top, svg.width, svg.height], wrap: [wrap.left, wrap.top, wrap.width, wrap.height] };
    });
  const fills = async (what) => {
    await page.waitForFunction(() => {
      const s = document.querySelector("svg.canvas").getBoundingClientRect();
      const w = document.querySelector(".canvas-wrap").getBoundingClientRect();
      return w.width > 100 && w.height > 100 && [s.left - w.left, s.top - w.top, s.width - w.width, s.height - w.height].every((d) => Math.abs(d) < 0.5);
    }, undefined, { timeout: 5_000 }).catch(async () => assert.fail(`${what}: ${JSON.stringify(await sizes())}`));
  };
  await fills("at first");
  await lab.dragToCanvas("pc", 200, 200);
  await fills("with a device selected (the side panel open)");
  await page.setViewportSize({ width: 900, height: 640 });
  await fills("after the window shrank");
  await page.setViewportSize({ width: 1500, height: 950 });
  await fills("after the window grew");
  await page.getByTestId("mode-simulation").click();
  await fills("in simulation mode (the event list beside it)");
  // The pointer still lands where it points: a click on the device selects it.
  const selected = () => lab.device("PC0").evaluate((e) => e.classList.contains("selected"));
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => !document.querySelector("g.device.selected"));
  const c = await lab.centre("PC0");
  await page.mouse.click(c.x, c.y);
  await page.waitForFunction(() => document.querySelector("g.device.selected"));
  assert.ok(await selected(), "the click selected PC0");
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});
