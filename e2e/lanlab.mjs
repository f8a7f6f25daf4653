// Shared helpers for the end-to-end tests: launching Debian's Chromium and a
// page object for the lanlab app.
import { chromium } from "playwright-core";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";

export const BASE_URL = process.env.LANLAB_URL ?? "http://127.0.0.1:8080/";
export const SUB_URL = process.env.LANLAB_SUB_URL ?? BASE_URL;
export const ARTIFACTS = path.join(path.dirname(fileURLToPath(import.meta.url)), "artifacts");
mkdirSync(ARTIFACTS, { recursive: true });

/** Launches headless Chromium with the flags this machine needs (no downloads, no phoning home). */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A page of the app, with the things a user does named as methods. */
/**
 * Scrolls the (virtualised) event list to `top` and waits until the rows that
 * fill the visible part are rendered — a condition, not a pause.
 */
export async function scrollEvents(page, top) {
  const at = await page.locator(".event-scroll").evaluate((el, t) => {
    el.scrollTop = t;
    el.dispatchEvent(new Event("scroll"));
    return el.scrollTop;
  }, top);
  await page.waitForFunction((t) => {
    const el = document.querySelector(".event-scroll");
    if (!el || Math.abs(el.scrollTop - t) > 1) return false;
    const rows = [...el.querySelectorAll('[data-testid="event-row"]')];
    const spacer = el.firstElementChild;
    const total = spacer ? spacer.offsetHeight : 0;
    if (rows.length === 0) return total === 0;
    const tops = rows.map((r) => parseFloat(r.style.top));
    const bottom = Math.max(...rows.map((r, i) => tops[i] + r.offsetHeight));
    return Math.min(...tops) <= t + 0.5 && bottom >= Math.min(t + el.clientHeight, total) - 0.5;
  }, at);
}

/** An example lab's JSON text, as served with the app (public/labs/). */
export async function exampleText(file) {
  return (await fetch(new URL(`labs/${file}`, BASE_URL))).text();
}

let axeSource = null;
/** Runs axe-core (an e2e dev-dependency) on the page; its violations as readable lines. */
export async function axe(page, where) {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
      count: v.nodes.length,
    }));
  });
  return violations.map((v) => `${where}: ${v.id} (${v.impact}, ${v.count}×) ${v.nodes.join(" | ")}`);
}

/**
 * Waits until the page shows the engine's latest answers: the engine runs
 * in a Web Worker and answers later, so a read right after a click may see
 * the page before the answer. Settled: no command awaits its reply
 * (`data-engine-pending` on the root element), checked two frames after the
 * last action, when the page's effects have sent what that action asks.
 *
 * (`waitForFunction` takes a returned Promise as a truthy value without
 * awaiting it, so the check runs in `evaluate`, which awaits.) In realtime
 * mode with an engine delay, a tick is always in flight: never settled.
 */
export async function settled(page) {
  const quiet = () =>
    page.evaluate(
      () =>
        new Promise((ok) =>
          requestAnimationFrame(() =>
            requestAnimationFrame(() => ok(document.documentElement.dataset.enginePending === "0")),
          ),
        ),
    );
  while (!(await quiet())) {
    await page.waitForFunction(() => document.documentElement.dataset.enginePending === "0");
  }
}

export class LabPage {
  constructor(page) {
    this.page = page;
    this.errors = [];
    this.offLoopback = [];
    page.on("pageerror", (e) => this.errors.push(String(e)));
    page.on("console", (m) => {
      if (m.type() === "error") this.errors.push(m.text());
    });
  }

  /**
   * Opens a fresh context (clean storage) and a page in it. `touch`: a phone
   * or tablet (touch events, a coarse pointer, 2× pixels). `engineDelay`: ms
   * each message to the engine's worker waits (see below).
   */
  static async open(
    browser,
    url = BASE_URL,
    {
      locale = "en-US",
      viewport = { width: 1280, height: 800 },
      touch = false,
      engineDelay = Number(process.env.LANLAB_ENGINE_DELAY_MS ?? 0),
    } = {},
  ) {
    const context = await browser.newContext(
      touch ? { locale, viewport, hasTouch: true, isMobile: true, deviceScaleFactor: 2 } : { locale, viewport },
    );
    // An engine delay (LANLAB_ENGINE_DELAY_MS for a whole run): every
    // message to the engine's worker arrives that much later, as on a slow
    // phone, so that a test which reads the page before the engine's
    // answer is shown fails every time instead of now and then (see
    // `settled`).
    if (engineDelay > 0) {
      await context.addInitScript((ms) => {
        const post = Worker.prototype.postMessage;
        Worker.prototype.postMessage = function (...args) {
          setTimeout(() => post.apply(this, args), ms);
        };
      }, engineDelay);
    }
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const lab = new LabPage(page);
    // Nothing may leave loopback.
    await page.route("**/*", (route) => {
      const host = new URL(route.request().url()).hostname;
      if (host === "127.0.0.1" || host === "localhost") return route.continue();
      lab.offLoopback.push(route.request().url());
      return route.abort();
    });
    const start = Date.now();
    await page.goto(url);
    await lab.canvas.waitFor({ state: "visible" });
    await lab.palette("pc").waitFor({ state: "visible" });
    lab.loadMs = Date.now() - start;
    return lab;
  }

