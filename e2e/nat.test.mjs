// NAT in the app (S12): `debug ip nat` lines appear in R1's console as PC0
// browses through PAT, `show ip nat translations` and the router's live
// NAT table list the mapping, a static port forward typed at the console
// publishes the inside web server, and a host firewall's *reject* makes the
// outside browser fail at once with "refused".
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

test("S12: NAT typed at R1's console, debug lines live, port forwarding, and a firewall reject fails fast", async () => {
  const lab = await LabPage.open(browser);
  const { page } = lab;
  const doc = await page.evaluate(async (url) => (await fetch(url)).json(), new URL("labs/s12-nat.json", BASE_URL).href);
  // R1 configured by the lab's script, except the port forwarding (typed below).
  doc.actions = doc.actions.filter((a) => a.device === "R1" && a.at_ms <= 2100 && !/static tcp/.test(a.line));
  await lab.openLabFile(doc);
  await lab.device("R1").waitFor();

  await lab.cli("R1");
  // The lab's script has typed its last line (`end` at 2.1 s): R1# shows
  // already after its `enable`, before `configure terminal`.
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid="console-prompt"]')?.textContent === "R1#" &&
      document.querySelector('[data-testid="sim-clock"]')?.textContent >= "00:00:02.2",
    null,
    { timeout: 20_000 },
  );
  assert.match(await lab.consoleLine("debug ip nat"), /IP NAT debugging is on/);

  // PC0 leases an address from R1 and browses the outside server by name.
  assert.match(await lab.runNew("PC0", "ipconfig /renew", "192.168.10.", 30_000), /192\.168\.10\.\d+/);
  await lab.browse("PC0", "http://www.contoh.id/", "Selamat datang");

  // The translations were printed in R1's console as they happened.
  await lab.cli("R1");
  const out = page.getByTestId("console-output");
  await page.waitForFunction(() => /NAT\*?: s=192\.168\.10\.\d+->203\.0\.113\.1, d=198\.51\.100\.10/.test(document.querySelector('[data-testid="console-output"]').textContent), null, { timeout: 20_000 });
  assert.match(await out.textContent(), /NAT\*?: s=198\.51\.100\.10, d=203\.0\.113\.1->192\.168\.10\.\d+/);
  await lab.consoleLine("undebug all");
  assert.match(await lab.consoleLine("show ip nat translations"), /tcp 203\.0\.113\.1:\d+\s+192\.168\.10\.\d+:\d+\s+198\.51\.100\.10:80\s+198\.51\.100\.10:80/);

  // The router's live view lists the same mapping, in both languages.
  await lab.tab("services");
  const live = page.getByTestId("nat-live");
  await live.getByTestId("nat-row").first().waitFor();
  assert.match(await live.textContent(), /Inside global.*198\.51\.100\.10:80/s);
  await lab.setLanguage("id");
  await live.getByText("Translasi NAT (langsung)").waitFor();
  await lab.setLanguage("en");

  // A static port forward typed at the console publishes WebIn on R1's outside address.
  await lab.tab("cli");
  for (const line of ["conf t", "ip nat inside source static tcp 192.168.10.100 80 203.0.113.1 8080", "end"]) {
    await lab.consoleLine(line);
  }
  assert.match(await lab.consoleLine("show ip nat translations"), /tcp 203\.0\.113\.1:8080\s+192\.168\.10\.100:80\s+---\s+---/);
  await lab.browse("Server0", "http://203.0.113.1:8080/", "Server web sekolah");

  // WebIn's firewall rejects TCP 80: the outside browser is refused at once.
  await lab.service("WebIn", "firewall");
  const fw = page.getByTestId("firewall-form");
  await fw.getByTestId("firewall-on").check();
  await fw.getByTestId("fw-action").selectOption("reject");
  await fw.getByTestId("fw-protocol").selectOption("tcp");
  await fw.getByTestId("fw-ports").fill("80");
  await fw.getByTestId("fw-add").click();
  await fw.getByTestId("fw-rule-row").waitFor();
  assert.match(await fw.getByTestId("fw-rules").textContent(), /reject tcp any → port 80/);
  await lab.browse("Server0", "http://203.0.113.1:8080/");
  const started = Date.now();
  await page.getByTestId("browser-error").getByText("203.0.113.1 refused the connection on port 8080").waitFor({ timeout: 10_000 });
  // A timeout would take the browser's 30 s; a RST comes back in milliseconds.
  assert.ok(Date.now() - started < 8_000, "the reject should fail the load fast");
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});
