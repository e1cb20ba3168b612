// Open pages in a real headless browser (Debian's chromium-headless-shell, driven by
// puppeteer-core) and report what a reader would meet: axe-core's WCAG 2.1 A/AA violations,
// where the element a link's #anchor names lands, screenshots and an A4 printout.
// One browser for the whole run. Reads a JSON job on stdin, writes a JSON report on stdout:
//   {"chromium": PATH, "axe": PATH, "pages": [{"file": PATH, "axe": true,
//     "anchors": ["p12"], "shots": [{"path": PNG, "selector": "#tbl-1"}], "pdf": PATH}]}
//   → [{"file": PATH, "violations": [...], "anchors": {"p12": {"top": 0, "scrolled": 4210}}}]
"use strict";

const fs = require("fs");
const path = require("path");
const { pathToFileURL } = require("url");
const puppeteer = require("puppeteer-core");

const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

async function violations(page, axePath) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }),
    WCAG_21_AA,
  );
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
  }));
}

async function landing(page, url, anchor) {
  // A new navigation, as a reader following a link from elsewhere does.
  await page.goto("about:blank");
  await page.goto(`${url}#${anchor}`, { waitUntil: "load" });
  return page.evaluate((id) => {
    const element = document.getElementById(id);
    return element === null
      ? null
      : { top: element.getBoundingClientRect().top, scrolled: window.scrollY, text: element.textContent.slice(0, 80) };
  }, anchor);
}

async function shot(page, url, spec) {
  await page.goto(url, { waitUntil: "load" });
  if (spec.selector) {
    const element = await page.$(spec.selector);
    if (element === null) return `no element ${spec.selector}`;
    await element.evaluate((e) => e.scrollIntoView());
    await page.screenshot({ path: spec.path });
  } else {
    await page.screenshot({ path: spec.path });
  }
  return null;
}

async function main() {
  const job = JSON.parse(fs.readFileSync(0, "utf8"));
  const args = typeof process.getuid === "function" && process.getuid() === 0 ? ["--no-sandbox"] : [];
  const browser = await puppeteer.launch({ executablePath: job.chromium, headless: "shell", args });
  const report = [];
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: job.width || 1000, height: job.height || 1300 });
    for (const item of job.pages) {
      const url = pathToFileURL(path.resolve(item.file)).href;
      const found = { file: item.file, anchors: {}, shots: [] };
      await page.goto(url, { waitUntil: "load" });
      if (item.axe) found.violations = await violations(page, job.axe);
      for (const anchor of item.anchors || []) found.anchors[anchor] = await landing(page, url, anchor);
      for (const spec of item.shots || []) found.shots.push(await shot(page, url, spec));
      if (item.pdf) {
        await page.goto(url, { waitUntil: "load" });
        await page.pdf({ path: item.pdf, preferCSSPageSize: true, printBackground: false });
      }
      report.push(found);
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(report));
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
