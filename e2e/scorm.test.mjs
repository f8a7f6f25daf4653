// The SCORM 1.2 package: downloaded in teacher mode, unzipped and served on
// loopback inside a minimal SCORM API stub page that records every call;
// the score and status follow the student's work and cmi.suspend_data
// brings the student's lab back in a new session.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdtempSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { deflateRawSync } from "node:zlib";
import { tmpdir } from "node:os";
import path from "node:path";
import { launch, LabPage, BASE_URL } from "./lanlab.mjs";

let browser;
let server;
let origin;
const dir = mkdtempSync(path.join(tmpdir(), "lanlab-scorm-"));

const STUB = `<!doctype html><meta charset="utf-8"><title>SCORM stub</title><script>
window.calls = [];
const resume = new URLSearchParams(location.search).get("resume") || "";
window.store = { "cmi.suspend_data": resume, "cmi.core.lesson_status": "not attempted" };
const rec = (name, ret) => (...args) => { calls.push([name, ...args.map(String)]); return ret(...args); };
window.API = {
  LMSInitialize: rec("LMSInitialize", () => "true"),
  LMSFinish: rec("LMSFinish", () => "true"),
  LMSGetValue: rec("LMSGetValue", (k) => store[k] ?? ""),
  LMSSetValue: rec("LMSSetValue", (k, v) => { store[k] = String(v); return "true"; }),
  LMSCommit: rec("LMSCommit", () => "true"),
  LMSGetLastError: () => "0",
  LMSGetErrorString: () => "",
  LMSGetDiagnostic: () => "",
};
</script>
<iframe id="sco" src="pkg/index.html?embed=1&scorm=1" width="1280" height="800"></iframe>`;

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json", ".xml": "application/xml" };

