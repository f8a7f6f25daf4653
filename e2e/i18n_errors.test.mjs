// In Bahasa Indonesia, every mistake a student makes in the IP and service
// forms is explained in Bahasa Indonesia, with the addresses and masks they
// typed; opening an example names it in Indonesian.
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

async function example(page, file) {
  const lab = await page.evaluate(async (url) => (await fetch(url)).json(), new URL(`labs/${file}`, BASE_URL).href);
  lab.actions = [];
  return lab;
}

/** Waits until the status bar shows `re`; returns its text. */
async function status(page, re) {
  const s = page.getByTestId("status");
  await page.waitForFunction(
    (src) => new RegExp(src).test(document.querySelector('[data-testid="status"]')?.textContent ?? ""),
    re.source,
    { timeout: 10_000 },
  );
  return s.textContent();
}

test("IP form errors are explained in Bahasa Indonesia", async () => {
  const lab = await LabPage.open(browser, undefined, { locale: "id-ID" });
  const { page } = lab;
  await lab.openLabFile(await example(page, "s1-one-server.json"));
  await lab.device("Server0").waitFor();
  // The example opens under its Indonesian name.
  await status(page, /Dibuka: S1 — Satu server, satu switch, dua PC/);

  await lab.setStaticIp("PC0", "192.168.1.50", "255.0.255.0");
  let s = await status(page, /tidak berurutan/);
  assert.match(s, /PC0 FastEthernet0: Subnet Mask 255\.0\.255\.0 tidak berurutan/);

  await lab.setStaticIp("PC0", "192.168.1.0", "255.255.255.0");
  s = await status(page, /alamat network/);
  assert.match(s, /PC0 FastEthernet0: 192\.168\.1\.0 adalah alamat network dari 192\.168\.1\.0\/24; pilih alamat host/);
  assert.doesNotMatch(s, /network address of|pick a host/);

  await lab.setStaticIp("PC0", "192.168.1.255", "255.255.255.0");
  s = await status(page, /alamat broadcast/);
  assert.match(s, /192\.168\.1\.255 adalah alamat broadcast dari 192\.168\.1\.0\/24/);

  await lab.setStaticIp("PC0", "192.168.1.50", "255.255.255.0", { gateway: "10.0.0.1" });
  s = await status(page, /Default Gateway 10\.0\.0\.1/);
  assert.match(s, /Default Gateway 10\.0\.0\.1 tidak berada di jaringan interface ini \(192\.168\.1\.0\/24\)/);

  // Server0 already has 192.168.1.1 (and the gateway is cleared first).
  const form = page.getByTestId("ip-form");
  await form.getByTestId("ip-gateway").fill("");
  await form.getByTestId("ip-address").fill("192.168.1.1");
  await form.getByTestId("ip-apply").click();
  s = await status(page, /dipasang di/);
  assert.match(s, /192\.168\.1\.1 dipasang di .* dan juga di /);

  // A mask that is not a mask at all: marked at its field.
  await form.getByTestId("ip-mask").fill("255.255.abc");
  await form.getByText("bukan Subnet Mask (tulis seperti 255.255.255.0 atau /24)").waitFor();
  await form.getByTestId("ip-address").fill("192.168.1.300");
  await form.getByText("bukan IP Address IPv4 (tulis seperti 192.168.1.10)").first().waitFor();
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});

