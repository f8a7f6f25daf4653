// Lab S1 built from an empty canvas by clicking and typing only, as a new
// student would, then used in realtime mode: DHCP lease, the web page at
// hasan.com, and mail from akbari (PC1) to 12_5b_01 (PC0). Once in English,
// once in Bahasa Indonesia.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { launch, LabPage, ARTIFACTS } from "./lanlab.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const HOME = `<!DOCTYPE html>
<html><head><title>Hasan</title></head>
<body><h1>Selamat datang di hasan.com</h1>
<p>Welcome to the web server of Server0.</p>
<p><a href="about.html">About</a></p></body></html>`;

const WORDS = {
  en: { browser: "Web Browser", services: "Services", sent: "Send Success.", inbox: "Inbox" },
  id: { browser: "Web Browser", services: "Layanan", sent: "Email berhasil dikirim.", inbox: "Kotak masuk" },
};

async function buildS1(lab) {
  const { page } = lab;
  await lab.dragToCanvas("server", 400, 90);
  await lab.dragToCanvas("switch", 400, 250);
  await lab.dragToCanvas("pc", 220, 400);
  await lab.dragToCanvas("pc", 580, 400);
  for (const n of ["Server0", "Switch0", "PC0", "PC1"]) await lab.device(n).waitFor();
  await lab.cable("Server0", "Switch0");
  await lab.cable("PC0", "Switch0");
  await lab.cable("PC1", "Switch0");
  await page.locator('g.link[data-ends="PC1|Switch0"]').waitFor({ state: "attached" });

  await lab.setStaticIp("Server0", "192.168.1.1", "255.255.255.0", { dns: "192.168.1.1" });

  // DHCP: one pool for the LAN, gateway and DNS server 192.168.1.1.
  await lab.service("Server0", "dhcp");
  const dhcp = page.getByTestId("dhcp-form");
  await dhcp.getByTestId("dhcp-on").check();
  await dhcp.getByTestId("dhcp-gateway").fill("192.168.1.1");
  await dhcp.getByTestId("dhcp-dns").fill("192.168.1.1");
  // A wrong start address is marked at the field and nothing is saved.
  await dhcp.getByTestId("dhcp-start").fill("192.168.1.300");
  await dhcp.getByTestId("dhcp-save").click();
  assert.equal(await dhcp.getByTestId("dhcp-start").getAttribute("aria-invalid"), "true");
  assert.equal(await dhcp.getByTestId("dhcp-pool-row").count(), 0);
  await dhcp.getByTestId("dhcp-start").fill("192.168.1.10");
  await dhcp.getByTestId("dhcp-mask").fill("255.255.255.0");
  await dhcp.getByTestId("dhcp-max-users").fill("50");
  await dhcp.getByTestId("dhcp-save").click();
  await dhcp.getByTestId("dhcp-pool-row").waitFor();
  assert.equal(await dhcp.getByTestId("dhcp-end").textContent(), "192.168.1.59");

  // DNS: hasan.com and its mail server.
  await page.getByTestId("svc-dns").click();
  const dns = page.getByTestId("dns-form");
  await dns.getByTestId("dns-on").check();
  const record = async (name, type, value) => {
    await dns.getByTestId("dns-name").fill(name);
    await dns.getByTestId("dns-type").selectOption(type);
    await dns.getByTestId("dns-value").fill(value);
    await dns.getByTestId("dns-add").click();
  };
  await record("hasan.com", "A", "192.168.1.1");
  await record("mail.hasan.com", "A", "192.168.1.1");
  await record("hasan.com", "MX", "mail.hasan.com");
  await record("www.hasan.com", "CNAME", "not a name!");
  assert.equal(await dns.getByTestId("dns-value").getAttribute("aria-invalid"), "true");
  await record("www.hasan.com", "CNAME", "hasan.com");
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="dns-record-row"]').length === 4);
  assert.match(await dns.getByTestId("dns-records").textContent(), /hasan\.com\.MX10 mail\.hasan\.com\./);
  // The running server answers from the new zone.
  await dns.getByTestId("dns-q-name").fill("www.hasan.com");
  await dns.getByTestId("dns-ask").click();
  await page.waitForFunction(() => /www\.hasan\.com\..*CNAME[\s\S]*192\.168\.1\.1/.test(document.querySelector('[data-testid="dns-answer"]').textContent));

  // HTTP: on, and the home page edited.
  await page.getByTestId("svc-http").click();
  const http = page.getByTestId("http-form");
  await http.getByTestId("http-on").check();
  await http.locator('[data-testid="http-file-row"][data-file="index.html"]').getByTestId("http-file-edit").click();
  await http.getByTestId("http-editor").fill(HOME);
  await http.getByTestId("http-save").click();

  // EMAIL: domain and two users.
  await page.getByTestId("svc-email").click();
  const mail = page.getByTestId("email-form");
  await mail.getByTestId("email-domain").fill("hasan.com");
  await mail.getByTestId("email-domain-set").click();
  for (const [user, pw] of [["akbari", "akbari123"], ["12_5b_01", "kelas5b"]]) {
    await mail.getByTestId("email-user").fill(user);
    await mail.getByTestId("email-password").fill(pw);
    await mail.getByTestId("email-user-add").click();
  }
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="email-user-row"]').length === 2);
  assert.equal(await mail.getByTestId("email-on").isChecked(), true);

  // Both PCs on DHCP.
  for (const pc of ["PC0", "PC1"]) {
    await lab.select(pc);
    await lab.tab("config");
    await page.getByTestId("mode-dhcp").check();
    await page.getByTestId("ip-apply").click();
  }
}

async function useS1(lab, lang) {
  const { page } = lab;
  const words = WORDS[lang];

  // ipconfig on PC1 shows a leased address from the pool, once PC1's label
  // on the canvas says the engine has one.
  await lab.device("PC1").getByTestId("device-ip").filter({ hasText: /^192\.168\.1\.\d+ \(DHCP\)$/ }).waitFor({ timeout: 20_000 });
  const out = await lab.run("PC1", "ipconfig", "IPv4 Address");
  const last = [...out.matchAll(/IPv4 Address[ .]*: (192\.168\.1\.(\d+))/g)].at(-1);
  const leased = last && Number(last[2]) >= 10 && Number(last[2]) < 60 ? last[1] : null;
  assert.ok(leased, `PC1 got an address from the DHCP pool:\n${out}`);

  // The web page at hasan.com, through DNS and HTTP of the simulated network.
  const doc = await lab.browse("PC1", "hasan.com", "Selamat datang di hasan.com");
  assert.equal(await page.getByTestId("browser-heading").textContent(), words.browser);
  assert.match(await doc.textContent(), /Welcome to the web server of Server0/);

  // PC1 (akbari) sends mail to 12_5b_01.
  await lab.mailAccount("PC1", {
    name: "Akbari",
    address: "akbari@hasan.com",
    server: "192.168.1.1",
    user: "akbari",
    password: "akbari123",
  });
  await page.getByTestId("mail-tab-compose").click();
  await page.getByTestId("mail-to").fill("12_5b_01@hasan.com");
  await page.getByTestId("mail-subject").fill("Tes Email");
  await page.getByTestId("mail-body").fill("Halo kelas 5B, ini email percobaan.");
  await page.getByTestId("mail-send").click();
  assert.equal(await lab.mailDone(), "succeeded");
  assert.equal(await page.getByTestId("mail-status").locator("strong").textContent(), words.sent);

  // PC0 (12_5b_01) receives and opens it.
  await lab.mailAccount("PC0", {
    name: "Kelas 5B",
    address: "12_5b_01@hasan.com",
    server: "192.168.1.1",
    user: "12_5b_01",
    password: "kelas5b",
  });
  assert.equal(await page.getByTestId("mail-tab-inbox").textContent(), words.inbox);
  await page.getByTestId("mail-receive").click();
  assert.equal(await lab.mailDone(), "succeeded");
  const row = page.getByTestId("mail-row").filter({ hasText: "Tes Email" });
  await row.waitFor();
  assert.match(await row.textContent(), /akbari@hasan\.com/);
  await row.click();
  assert.equal(await page.getByTestId("mail-message-subject").textContent(), "Tes Email");
  assert.match(await page.getByTestId("mail-message-body").textContent(), /Halo kelas 5B/);
  await page.getByTestId("mail-delete").click();
  assert.equal(await lab.mailDone(), "succeeded");
  await page.getByTestId("mail-empty").waitFor();

  // The server's live state: two leases.
  await lab.service("Server0", "dhcp");
  assert.equal(await page.getByTestId("tab-services").textContent(), words.services);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="dhcp-lease-row"]').length >= 2);
}

for (const lang of ["en", "id"]) {
  test(`S1 built by hand and used (${lang})`, async () => {
    const lab = await LabPage.open(browser);
    if (lang === "id") await lab.setLanguage("id");
    await buildS1(lab);
    await useS1(lab, lang);
    await lab.page.screenshot({ path: path.join(ARTIFACTS, `s1_build_${lang}.png`) });
    assert.deepEqual(lab.offLoopback, []);
    assert.deepEqual(lab.errors, []);
    await lab.page.context().close();
  });
}
