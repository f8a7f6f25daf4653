// Desktop windows keep their state per device: the web browser (address,
// page, history), the e-mail client (pane, draft, opened message) and the
// firewall program's unsaved rule survive selecting another device and
// coming back; a job started on one PC finishes while another is shown; a
// deleted device's windows are forgotten.
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

async function s1(lab) {
  await lab.page.getByTestId("examples-menu").click();
  await lab.page.getByTestId("example-s1-one-server").click();
  await lab.device("PC1").waitFor();
  // The example's script switches both PCs to DHCP at 3 s. Until PC1 holds
  // its lease it has no address, and a page or a mail started in that gap
  // fails at once ("no route to the server"), as on a real PC: wait for it.
  for (let i = 0; ; i++) {
    const out = await lab.runNew("PC1", "ipconfig", "IPv4 Address");
    if (/IPv4 Address[ .]*: 192\.168\.1\.\d+/.test(out) && !/192\.168\.1\.3\b/.test(out)) break;
    assert.ok(i < 50, `PC1 never got its DHCP lease:\n${out}`);
    await lab.page.waitForTimeout(200);
  }
}

test("each PC's browser, mail and firewall windows are as left after looking at another PC", async () => {
  const lab = await LabPage.open(browser);
  const { page } = lab;
  await s1(lab);

  // PC1: two pages in the browser (Back becomes possible).
  await lab.browse("PC1", "hasan.com", "Selamat datang di hasan.com");
  await lab.browse("PC1", "192.168.1.1/nope.html", "404");
  assert.equal(await page.getByTestId("browser-back").isDisabled(), false);
  // PC1: a mail draft, not sent.
  await lab.openApp("PC1", "email");
  await page.getByTestId("mail-tab-compose").click();
  await page.getByTestId("mail-to").fill("12_5b_01@hasan.com");
  await page.getByTestId("mail-subject").fill("Draf PC1");
  await page.getByTestId("mail-body").fill("belum dikirim");
  // PC1: a firewall rule being typed, not added.
  await lab.openApp("PC1", "firewall");
  await page.getByTestId("fw-protocol").selectOption("udp");
  await page.getByTestId("fw-remote").fill("192.168.1.2");
  await page.getByTestId("fw-ports").fill("5000-5100");

  // PC0 has windows of its own: a blank browser, an empty compose form.
  await lab.select("PC0");
  assert.equal(await page.getByTestId("app-terminal").getAttribute("aria-pressed"), "true");
  await lab.openApp("PC0", "browser");
  assert.equal(await page.getByTestId("browser-url").inputValue(), "");
  assert.equal(await page.getByTestId("page-doc").count(), 0);
  await lab.openApp("PC0", "email");
  assert.equal(await page.getByTestId("mail-tab-inbox").getAttribute("aria-selected"), "true");
  await page.getByTestId("mail-tab-compose").click();
  assert.equal(await page.getByTestId("mail-subject").inputValue(), "");
  await lab.openApp("PC0", "firewall");
  assert.equal(await page.getByTestId("fw-remote").inputValue(), "");

  // Back to PC1: the program last open (firewall) with its unsaved rule…
  await lab.select("PC1");
  assert.equal(await page.getByTestId("app-firewall").getAttribute("aria-pressed"), "true");
  assert.equal(await page.getByTestId("fw-remote").inputValue(), "192.168.1.2");
  assert.equal(await page.getByTestId("fw-ports").inputValue(), "5000-5100");
  assert.equal(await page.getByTestId("fw-protocol").inputValue(), "udp");
  // …the mail client on Compose with the draft…
  await page.getByTestId("app-email").click();
  assert.equal(await page.getByTestId("mail-tab-compose").getAttribute("aria-selected"), "true");
  assert.equal(await page.getByTestId("mail-to").inputValue(), "12_5b_01@hasan.com");
  assert.equal(await page.getByTestId("mail-subject").inputValue(), "Draf PC1");
  assert.equal(await page.getByTestId("mail-body").inputValue(), "belum dikirim");
  // …and the browser on the second page, with Back to the first.
  await page.getByTestId("app-browser").click();
  assert.match(await page.getByTestId("browser-url").inputValue(), /nope\.html/);
  await page.getByTestId("browser-error").getByText("404").waitFor();
  await page.getByTestId("browser-back").click();
  await page.getByTestId("browser-page").getByText("Selamat datang di hasan.com").first().waitFor();

  // The mail is sent; PC0 receives it and opens it; the open message and
  // PC1's result line are still there after switching.
  await page.getByTestId("app-email").click();
  await page.getByTestId("mail-send").click();
  assert.equal(await lab.mailDone(), "succeeded");
  await lab.openApp("PC0", "email");
  await page.getByTestId("mail-tab-inbox").click();
  await page.getByTestId("mail-receive").click();
  assert.equal(await lab.mailDone(), "succeeded");
  const row = page.getByTestId("mail-row").filter({ hasText: "Draf PC1" });
  await row.click();
  await page.getByTestId("mail-message-subject").getByText("Draf PC1").waitFor();
  await lab.select("PC1");
  assert.equal(await page.getByTestId("mail-status").getAttribute("data-state"), "succeeded");
  await lab.select("PC0");
  assert.equal(await page.getByTestId("mail-message-subject").textContent(), "Draf PC1");
  assert.match(await page.getByTestId("mail-message-body").textContent(), /belum dikirim/);
  await page.context().close();
});

