// The CLI tab of routers: a two-router lab configured by typing only at the
// consoles (abbreviations, ?, Tab, errors), then a PC on LAN2 gets its
// address from R2's pool and pings a PC on LAN1; the Config tab's forms see
// what the console changed.
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

/** Types one line at the selected device's console; returns that line's output. */
async function type(page, line) {
  const out = page.getByTestId("console-output");
  const before = (await out.textContent()).length;
  const input = page.getByTestId("console-input");
  await input.fill(line);
  await input.press("Enter");
  await page.waitForFunction(
    (from) => document.querySelector('[data-testid="console-output"]').textContent.length > from,
    before,
  );
  return (await out.textContent()).slice(before);
}

async function cli(lab, device) {
  await lab.select(device);
  await lab.tab("cli");
  await lab.page.getByTestId("console-input").waitFor();
}

test("two routers configured by typing at their consoles route and serve DHCP", async () => {
  const lab = await LabPage.open(browser);
  const { page } = lab;
  const doc = await page.evaluate(async (url) => (await fetch(url)).json(), new URL("labs/s9-cli.json", BASE_URL).href);
  doc.actions = [];
  await lab.openLabFile(doc);
  await lab.device("R1").waitFor();

  await cli(lab, "R1");
  const prompt = page.getByTestId("console-prompt");
  assert.equal(await prompt.textContent(), "R1>");
  await type(page, "en");
  assert.equal(await prompt.textContent(), "R1#");
  // Tab completes a keyword; ? lists what may come next.
  const input = page.getByTestId("console-input");
  await input.fill("conf");
  await input.press("Tab");
  assert.equal(await input.inputValue(), "configure ");
  await input.fill("configure t");
  await input.press("Enter");
  assert.equal(await prompt.textContent(), "R1(config)#");
  await input.fill("ip ");
  await input.press("?");
  await page.getByTestId("console-output").getByText("Establish static routes").waitFor();
  assert.equal(await input.inputValue(), "ip ", "? leaves the line as typed");
  await input.fill("");
  assert.match(await type(page, "ip adress 1.1.1.1"), /\^\n% Invalid input detected at '\^' marker\./);
  for (const line of [
    "int g0/0",
    "ip address 192.168.1.1 255.255.255.0",
    "no shut",
    "int g0/1",
    "ip address 10.0.0.1 255.255.255.252",
    "no shut",
    "exit",
    "ip route 192.168.2.0 255.255.255.0 10.0.0.2",
    "end",
  ]) {
    await type(page, line);
  }
  assert.equal(await prompt.textContent(), "R1#");
  assert.match(await type(page, "sh ip int br"), /GigabitEthernet0\/0\s+192\.168\.1\.1\s+YES manual up/);

  await cli(lab, "R2");
  for (const line of [
    "enable",
    "conf t",
    "int g0/0",
    "ip add 192.168.2.1 255.255.255.0",
    "no sh",
    "int g0/1",
    "ip add 10.0.0.2 255.255.255.252",
    "no sh",
    "exit",
    "ip route 192.168.1.0 255.255.255.0 10.0.0.1",
    "ip dhcp excluded-address 192.168.2.1 192.168.2.9",
    "ip dhcp pool LAN2",
    "network 192.168.2.0 255.255.255.0",
    "default-router 192.168.2.1",
    "end",
  ]) {
    await type(page, line);
  }
  assert.match(await type(page, "show running-config"), /ip dhcp pool LAN2\n network 192\.168\.2\.0 255\.255\.255\.0\n default-router 192\.168\.2\.1/);

  // The PC on LAN2 leases the first address after the exclusion, then pings LAN1.
  assert.match(await lab.runNew("PC2", "ipconfig /renew", "192.168.2.10", 30_000), /192\.168\.2\.10/);
  assert.match(await lab.runNew("PC2", "ping -n 2 192.168.1.10", "Packets: Sent = 2"), /Received = 2/);

  // The console's change is a document edit: the routes form shows it.
  await lab.select("R1");
  await lab.tab("config");
  assert.match(await page.getByTestId("routes").textContent(), /192\.168\.2\.0 255\.255\.255\.0 via 10\.0\.0\.2/);
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});