test("service form errors are explained in Bahasa Indonesia", async () => {
  const lab = await LabPage.open(browser, undefined, { locale: "id-ID" });
  const { page } = lab;
  await lab.openLabFile(await example(page, "s1-one-server.json"));
  await lab.device("Server0").waitFor();

  // DHCP: a pool that runs past the end of the network.
  await lab.service("Server0", "dhcp");
  const dhcp = page.getByTestId("dhcp-form");
  await dhcp.getByTestId("dhcp-pool-name").fill("LAN2");
  await dhcp.getByTestId("dhcp-start").fill("192.168.1.250");
  await dhcp.getByTestId("dhcp-max-users").fill("50");
  await dhcp.getByTestId("dhcp-save").click();
  await dhcp.getByText("rentang melewati akhir jaringan: kurangi jumlah pengguna atau mulai lebih awal").waitFor();
  await dhcp.getByTestId("dhcp-max-users").fill("0");
  await dhcp.getByText("bukan bilangan bulat lebih dari 0").waitFor();

  // DNS: a record name that is not a domain name.
  await lab.service("Server0", "dns");
  const dns = page.getByTestId("dns-form");
  await dns.getByTestId("dns-name").fill("bukan nama!");
  await dns.getByTestId("dns-value").fill("192.168.1.1");
  await dns.getByTestId("dns-add").click();
  await dns.getByText("bukan nama domain (tulis seperti hasan.com)").first().waitFor();
  await dns.getByTestId("dns-name").fill("www2.hasan.com");
  await dns.getByTestId("dns-value").fill("192.168.1.999");
  await dns.getByTestId("dns-add").click();
  await dns.getByText("bukan IP Address IPv4 (tulis seperti 192.168.1.10)").first().waitFor();
  // A CNAME at the zone's own name: refused with its own reason.
  await dns.getByTestId("dns-name").fill("hasan.com");
  await dns.getByTestId("dns-type").selectOption("CNAME");
  await dns.getByTestId("dns-value").fill("www.hasan.com");
  await dns.getByTestId("dns-add").click();
  const apex = await status(page, /tidak bisa menjadi CNAME/);
  assert.match(apex, /\(@\) selalu punya record SOA dan NS/);
  assert.match(apex, /Beri @ record A, atau pasang CNAME di nama lain/);
  assert.doesNotMatch(apex, /cannot|clashes/);

  // Email: a user name with a space, then one without a password.
  await lab.service("Server0", "email");
  const mail = page.getByTestId("email-form");
  await mail.getByTestId("email-user").fill("akbari baru");
  await mail.getByTestId("email-password").fill("rahasia");
  await mail.getByTestId("email-user-add").click();
  await mail.getByText("nama pengguna hanya memakai huruf, angka dan . _ - +").waitFor();
  await mail.getByTestId("email-user").fill("baru");
  await mail.getByTestId("email-password").fill("");
  await mail.getByTestId("email-user-add").click();
  await mail.getByText("isian ini wajib diisi").waitFor();
  await mail.getByTestId("email-domain").fill("bukan domain");
  await mail.getByTestId("email-domain-set").click();
  await mail.getByText("bukan nama domain (tulis seperti hasan.com)").waitFor();

  // The email client: an address that is not an email address.
  await lab.openApp("PC0", "email");
  await page.getByTestId("mail-tab-settings").click();
  const f = page.getByTestId("mail-settings");
  await f.getByTestId("mail-address").fill("akbari");
  await f.getByTestId("mail-save").click();
  await f.getByText("bukan alamat email (tulis seperti akbari@hasan.com)").waitFor();

  // The web browser: an HTTPS address.
  await lab.browse("PC1", "https://hasan.com");
  await page.getByTestId("browser-error").getByText("browser lanlab hanya bisa HTTP (bukan HTTPS)").waitFor();
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});

test("email client failures are explained in Bahasa Indonesia", async () => {
  const lab = await LabPage.open(browser, undefined, { locale: "id-ID" });
  const { page } = lab;
  await lab.openLabFile(await example(page, "s1-one-server.json"));
  await lab.device("Server0").waitFor();
  // A fixed address, so Receive does not wait for a DHCP lease.
  await lab.setStaticIp("PC0", "192.168.1.50", "255.255.255.0");
  await lab.device("PC0").getByTestId("device-ip").filter({ hasText: /192\.168\.1\.50/ }).waitFor();

  // A wrong password: the POP3 server refuses the login.
  await lab.mailAccount("PC0", {
    name: "Kelas 5B",
    address: "12_5b_01@hasan.com",
    server: "192.168.1.1",
    user: "12_5b_01",
    password: "salah",
  });
  await page.getByTestId("mail-receive").click();
  assert.equal(await lab.mailDone(), "failed");
  const failure = page.getByTestId("mail-failure");
  const text = await failure.textContent();
  assert.match(text, /server POP3 menolak nama pengguna atau kata sandi; periksa pengaturan akun/);
  assert.match(text, /-ERR/, "the server's own reply stays as it came");
  assert.doesNotMatch(text, /refused the user name/);

  // The same failure in English once the language changes.
  await lab.setLanguage("en");
  await page.waitForFunction(() =>
    /the POP3 server refused the user name or password/.test(document.querySelector('[data-testid="mail-failure"]')?.textContent ?? ""),
  );
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});

test("an action the engine refuses is explained in the UI's language", async () => {
  const lab = await LabPage.open(browser, undefined, { locale: "id-ID" });
  const { page } = lab;
  await lab.dragToCanvas("pc", 200, 200);
  await lab.device("PC0").waitFor();
  await lab.select("PC0");
  await page.getByTestId("power").click();
  assert.equal(await lab.device("PC0").getAttribute("data-power"), "off");
  // The engine refuses to open a page on a switched-off PC; the browser
  // says why, in Indonesian (the refusal travels from the worker as data
  // and is put into words on the page).
  await lab.browse("PC0", "192.168.1.1");
  const error = page.getByTestId("browser-error");
  await error.waitFor();
  assert.equal(await error.textContent(), "PC0 sedang mati");
  // In English, the same refusal in English words.
  await lab.setLanguage("en");
  await page.getByTestId("browser-go").click();
  await page.getByTestId("browser-error").filter({ hasText: "PC0 is switched off" }).waitFor();
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});