test("a page load and a mail send started on PC1 finish while PC0 is shown", async () => {
  // Tall enough that the simulation panel leaves the PCs clickable.
  const lab = await LabPage.open(browser, undefined, { viewport: { width: 1400, height: 1400 } });
  const { page } = lab;
  await s1(lab);
  // Simulation mode: nothing moves until Play, so the jobs surely finish
  // while PC1's windows are closed.
  await page.getByTestId("mode-simulation").click();
  await lab.openApp("PC1", "browser");
  await page.getByTestId("browser-url").fill("hasan.com");
  await page.getByTestId("browser-go").click();
  await page.getByTestId("browser-loading").waitFor();
  await lab.openApp("PC1", "email");
  await page.getByTestId("mail-tab-compose").click();
  await page.getByTestId("mail-to").fill("12_5b_01@hasan.com");
  await page.getByTestId("mail-subject").fill("Saat PC0 dilihat");
  await page.getByTestId("mail-send").click();
  assert.equal(await page.getByTestId("mail-status").getAttribute("data-state"), "running");

  await lab.select("PC0");
  await page.getByTestId("sim-speed").fill("50");
  await page.getByTestId("sim-play").click();
  // Wait on PC0's screen until the server's mailbox has the message: the
  // send finished without PC1's window open.
  await lab.openApp("PC0", "email");
  // Receive until the message is there (the send may still be on its way).
  const arrived = page.getByTestId("mail-row").filter({ hasText: "Saat PC0 dilihat" });
  for (let i = 0; i < 60; i++) {
    await page.getByTestId("mail-receive").click();
    await lab.mailDone();
    if (await arrived.waitFor({ timeout: 500 }).then(() => true, () => false)) break;
  }
  await arrived.waitFor({ timeout: 1_000 });

  await lab.select("PC1");
  assert.equal(await page.getByTestId("mail-status").getAttribute("data-state"), "succeeded");
  await page.getByTestId("app-browser").click();
  await page.getByTestId("browser-page").getByText("Selamat datang di hasan.com").first().waitFor();
  assert.equal(await page.getByTestId("browser-url").inputValue(), "http://hasan.com/");
  await page.context().close();
});

test("deleting a device forgets its windows", async () => {
  const lab = await LabPage.open(browser);
  const { page } = lab;
  await s1(lab);
  await lab.browse("PC1", "hasan.com", "Selamat datang di hasan.com");
  await lab.select("PC1");
  await page.getByTestId("delete-selected").click();
  await lab.device("PC1").waitFor({ state: "detached" });
  await lab.undo();
  await lab.device("PC1").waitFor();
  await lab.select("PC1");
  // The Desktop opens on the Command Prompt again, the browser is blank.
  assert.equal(await page.getByTestId("app-terminal").getAttribute("aria-pressed"), "true");
  await page.getByTestId("app-browser").click();
  assert.equal(await page.getByTestId("browser-url").inputValue(), "");
  assert.equal(await page.getByTestId("page-doc").count(), 0);
  await page.context().close();
});
