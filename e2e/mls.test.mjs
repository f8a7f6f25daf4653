// A Multilayer Switch from the palette routes between two VLANs: PCs in
// VLANs 10 and 20 get static addresses with the SVIs as gateways, the
// switch is configured by typing at its console (VLANs, access ports,
// interface vlan, ip routing), and the PCs ping each other; `no ip
// routing` stops it.
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

test("a multilayer switch routes between VLANs through its SVIs", async () => {
  const lab = await LabPage.open(browser);
  const { page } = lab;
  await lab.dragToCanvas("pc", 150, 150);
  await lab.dragToCanvas("mls", 350, 250);
  await lab.dragToCanvas("pc", 550, 150);
  // The cable tool takes the first free ports: Fa0/1 and Fa0/2.
  await lab.cable("PC0", "MLS0");
  await lab.cable("PC1", "MLS0");
  await lab.setStaticIp("PC0", "192.168.10.10", "255.255.255.0", { gateway: "192.168.10.1" });
  await lab.setStaticIp("PC1", "192.168.20.10", "255.255.255.0", { gateway: "192.168.20.1" });

  await lab.cli("MLS0");
  const prompt = page.getByTestId("console-prompt");
  assert.equal(await prompt.textContent(), "MLS0>");
  for (const line of [
    "en",
    "conf t",
    "vlan 10",
    "vlan 20",
    "exit",
    "int fa0/1",
    "switchport mode access",
    "switchport access vlan 10",
    "int fa0/2",
    "switchport mode access",
    "switchport access vlan 20",
    "interface vlan 10",
    "ip address 192.168.10.1 255.255.255.0",
    "interface vlan 20",
    "ip address 192.168.20.1 255.255.255.0",
    "exit",
    "ip routing",
    "end",
  ]) {
    await lab.consoleLine(line);
  }
  assert.equal(await prompt.textContent(), "MLS0#");
  assert.match(await lab.consoleLine("sh ip int br"), /Vlan20\s+192\.168\.20\.1\s+YES manual up\s+up/);
  assert.match(await lab.consoleLine("show ip route"), /C\s+192\.168\.10\.0\/24 is directly connected, Vlan10/);

  const out = await lab.runNew("PC0", "ping -n 2 192.168.20.10", "Packets: Sent = 2");
  assert.match(out, /Sent = 2, Received = 2, Lost = 0/);

  await lab.cli("MLS0");
  for (const line of ["conf t", "no ip routing", "end"]) {
    await lab.consoleLine(line);
  }
  const lost = await lab.runNew("PC0", "ping -n 2 192.168.20.10", "Packets: Sent = 2");
  assert.match(lost, /Received = 0/);

  await page.screenshot({ path: path.join(ARTIFACTS, "mls.png") });
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});
