// The Services forms change the running network: a host firewall rule stops
// ping, a router access list stops it and counts the hits, reordering rules
// changes the verdict, static routes are kept, and bad values are marked at
// their field without being saved.
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

test("host firewall: a deny rule stops ping, moving an allow rule above it lets it through", async () => {
  const lab = await LabPage.open(browser);
  const { page } = lab;
  await lab.openLabFile(await example(page, "s1-one-server.json"));
  await lab.device("Server0").waitFor();
  assert.match(await lab.runNew("PC0", "ping -n 1 192.168.1.1", "Packets: Sent = 1"), /Received = 1/);

  await lab.service("Server0", "firewall");
  const fw = page.getByTestId("firewall-form");
  await fw.getByTestId("firewall-on").check();
  // A port on an ICMP rule is refused at the field.
  await fw.getByTestId("fw-protocol").selectOption("icmp");
  await fw.getByTestId("fw-ports").fill("99999");
  await fw.getByTestId("fw-add").click();
  assert.equal(await fw.getByTestId("fw-ports").getAttribute("aria-invalid"), "true");
  assert.equal(await fw.getByTestId("fw-rule-row").count(), 0);
  await fw.getByTestId("fw-ports").fill("");
  await fw.getByTestId("fw-add").click();
  await fw.getByTestId("fw-rule-row").waitFor();
  assert.match(await fw.getByTestId("fw-rules").textContent(), /deny icmp any/);

  assert.match(await lab.runNew("PC0", "ping -n 1 192.168.1.1", "Packets: Sent = 1"), /Received = 0/);

  // The deny rule counts the echo request it dropped (live, from the engine).
  await lab.service("Server0", "firewall");
  const hits = fw.getByTestId("fw-rule-hits").first();
  assert.equal(await hits.getAttribute("data-hits"), "1");
  assert.match(await hits.textContent(), /^1 hits$/);
  assert.match(await lab.runNew("PC0", "ping -n 2 192.168.1.1", "Packets: Sent = 2"), /Received = 0/);
  await lab.service("Server0", "firewall");
  assert.equal(await hits.getAttribute("data-hits"), "3");

  await fw.getByTestId("fw-action").selectOption("allow");
  await fw.getByTestId("fw-protocol").selectOption("icmp");
  await fw.getByTestId("fw-remote").fill("192.168.1.0/24");
  await fw.getByTestId("fw-add").click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="fw-rule-row"]').length === 2);
  await fw.getByTestId("fw-rule-up").nth(1).click();
  assert.match(await fw.getByTestId("fw-rule-row").first().textContent(), /allow icmp 192\.168\.1\.0\/24/);
  assert.match(await lab.runNew("PC0", "ping -n 1 192.168.1.1", "Packets: Sent = 1"), /Received = 1/);

  await lab.service("Server0", "firewall");
  await fw.getByTestId("fw-rule-remove").first().click();
  await fw.getByTestId("fw-rule-remove").first().click();
  assert.equal(await fw.getByTestId("fw-rule-row").count(), 0);

  // A desktop's own firewall, from its Desktop tab.
  await lab.openApp("PC1", "firewall");
  await fw.getByTestId("firewall-on").check();
  await fw.getByTestId("fw-protocol").selectOption("icmp");
  await fw.getByTestId("fw-add").click();
  await fw.getByTestId("fw-rule-row").waitFor();
  assert.match(await lab.runNew("PC0", "ping -n 1 192.168.1.3", "Packets: Sent = 1"), /Received = 0/);
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});