  /** See [`settled`]. */
  async settled() {
    await settled(this.page);
  }

  get canvas() {
    return this.page.getByTestId("canvas");
  }
  palette(kind) {
    return this.page.getByTestId(`palette-${kind}`);
  }
  device(name) {
    return this.page.getByTestId(`device-${name}`);
  }
  get sidePanel() {
    return this.page.getByTestId("side-panel");
  }

  /** Drags a device from the palette to (x, y) on the canvas. */
  async dragToCanvas(kind, x, y) {
    await this.palette(kind).dragTo(this.canvas, { targetPosition: { x, y } });
  }

  /** Centre of a device's icon in page coordinates. */
  async centre(name) {
    const box = await this.device(name).locator("g.icon").boundingBox();
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }

  /** Joins two devices with the cable tool. */
  async cable(a, b) {
    await this.page.getByTestId("tool-cable").click();
    await this.device(a).locator("g.icon").click();
    await this.device(b).locator("g.icon").click();
    await this.settled();
  }

  async select(name) {
    await this.device(name).locator("g.icon").click();
    await this.settled();
  }

  /** Opens a tab of the selected device's panel (desktop, config, ports). */
  async tab(name) {
    await this.page.getByTestId(`tab-${name}`).click();
    await this.settled();
  }

  /** Gives a host a static address through its Config tab. */
  async setStaticIp(device, address, mask, { gateway = "", dns = "" } = {}) {
    await this.select(device);
    await this.tab("config");
    const form = this.page.getByTestId("ip-form");
    await form.getByTestId("mode-static").check();
    await form.getByTestId("ip-address").fill(address);
    await form.getByTestId("ip-mask").fill(mask);
    if (gateway) await form.getByTestId("ip-gateway").fill(gateway);
    if (dns) await form.getByTestId("ip-dns").fill(dns);
    await form.getByTestId("ip-apply").click();
    await this.settled();
  }

  /** Types a command at a host's prompt and waits until `until` appears in the output. */
  async run(device, line, until) {
    await this.select(device);
    await this.tab("desktop");
    const out = this.page.getByTestId("terminal-output");
    const before = (await out.textContent()).length;
    const input = this.page.getByTestId("terminal-input");
    await input.fill(line);
    await input.press("Enter");
    // `until` in this command's own output: text printed earlier (an
    // address a previous ping printed) must not end the wait before the
    // engine, in its worker, has answered this one.
    if (until) {
      const [source, flags] = until instanceof RegExp ? [until.source, until.flags] : [null, null];
      await this.page.waitForFunction(
        ([from, text, source, flags]) => {
          const fresh = document.querySelector('[data-testid="terminal-output"]').textContent.slice(from);
          return source === null ? fresh.includes(text) : new RegExp(source, flags).test(fresh);
        },
        [before, source === null ? String(until) : null, source, flags],
        { timeout: 20_000 },
      );
    }
    return out.textContent();
  }

  async setLanguage(tag) {
    await this.page.getByTestId("lang-select").selectOption(tag);
    // Some words come from the engine (the inspector's notes): asked again.
    await this.settled();
  }

  // --- panels ---

  /** Opens a lab document (an object or JSON text) through File ▸ Open. */
  async openLabFile(lab) {
    const text = typeof lab === "string" ? lab : JSON.stringify(lab);
    await this.page.getByTestId("file-input").setInputFiles({
      name: "lab.json",
      mimeType: "application/json",
      buffer: Buffer.from(text),
    });
  }

  /** Opens a program on a host's Desktop tab (ipconfig, terminal, browser, email). */
  async openApp(device, app) {
    await this.select(device);
    await this.tab("desktop");
    await this.page.getByTestId(`app-${app}`).click();
    await this.settled();
  }

  /** Types an address into a host's web browser and waits for `until` on the page. */
  async browse(device, url, until) {
    await this.openApp(device, "browser");
    await this.page.getByTestId("browser-url").fill(url);
    await this.page.getByTestId("browser-go").click();
    await this.settled();
    const doc = this.page.getByTestId("browser-page");
    if (until) await doc.getByText(until).first().waitFor({ timeout: 20_000 });
    return doc;
  }

  /** Opens a sub-tab of a server's Services tab (dhcp, dns, email, http). */
  async service(device, which) {
    await this.select(device);
    await this.tab("services");
    await this.page.getByTestId(`svc-${which}`).click();
    // Its live state (leases, hits, mailboxes) is the engine's answer.
    await this.settled();
  }

