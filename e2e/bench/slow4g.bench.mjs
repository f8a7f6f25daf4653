// Browser benchmark of the first load on a school's connection: dist/ served
// by a loopback static server that gzips (as GitHub Pages or nginx do), with
// Chromium's network throttled over CDP to Lighthouse's "slow 4G" figures
// (150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up), cold cache, no service
// worker. Measures navigation → interactive canvas (target ≤ 3.0 s) and
// navigation → engine ready (target ≤ 6 s): the element carrying
// `data-engine` says `ready` (the engine's Web Worker has loaded its wasm and
// said so). Run by `cargo xtask bench`, or alone:
// LANLAB_DIST=dist node e2e/bench/slow4g.bench.mjs
import http from "node:http";
import zlib from "node:zlib";
import path from "node:path";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { launch } from "../lanlab.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.resolve(process.env.LANLAB_DIST ?? path.join(HERE, "..", "..", "dist"));
const RUNS = Number(process.env.LANLAB_BENCH_RUNS ?? 5);
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".wasm": "application/wasm",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".webmanifest": "application/manifest+json",
};

// gzip -6 once per file, as a static host's on-the-fly compression would.
const cache = new Map();
const server = http.createServer(async (req, res) => {
  let rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
  if (rel.endsWith("/")) rel += "index.html";
  const file = path.join(DIST, path.normalize(rel));
  if (!file.startsWith(DIST)) return res.writeHead(403).end();
  try {
    if (!cache.has(file)) {
      const raw = await readFile(file);
      cache.set(file, { raw, gz: zlib.gzipSync(raw, { level: 6 }) });
    }
    const { raw, gz } = cache.get(file);
    const type = TYPES[path.extname(file)] ?? "application/octet-stream";
    const gzip = /\bgzip\b/.test(req.headers["accept-encoding"] ?? "");
    res.writeHead(200, {
      "Content-Type": type,
      "Cache-Control": "no-store",
      ...(gzip ? { "Content-Encoding": "gzip" } : {}),
    });
    res.end(gzip ? gz : raw);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${server.address().port}/`;

const browser = await launch();
const canvas = [];
const engine = [];
const bytes = [];
for (let i = 0; i < RUNS; i++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: "block" });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6e6 / 8),
    uploadThroughput: (750e3 / 8),
  });
  let transferred = 0;
  cdp.on("Network.loadingFinished", (e) => (transferred += e.encodedDataLength));
  page.setDefaultTimeout(60_000);
  const start = performance.now();
  await page.goto(url);
  await page.getByTestId("canvas").waitFor({ state: "visible" });
  await page.getByTestId("palette-pc").waitFor({ state: "visible" });
  canvas.push(performance.now() - start);
  await page.locator('[data-engine="ready"]').first().waitFor({ state: "attached" });
  engine.push(performance.now() - start);
  bytes.push(transferred);
  await context.close();
}
await browser.close();
server.close();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (ms) => (ms / 1000).toFixed(2) + " s";
console.log(`slow 4G (150 ms RTT, 1.6/0.75 Mbit/s), gzip, cold, ${RUNS} runs:`);
console.log(`  navigation → interactive canvas: median ${s(median(canvas))} (min ${s(Math.min(...canvas))}, max ${s(Math.max(...canvas))}; target ≤ 3.00 s)`);
console.log(`  navigation → engine ready:       median ${s(median(engine))} (target ≤ 6.00 s)`);
console.log(`  bytes over the wire by engine ready: median ${(median(bytes) / 1000).toFixed(0)} KB`);