test("router: access list typed as IOS lines filters and counts; static routes and DHCP relay", async () => {
  const lab = await LabPage.open(browser);
  const { page } = lab;
  await lab.openLabFile(await example(page, "two-subnets.json"));
  await lab.device("Router0").waitFor();

  await lab.select("Router0");
  await lab.tab("services");
  const acl = page.getByTestId("acl-form");
  await acl.getByTestId("acl-lines").fill("access-list 101 frobnicate");
  await acl.getByTestId("acl-apply").click();
  await acl.getByTestId("acl-error").waitFor();
  assert.match(await acl.getByTestId("acl-error").textContent(), /line 1/);
  assert.equal(await acl.getByTestId("acl-entry-row").count(), 0);

  await acl
    .getByTestId("acl-lines")
    .fill("access-list 101 deny icmp any any\naccess-list 101 permit ip any any\ninterface GigabitEthernet0/0\n ip access-group 101 in");
  await acl.getByTestId("acl-apply").click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="acl-entry-row"]').length === 2);
  assert.match(await acl.getByTestId("acl-bindings").textContent(), /GigabitEthernet0\/0 101 in/);

  // Denied by the router's ACL: ICMP "administratively prohibited" comes
  // back, which Windows prints as "Destination net unreachable" (and counts
  // as received, as the real ping does).
  const denied = await lab.runNew("PC0", "ping -n 2 192.168.2.10", "Packets: Sent = 2");
  assert.match(denied, /Reply from 192\.168\.1\.1: Destination net unreachable\.\n.*Reply from 192\.168\.1\.1: Destination net unreachable\./s);
  assert.doesNotMatch(denied, /bytes=32/);
  await lab.select("Router0");
  await lab.tab("services");
  await page.waitForFunction(() => /deny icmp any any \(\d+ match/.test(document.querySelector('[data-testid="acl-live"]').textContent));

  // Permit first: ping passes.
  await acl.getByTestId("acl-entry-down").first().click();
  assert.match(await acl.getByTestId("acl-entry-row").first().textContent(), /permit ip any any/);
  assert.match(await lab.runNew("PC0", "ping -n 2 192.168.2.10", "Packets: Sent = 2"), /Received = 2/);

  // Static routes on the Config tab.
  await lab.select("Router0");
  await lab.tab("config");
  const routes = page.getByTestId("routes-form");
  await routes.getByTestId("route-network").fill("10.0.0.0");
  await routes.getByTestId("route-mask").fill("/8");
  await routes.getByTestId("route-next-hop").fill("192.168.2");
  await routes.getByTestId("route-add").click();
  assert.equal(await routes.getByTestId("route-next-hop").getAttribute("aria-invalid"), "true");
  await routes.getByTestId("route-next-hop").fill("192.168.2.10");
  await routes.getByTestId("route-add").click();
  await routes.getByTestId("route-row").waitFor();
  assert.match(await routes.getByTestId("routes").textContent(), /10\.0\.0\.0 255\.0\.0\.0 via 192\.168\.2\.10/);

  // DHCP relay.
  await lab.tab("services");
  const relay = page.getByTestId("relay-form");
  await relay.getByTestId("relay-interface").selectOption("GigabitEthernet0/0");
  await relay.getByTestId("relay-helper").fill("192.168.2.10");
  await relay.getByTestId("relay-add").click();
  await relay.getByTestId("relay-row").waitFor();
  assert.match(await relay.getByTestId("relays").textContent(), /GigabitEthernet0\/0 → 192\.168\.2\.10/);
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});

test("HTTP pages are added, edited and removed; DNS, e-mail and DHCP entries are removed", async () => {
  const lab = await LabPage.open(browser);
  const { page } = lab;
  await lab.openLabFile(await example(page, "s1-one-server.json"));
  await lab.device("Server0").waitFor();

  await lab.service("Server0", "http");
  const http = page.getByTestId("http-form");
  await http.getByTestId("http-new-name").fill("../etc/passwd");
  await http.getByTestId("http-new-add").click();
  assert.equal(await http.getByTestId("http-new-name").getAttribute("aria-invalid"), "true");
  await http.getByTestId("http-new-name").fill("news.html");
  await http.getByTestId("http-new-add").click();
  await http.locator('[data-testid="http-file-row"][data-file="news.html"]').waitFor();
  assert.equal(await http.getByTestId("http-editing").textContent(), "news.html");
  await http.getByTestId("http-editor").fill("<h1>Berita kelas 5B</h1><p>Ujian hari Senin.</p>");
  await http.getByTestId("http-save").click();
  await lab.browse("PC0", "hasan.com/news.html", "Berita kelas 5B");

  await lab.service("Server0", "http");
  await http.locator('[data-testid="http-file-row"][data-file="news.html"]').getByTestId("http-file-remove").click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="http-file-row"][data-file="news.html"]'));
  await lab.browse("PC0", "hasan.com/news.html");
  await page.getByTestId("browser-error").waitFor({ timeout: 20_000 });
  assert.match(await page.getByTestId("browser-error").textContent(), /404/);

  // DNS: removing the A record of hasan.com makes the name fail.
  await lab.service("Server0", "dns");
  const dns = page.getByTestId("dns-form");
  const before = await dns.getByTestId("dns-record-row").count();
  await dns.getByTestId("dns-record-row").filter({ hasText: /^hasan\.com\.A192\.168\.1\.1/ }).getByTestId("dns-record-remove").click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="dns-record-row"]').length === n - 1, before);
  await dns.getByTestId("dns-q-name").fill("hasan.com");
  await dns.getByTestId("dns-ask").click();
  await page.waitForFunction(() => /NODATA/.test(document.querySelector('[data-testid="dns-answer"]').textContent));

  // E-mail: remove a user; DHCP: remove the pool.
  await page.getByTestId("svc-email").click();
  const mail = page.getByTestId("email-form");
  await mail.getByTestId("email-user-row").filter({ hasText: "akbari@hasan.com" }).getByTestId("email-user-remove").click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="email-user-row"]').length === 1);
  await page.getByTestId("svc-dhcp").click();
  const dhcp = page.getByTestId("dhcp-form");
  await dhcp.getByTestId("dhcp-pool-remove").click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="dhcp-pool-row"]').length === 0);
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});
