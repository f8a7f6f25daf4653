// Telnet to a router from a PC's Command Prompt: R1 gets a vty password and
// an enable secret at its CLI tab; PC1 telnets to it, the password is asked
// and not shown, `show ip interface brief` answers, a hostname typed over
// telnet renames the router on the canvas (a document edit: undo takes it
// back), and `exit` closes the connection.
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

/** Types a line at the open Command Prompt; waits for `until` after it. */
async function typeAt(page, line, until) {
  const out = page.getByTestId("terminal-output");
  const before = (await out.textContent()).length;
  const input = page.getByTestId("terminal-input");
  await input.fill(line);
  await input.press("Enter");
  await page.waitForFunction(
    ([from, text]) => document.querySelector('[data-testid="terminal-output"]').textContent.slice(from).includes(text),
    [before, until],
    { timeout: 20_000 },
  );
  return (await out.textContent()).slice(before);
}

test("PC1 telnets to R1, logs in with the vty password and configures it", async () => {
  const lab = await LabPage.open(browser);
  const { page } = lab;
  const doc = await page.evaluate(async (url) => (await fetch(url)).json(), new URL("labs/s9-cli.json", BASE_URL).href);
  doc.actions = [];
  await lab.openLabFile(doc);
  await lab.device("R1").waitFor();

  await lab.select("R1");
  await lab.tab("cli");
  const input = page.getByTestId("console-input");
  for (const line of [
    "enable",
    "conf t",
    "int g0/0",
    "ip address 192.168.1.1 255.255.255.0",
    "no shutdown",
    "enable secret class",
    "line vty 0 4",
    "password cisco",
    "login",
    "end",
  ]) {
    await input.fill(line);
    await input.press("Enter");
  }
  await page.getByTestId("console-prompt").getByText("R1#").waitFor();

  const login = await lab.runNew("PC1", "telnet 192.168.1.1", "Password: ");
  assert.match(login, /Connected to 192\.168\.1\.1\.\n\nUser Access Verification\n\nPassword: /);
  // At a Password: prompt the input box masks what is typed.
  const terminalInput = page.getByTestId("terminal-input");
  assert.equal(await terminalInput.getAttribute("type"), "password");
  const exec = await typeAt(page, "cisco", "R1>");
  assert.ok(!exec.includes("cisco"), `the password is not shown: ${exec}`);
  assert.equal(await terminalInput.getAttribute("type"), "text");
  const brief = await typeAt(page, "show ip interface brief", "R1>");
  assert.match(brief, /ip interface brief\nInterface\s+IP-Address/);
  assert.match(brief, /GigabitEthernet0\/0\s+192\.168\.1\.1\s+YES manual up/);

  await typeAt(page, "enable", "Password: ");
  const priv = await typeAt(page, "class", "R1#");
  assert.ok(!priv.includes("class"), priv);
  await typeAt(page, "conf t", "R1(config)#");
  await typeAt(page, "hostname R9", "R9(config)#");
  // The router is renamed in the document: the canvas shows it, undo takes it back.
  await lab.device("R9").waitFor();
  await typeAt(page, "end", "R9#");
  const bye = await typeAt(page, "exit", "Connection to host lost.");
  assert.match(bye, /xit\n\nConnection to host lost\./);
  await lab.undo();
  await lab.device("R1").waitFor();
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});
