// An activity's checks go from 0 of 3 to 3 of 3 as a student does the
// work in the app; the teacher's lock refuses an edit; progress is posted
// to the parent frame.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { deflateRawSync } from "node:zlib";
import { launch, LabPage, BASE_URL } from "./lanlab.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** S1 without its scripted actions (PC0 static, no mail sent), with a three-check activity. */
function activityLab() {
  const lab = JSON.parse(readFileSync(new URL("../public/labs/s1-one-server.json", import.meta.url)));
  lab.actions = [];
  lab.activity = {
    i: {
      en: "Move **PC0** to DHCP.\n\n- look up hasan.com from PC1\n- ping the server from PC0\n\n<img src=x onerror=alert(1)> stays text",
      id: "Pindahkan **PC0** ke DHCP.\n\n- cari hasan.com dari PC1\n- ping server dari PC0",
    },
    c: [
      { l: { en: "PC0 uses DHCP", id: "PC0 memakai DHCP" }, h: { en: "Config tab of PC0", id: "Tab Config PC0" }, k: { t: "uses_dhcp", d: "PC0" } },
      { l: { en: "PC1 resolved hasan.com", id: "PC1 menemukan hasan.com" }, h: { en: "nslookup hasan.com", id: "nslookup hasan.com" }, k: { t: "resolved", d: "PC1", name: "hasan.com" } },
      { l: { en: "PC0 pinged the server", id: "PC0 berhasil ping server" }, k: { t: "pinged", d: "PC0", target: "192.168.1.1" } },
    ],
  };
  return lab;
}

function link(lab) {
  return `${BASE_URL}#v1.${deflateRawSync(Buffer.from(JSON.stringify(lab))).toString("base64url")}`;
}

async function waitProgress(lab, text, timeout = 20_000) {
  await lab.page.getByTestId("activity-progress").getByText(text, { exact: true }).waitFor({ timeout });
}

test("an activity goes from 0 of 3 to 3 of 3 as the student works", async () => {
  const lab = await LabPage.open(browser, link(activityLab()));
  const panel = lab.page.getByTestId("activity-panel");
  await panel.waitFor();
  await waitProgress(lab, "0 of 3");
  const checks = lab.page.getByTestId("activity-check");
  assert.equal(await checks.count(), 3);
  assert.deepEqual(await checks.evaluateAll((els) => els.map((e) => e.dataset.state)), ["pending", "pending", "pending"]);
  // Instructions: bold and lists as elements, HTML as plain text.
  const instr = lab.page.getByTestId("activity-instructions");
  assert.equal(await instr.locator("strong").first().textContent(), "PC0");
  assert.equal(await instr.locator("li").count(), 2);
  assert.equal(await instr.locator("img").count(), 0);
  assert.match(await instr.textContent(), /<img src=x onerror=alert\(1\)> stays text/);
  assert.match(await panel.textContent(), /Hint: Config tab of PC0/);

  // 1. Configuration: PC0 to DHCP in its Config tab.
  await lab.select("PC0");
  await lab.tab("config");
  await lab.page.getByTestId("ip-form").getByTestId("mode-dhcp").check();
  await lab.page.getByTestId("ip-form").getByTestId("ip-apply").click();
  await waitProgress(lab, "1 of 3");

  // 2. Run: PC1 resolves hasan.com.
  await lab.run("PC1", "nslookup hasan.com", "192.168.1.1");
  await waitProgress(lab, "2 of 3");

  // 3. Run: PC0 pings the server once its DHCP lease is there.
  await lab.device("PC0").getByTestId("device-ip").filter({ hasText: /\(DHCP\)$/ }).waitFor({ timeout: 20_000 });
  await lab.run("PC0", "ping -n 1 192.168.1.1", "Reply from 192.168.1.1");
  await waitProgress(lab, "3 of 3");
  assert.deepEqual(await checks.evaluateAll((els) => els.map((e) => e.dataset.state)), ["passed", "passed", "passed"]);
  assert.match(await lab.page.getByTestId("activity-toggle").textContent(), /3\/3/);

  // The same progress, in Bahasa Indonesia.
  await lab.setLanguage("id");
  await waitProgress(lab, "3 dari 3");
  assert.match(await panel.textContent(), /PC0 memakai DHCP/);
  assert.deepEqual(lab.errors, []);
  await lab.page.context().close();
});