  /** Sets up a host's mail client account. */
  async mailAccount(device, { name, address, server, user, password }) {
    await this.openApp(device, "email");
    await this.page.getByTestId("mail-tab-settings").click();
    const f = this.page.getByTestId("mail-settings");
    await f.getByTestId("mail-display-name").fill(name);
    await f.getByTestId("mail-address").fill(address);
    await f.getByTestId("mail-incoming").fill(server);
    await f.getByTestId("mail-outgoing").fill(server);
    await f.getByTestId("mail-user").fill(user);
    await f.getByTestId("mail-password").fill(password);
    await f.getByTestId("mail-save").click();
  }

  /** Waits until the mail client's last button finished; returns "succeeded" or "failed". */
  async mailDone() {
    // The button's job is the engine's answer: wait for it first, so the
    // last job's finished status is not taken for this one's.
    await this.settled();
    const status = this.page.getByTestId("mail-status");
    await this.page.waitForFunction(
      () => {
        const s = document.querySelector('[data-testid="mail-status"]');
        return s && s.dataset.state !== "running";
      },
      null,
      { timeout: 30_000 },
    );
    return status.getAttribute("data-state");
  }

  /** Opens `device`'s CLI tab (a router's or switch's console). */
  async cli(device) {
    await this.select(device);
    await this.tab("cli");
    await this.page.getByTestId("console-input").waitFor();
  }

  /** Types one line at the open console; returns that line's output. */
  async consoleLine(line) {
    const out = this.page.getByTestId("console-output");
    const before = (await out.textContent()).length;
    const input = this.page.getByTestId("console-input");
    await input.fill(line);
    await input.press("Enter");
    await this.page.waitForFunction(
      (from) => document.querySelector('[data-testid="console-output"]').textContent.length > from,
      before,
    );
    await this.settled();
    return (await out.textContent()).slice(before);
  }

  /** Like run(), but waits for `until` in this command's own output and returns only that. */
  async runNew(device, line, until, timeout = 20_000) {
    await this.select(device);
    await this.tab("desktop");
    await this.page.getByTestId("app-terminal").click();
    const out = this.page.getByTestId("terminal-output");
    const before = (await out.textContent()).length;
    const input = this.page.getByTestId("terminal-input");
    await input.fill(line);
    await input.press("Enter");
    await this.page.waitForFunction(
      ([from, text]) => document.querySelector('[data-testid="terminal-output"]').textContent.slice(from).includes(text),
      [before, until],
      { timeout },
    );
    return (await out.textContent()).slice(before);
  }
}

// --- canvas editor (undo/redo, selection, pan/zoom, rename, files) ---

/** Undo / redo through the toolbar buttons. */
LabPage.prototype.undo = async function () {
  await this.page.getByTestId("undo").click();
};
LabPage.prototype.redo = async function () {
  await this.page.getByTestId("redo").click();
};

/** A device's position in canvas units, from its transform. */
LabPage.prototype.devicePos = async function (name) {
  const t = await this.device(name).getAttribute("transform");
  const m = /translate\(([-\d.]+) ([-\d.]+)\)/.exec(t);
  return { x: Number(m[1]), y: Number(m[2]) };
};

/** Page coordinates of a point given relative to the canvas's top-left corner. */
LabPage.prototype.canvasPoint = async function (x, y) {
  const box = await this.canvas.boundingBox();
  return { x: box.x + x, y: box.y + y };
};

/** Drags with the mouse from one page point to another, in steps. */
LabPage.prototype.mouseDrag = async function (from, to, { steps = 8, shift = false } = {}) {
  const kb = this.page.keyboard;
  if (shift) await kb.down("Shift");
  await this.page.mouse.move(from.x, from.y);
  await this.page.mouse.down();
  await this.page.mouse.move(to.x, to.y, { steps });
  await this.page.mouse.up();
  if (shift) await kb.up("Shift");
};

/** Drags a device by (dx, dy) screen pixels. */
LabPage.prototype.dragDevice = async function (name, dx, dy) {
  const c = await this.centre(name);
  await this.mouseDrag(c, { x: c.x + dx, y: c.y + dy });
};

/** Draws a selection box between two canvas-relative points. */
LabPage.prototype.boxSelect = async function (a, b, opts) {
  await this.mouseDrag(await this.canvasPoint(a.x, a.y), await this.canvasPoint(b.x, b.y), opts);
};

/** Renames a device in place: double-click its label, type, Enter. */
LabPage.prototype.renameInline = async function (name, newName) {
  await this.device(name).getByTestId("device-label").dblclick();
  const input = this.page.getByTestId("rename-inline");
  await input.fill(newName);
  await input.press("Enter");
};

/** The zoom shown in the toolbar, as a number (1 = 100%). */
LabPage.prototype.zoom = async function () {
  return Number(await this.canvas.getAttribute("data-zoom"));
};

/** Opens a lab document (object or JSON text) through Open file…. */
LabPage.prototype.openLabJson = async function (lab) {
  const text = typeof lab === "string" ? lab : JSON.stringify(lab);
  await this.page.getByTestId("file-input").setInputFiles({
    name: "lab.lanlab.json",
    mimeType: "application/json",
    buffer: Buffer.from(text),
  });
};