before(async () => {
  browser = await launch();
  server = createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    if (url.pathname === "/stub.html") {
      res.writeHead(200, { "content-type": "text/html" });
      return res.end(STUB);
    }
    const file = path.join(dir, decodeURIComponent(url.pathname));
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${server.address().port}`;
});
after(async () => {
  await browser?.close();
  server?.close();
});

function activityLink() {
  const lab = JSON.parse(readFileSync(new URL("../public/labs/s1-one-server.json", import.meta.url)));
  lab.name = "Tugas DHCP & DNS";
  lab.actions = [];
  lab.activity = {
    i: { en: "Move PC0 to DHCP, then look up hasan.com from PC1.", id: "Pindahkan PC0 ke DHCP, lalu cari hasan.com dari PC1." },
    c: [
      { l: { en: "PC0 uses DHCP", id: "PC0 memakai DHCP" }, k: { t: "uses_dhcp", d: "PC0" } },
      { l: { en: "PC1 resolved hasan.com", id: "PC1 menemukan hasan.com" }, k: { t: "resolved", d: "PC1", name: "hasan.com" } },
    ],
  };
  return `${BASE_URL}#v1.${deflateRawSync(Buffer.from(JSON.stringify(lab))).toString("base64url")}`;
}

const sets = (page, key) =>
  page.evaluate((k) => window.calls.filter((c) => c[0] === "LMSSetValue" && c[1] === k).map((c) => c[2]), key);

async function waitSet(page, key, value) {
  await page.waitForFunction(
    ([k, v]) => window.calls.some((c) => c[0] === "LMSSetValue" && c[1] === k && c[2] === v),
    [key, value],
    { timeout: 20_000 },
  );
}

test("the SCORM package reports score and status and keeps the lab in suspend_data", async () => {
  // The teacher downloads the package.
  const teacher = await LabPage.open(browser, activityLink());
  await teacher.page.getByTestId("teacher-mode").click();
  const [download] = await Promise.all([
    teacher.page.waitForEvent("download"),
    teacher.page.getByTestId("scorm-download").click(),
  ]);
  assert.match(download.suggestedFilename(), /\.scorm\.zip$/);
  const zip = path.join(dir, "package.zip");
  await download.saveAs(zip);
  assert.deepEqual(teacher.errors, []);
  await teacher.page.context().close();

  // Python's zipfile reads it (CRCs included) and unpacks it.
  const pkg = path.join(dir, "pkg");
  execFileSync("python3", ["-c", "import sys,zipfile;z=zipfile.ZipFile(sys.argv[1]);assert z.testzip() is None;z.extractall(sys.argv[2])", zip, pkg]);
  const manifest = readFileSync(path.join(pkg, "imsmanifest.xml"), "utf8");
  assert.match(manifest, /<schemaversion>1\.2<\/schemaversion>/);
  assert.match(manifest, /adlcp:scormtype="sco" href="index.html\?embed=1&amp;scorm=1"/);
  assert.match(manifest, /<title>Tugas DHCP &amp; DNS<\/title>/);
  const html = readFileSync(path.join(pkg, "index.html"), "utf8");
  for (const m of html.matchAll(/["']\.\/([^"']+\.(?:js|wasm|css))["']/g)) {
    if (m[1] === "sw.js") continue; // the LMS serves the package: no service worker
    assert.ok(existsSync(path.join(pkg, m[1])), `${m[1]} is in the package`);
  }
  // The page's parts loaded on first use are named there, so they are in it.
  assert.match(html, /\.\/lanlab-app-[0-9a-f]+-split_panels\.wasm/);
  assert.ok(existsSync(path.join(pkg, "lab.lanlab.json")));
  // The engine runs in its own worker, whose files index.html does not name.
  for (const f of ["lanlab-worker_loader.js", "lanlab-worker.js", "lanlab-worker_bg.wasm"]) {
    assert.ok(existsSync(path.join(pkg, f)), `${f} is in the package`);
  }

  // A student opens it in the LMS (the stub page).
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${origin}/stub.html`);
  await waitSet(page, "cmi.core.score.raw", "0");
  const first = await page.evaluate(() => window.calls[0]);
  assert.deepEqual(first, ["LMSInitialize", ""]);
  assert.deepEqual(await sets(page, "cmi.core.lesson_status"), ["incomplete"]);
  assert.ok(await page.evaluate(() => window.calls.some((c) => c[0] === "LMSSetValue" && c[1] === "cmi.core.score.max" && c[2] === "100")));

  const app = page.frameLocator("#sco");
  await app.getByTestId("device-PC0").locator("g.icon").click();
  await app.getByTestId("tab-config").click();
  await app.getByTestId("mode-dhcp").check();
  await app.getByTestId("ip-apply").click();
  await waitSet(page, "cmi.core.score.raw", "50");

  await app.getByTestId("device-PC1").locator("g.icon").click();
  await app.getByTestId("tab-desktop").click();
  await app.getByTestId("terminal-input").fill("nslookup hasan.com");
  await app.getByTestId("terminal-input").press("Enter");
  await waitSet(page, "cmi.core.score.raw", "100");
  await waitSet(page, "cmi.core.lesson_status", "passed");
  assert.ok(await page.evaluate(() => window.calls.some((c) => c[0] === "LMSCommit")));
  const suspend = await page.evaluate(() => window.store["cmi.suspend_data"]);
  assert.match(suspend, /^v1\.[A-Za-z0-9_-]+$/);
  assert.ok(suspend.length <= 4096, `${suspend.length} characters`);

  // Leaving the page finishes the session.
  await page.evaluate(() => document.getElementById("sco").remove());
  await page.waitForFunction(() => window.calls.some((c) => c[0] === "LMSFinish"));
  assert.deepEqual(errors, []);
  await ctx.close();

  // Next session: the LMS hands back suspend_data and the student's lab returns
  // (PC0 on DHCP: the configuration check passes at once; the run check waits
  // for a new run).
  const ctx2 = await browser.newContext();
  const again = await ctx2.newPage();
  await again.goto(`${origin}/stub.html?resume=${encodeURIComponent(suspend)}`);
  await waitSet(again, "cmi.core.score.raw", "50");
  assert.deepEqual(await sets(again, "cmi.core.score.raw"), ["50"]);
  const dhcp = again.frameLocator("#sco");
  await dhcp.getByTestId("device-PC0").locator("g.icon").click();
  await dhcp.getByTestId("tab-config").click();
  assert.ok(await dhcp.getByTestId("mode-dhcp").isChecked());
  await ctx2.close();
});

test("the unzipped package opens its lab without an LMS too", async () => {
  assert.ok(existsSync(path.join(dir, "pkg", "index.html")), "the first test unzipped the package");
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${origin}/pkg/index.html?embed=1&scorm=1`);
  await page.getByTestId("device-Server0").waitFor();
  await page.getByTestId("activity-progress").getByText("0 of 2", { exact: true }).waitFor();
  assert.deepEqual(errors, []);
  await ctx.close();
});