test("teacher mode edits checks and its lock refuses a student's edit", async () => {
  const lab = await LabPage.open(browser, link(activityLab()));
  await waitProgress(lab, "0 of 3");
  await lab.page.getByTestId("teacher-mode").click();
  const editor = lab.page.getByTestId("teacher-editor");
  await editor.waitFor();
  // Add a check: a configuration check on Server0 serving HTTP.
  await lab.page.getByTestId("teacher-add-check").click();
  await waitProgress(lab, "0 of 4");
  await lab.page.getByTestId("check-kind-3").selectOption("serves");
  await lab.page.getByTestId("check-device-3").selectOption("Server0");
  await waitProgress(lab, "1 of 4");
  // Lock PC0's configuration behind a passphrase, and the activity.
  await lab.page.getByTestId("lock-device-PC0").check();
  await lab.page.getByTestId("lock-activity").check();
  await lab.page.getByTestId("teacher-pass-new").fill("guru-rahasia");
  await lab.page.getByTestId("teacher-pass-set").click();
  await lab.page.getByTestId("teacher-mode").click(); // leave
  await editor.waitFor({ state: "detached" });

  // The stored lock holds a salted hash, never the passphrase.
  const saved = await lab.page.evaluate(() => JSON.stringify(Object.entries(localStorage)));
  assert.ok(!saved.includes("guru-rahasia"), "passphrase not stored in clear");

  // A student's edit of PC0 is refused; PC1 stays editable.
  await lab.setStaticIp("PC0", "192.168.1.50", "255.255.255.0");
  assert.match(await lab.page.getByTestId("status").textContent(), /locked by the teacher/);
  await lab.select("PC0");
  await lab.tab("config");
  assert.equal(await lab.page.getByTestId("ip-form").getByTestId("ip-address").inputValue(), "192.168.1.2");
  await lab.setStaticIp("PC1", "192.168.1.51", "255.255.255.0");
  assert.doesNotMatch(await lab.page.getByTestId("status").textContent(), /locked/);

  // Teacher mode asks for the passphrase: a wrong one is refused.
  await lab.page.getByTestId("teacher-mode").click();
  await lab.page.getByTestId("teacher-passphrase").fill("nope");
  await lab.page.getByTestId("teacher-unlock").click();
  await lab.page.getByRole("alert").waitFor();
  await lab.page.getByTestId("teacher-passphrase").fill("guru-rahasia");
  await lab.page.getByTestId("teacher-unlock").click();
  await editor.waitFor();
  await lab.page.getByTestId("activity-close").click();
  await lab.setStaticIp("PC0", "192.168.1.50", "255.255.255.0");
  assert.doesNotMatch(await lab.page.getByTestId("status").textContent(), /locked/);

  // Removing the passphrase asks for it again: a wrong one changes nothing.
  await lab.page.getByTestId("activity-toggle").click();
  await editor.waitFor();
  await lab.page.getByTestId("teacher-pass-current").fill("salah");
  await lab.page.getByTestId("teacher-pass-remove").click();
  await lab.page.getByTestId("teacher-pass-wrong").waitFor();
  assert.equal(await lab.page.getByTestId("teacher-pass-current").getAttribute("aria-invalid"), "true");
  await lab.page.getByTestId("teacher-pass-current").fill("guru-rahasia");
  await lab.page.getByTestId("teacher-pass-remove").click();
  await lab.page.getByTestId("teacher-pass-current").waitFor({ state: "detached" });
  assert.match(await lab.page.getByTestId("status").textContent(), /Passphrase removed/);
  // Out of teacher mode nothing is locked any more, and teacher mode opens without asking.
  await lab.page.getByTestId("teacher-mode").click(); // leave
  await editor.waitFor({ state: "detached" });
  await lab.setStaticIp("PC0", "192.168.1.52", "255.255.255.0");
  assert.doesNotMatch(await lab.page.getByTestId("status").textContent(), /locked/);
  await lab.page.getByTestId("teacher-mode").click();
  await editor.waitFor();
  assert.equal(await lab.page.getByTestId("teacher-unlock-dialog").count(), 0);

  // Deleting the activity asks first; Cancel keeps it.
  await lab.page.getByTestId("activity-delete").click();
  await lab.page.getByTestId("activity-delete-confirm").waitFor();
  await lab.page.getByTestId("activity-delete-cancel").click();
  await lab.page.getByTestId("activity-delete-confirm").waitFor({ state: "detached" });
  assert.equal(await lab.page.getByTestId("activity-check").count(), 4);
  await lab.page.getByTestId("activity-delete").click();
  await lab.page.getByTestId("activity-delete-yes").click();
  await lab.page.getByTestId("activity-delete").waitFor({ state: "detached" });
  assert.match(await lab.page.getByTestId("status").textContent(), /Activity deleted/);
  await lab.page.getByTestId("teacher-mode").click(); // leave
  await lab.page.getByTestId("activity-toggle").waitFor({ state: "detached" });
  assert.equal(await lab.page.getByTestId("activity-check").count(), 0);
  // Undo brings it back.
  await lab.undo();
  await lab.page.getByTestId("activity-toggle").waitFor();
  await lab.page.getByTestId("activity-check").first().waitFor();
  assert.deepEqual(lab.errors, []);
  await lab.page.context().close();
});

test("progress is posted to the parent frame", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // A parent page on loopback that frames the app and records messages.
  await page.route(`${BASE_URL}parent-test.html`, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<!doctype html><script>window.got=[];addEventListener("message",e=>got.push(e.data))</script>
             <iframe id="app" width="1200" height="800" src="${link(activityLab()).replace("#", "?embed=1#")}"></iframe>`,
    }),
  );
  await page.goto(`${BASE_URL}parent-test.html`);
  await page.waitForFunction(() => window.got.some((m) => m && m.type === "lanlab:progress"), null, { timeout: 20_000 });
  const first = await page.evaluate(() => window.got.find((m) => m.type === "lanlab:progress"));
  assert.equal(first.version, 1);
  assert.equal(first.total, 3);
  assert.equal(first.passed, 0);
  assert.equal(first.score, 0);
  assert.equal(first.checks.length, 3);
  assert.deepEqual(first.checks[0], { label: "PC0 uses DHCP", kind: "uses_dhcp", passed: false });
  // Doing the first check posts 1 of 3.
  const app = page.frameLocator("#app");
  await app.getByTestId("device-PC0").locator("g.icon").click();
  await app.getByTestId("tab-config").click();
  await app.getByTestId("mode-dhcp").check();
  await app.getByTestId("ip-apply").click();
  await page.waitForFunction(() => window.got.some((m) => m.type === "lanlab:progress" && m.passed === 1), null, { timeout: 20_000 });
  const last = await page.evaluate(() => window.got.filter((m) => m.type === "lanlab:progress").at(-1));
  assert.equal(last.score, 33);
  await context.close();
});
