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

test("two routers configured by typing at their consoles route and serve DHCP", async () => {
  const lab = await LabPage.open(browser);
  const { page } = lab;
  const doc = await page.evaluate(async (url) => (await fetch(url)).json(), new URL("labs/s9-cli.json", BASE_URL).href);
  doc.actions = [];
  await lab.openLabFile(doc);
  await lab.device("R1").waitFor();

  await lab.cli("R1");
  const prompt = page.getByTestId("console-prompt");
  assert.equal(await prompt.textContent(), "R1>");
  await lab.consoleLine("en");
  assert.equal(await prompt.textContent(), "R1#");
  // Tab completes a keyword; ? lists what may come next.
  const input = page.getByTestId("console-input");
  await input.fill("conf");
  await input.press("Tab");
  await lab.settled();
  assert.equal(await input.inputValue(), "configure ");
  await input.fill("configure t");
  await input.press("Enter");
  await lab.settled();
  assert.equal(await prompt.textContent(), "R1(config)#");
  await input.fill("ip ");
  await input.press("?");
  await page.getByTestId("console-output").getByText("Establish static routes").waitFor();
  assert.equal(await input.inputValue(), "ip ", "? leaves the line as typed");
  await input.fill("");
  assert.match(await lab.consoleLine("ip adress 1.1.1.1"), /\^\n% Invalid input detected at '\^' marker\./);
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
    await lab.consoleLine(line);
  }
  assert.equal(await prompt.textContent(), "R1#");
  assert.match(await lab.consoleLine("sh ip int br"), /GigabitEthernet0\/0\s+192\.168\.1\.1\s+YES manual up/);

  await lab.cli("R2");
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
    await lab.consoleLine(line);
  }
  assert.match(await lab.consoleLine("show running-config"), /ip dhcp pool LAN2\n network 192\.168\.2\.0 255\.255\.255\.0\n default-router 192\.168\.2\.1/);

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

/** Waits until the console output holds `n` finished pings (their success-rate lines). */
async function pingsDone(page, n) {
  await page.waitForFunction(
    (want) => (document.querySelector('[data-testid="console-output"]').textContent.match(/Success rate is/g) ?? []).length >= want,
    n,
    { timeout: 30_000 },
  );
  return page.getByTestId("console-output").textContent();
}

/** The two lights of the first cable (R1 g0/1 — R2 g0/1 in S9). */
async function firstLights(page) {
  return (await page.getByTestId("link-light").evaluateAll((es) => es.map((e) => e.dataset.state))).slice(0, 2);
}

test("a router pings from its CLI tab; the Config tab's up/down switch is the console's shutdown", async () => {
  const lab = await LabPage.open(browser);
  const { page } = lab;
  const doc = await page.evaluate(async (url) => (await fetch(url)).json(), new URL("labs/s9-cli.json", BASE_URL).href);
  doc.actions = [];
  await lab.openLabFile(doc);
  await lab.device("R1").waitFor();
  // S9's routers start with every interface shut down: the link is down.
  assert.deepEqual(await firstLights(page), ["down", "down"]);
  for (const [router, addr] of [["R2", "10.0.0.2"], ["R1", "10.0.0.1"]]) {
    await lab.cli(router);
    for (const line of ["en", "conf t", "int g0/1", `ip add ${addr} 255.255.255.252`, "no sh", "end"]) {
      await lab.consoleLine(line);
    }
  }
  assert.deepEqual(await firstLights(page), ["up", "up"]);

  // The ping runs while the simulation does, printing as IOS does.
  await lab.consoleLine("ping 10.0.0.2");
  let out = await pingsDone(page, 1);
  assert.match(out, /Sending 5, 100-byte ICMP Echos to 10\.0\.0\.2, timeout is 2 seconds:\n[.!]!!!!?\nSuccess rate is (80|100) percent/);
  assert.match(out, /!!!!/);

  // The Config tab: R1's g0/1 switched down is `shutdown`, seen by the console.
  await lab.tab("config");
  const g01 = page.locator('[data-testid="port-up"][data-port="GigabitEthernet0/1"]');
  assert.equal(await g01.isChecked(), true);
  assert.equal(await page.locator('[data-testid="port-up"][data-port="GigabitEthernet0/0"]').isChecked(), false);
  await g01.uncheck();
  assert.deepEqual(await firstLights(page), ["down", "down"]);
  await lab.tab("cli");
  assert.match(await lab.consoleLine("sh ip int br"), /GigabitEthernet0\/1\s+10\.0\.0\.1\s+YES manual administratively down down/);
  assert.match(await lab.consoleLine("show running-config"), /interface GigabitEthernet0\/1\n ip address 10\.0\.0\.1 255\.255\.255\.252\n duplex auto\n speed auto\n shutdown\n/);

  // Undo brings it back up; the ping goes through again.
  await lab.undo();
  await lab.tab("config");
  assert.equal(await g01.isChecked(), true);
  assert.deepEqual(await firstLights(page), ["up", "up"]);
  await lab.tab("cli");
  await lab.consoleLine("ping 10.0.0.2 repeat 3");
  out = await pingsDone(page, 2);
  // (R1 forgot R2's MAC while g0/1 was down: the first echo may time out.)
  assert.match(out, /Sending 3, 100-byte ICMP Echos to 10\.0\.0\.2, timeout is 2 seconds:\n[.!]!!\nSuccess rate is (66|100) percent \([23]\/3\)/);

  // The switch's heading in Indonesian.
  await lab.setLanguage("id");
  await lab.select("SW1");
  await lab.tab("config");
  await page.getByTestId("port-states").getByText("Interface: up atau down").waitFor();
  assert.equal(await page.getByTestId("port-up").count(), await page.locator('[data-testid="port-up"]:checked').count(), "a switch's ports start up");
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});
