// Where the pictures go and what each shows. Every picture taken is recorded with a caption
// (in a list beside the servers' state); after the run, the teardown rewrites
// docs/screenshots/README.md from the pictures in the folder, so the index never names a file
// that is gone and a picture not retaken keeps the caption it had.
import { appendFileSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Locator, Page } from "@playwright/test";
import { ROOT } from "../paths";

export const OUT = path.join(ROOT, "docs", "screenshots");
const CAPTIONS = path.join(__dirname, "..", ".screenshot-captions.jsonl");
const INDEX = path.join(OUT, "README.md");

export const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

/** Takes the picture `file` of the page, or of one element of it (a wizard), and records what it shows. */
export async function shoot(page: Page | Locator, file: string, caption: string): Promise<void> {
  await page.screenshot({ path: path.join(OUT, file) });
  appendFileSync(CAPTIONS, `${JSON.stringify({ file, caption })}\n`);
}

/** Removes the pictures `mine` says are this spec's, so a page gone from the console leaves no picture behind. */
export function clearPictures(mine: (file: string) => boolean): void {
  if (!existsSync(OUT)) return;
  for (const f of readdirSync(OUT)) if (f.endsWith(".png") && mine(f)) rmSync(path.join(OUT, f));
}

const HEAD = `# Screenshots

Made by \`npm --prefix tests/e2e run screenshots\` (Chromium, 1440×900) against throw-away sites
the run seeds itself: one picture per node of every workspace (\`<workspace>--<node>.png\`) and
every page of every wizard (\`<wizard>-<nn>-<page>.png\`, the wizard's window alone, filled with
valid values up to the Summary, and Completion where the site can finish the change on this
machine). This index is rewritten by the same command.

| File | Shows |
| --- | --- |
`;

/** Rewrites the index: every picture in the folder, with this run's caption or the one it had. */
export function writeIndex(): void {
  if (!existsSync(OUT)) return;
  const captions = new Map<string, string>();
  if (existsSync(INDEX)) {
    for (const m of readFileSync(INDEX, "utf8").matchAll(/^\| \[([^\]]+)\]\([^)]*\) \| (.*) \|$/gm)) captions.set(m[1], m[2]);
  }
  if (existsSync(CAPTIONS)) {
    for (const line of readFileSync(CAPTIONS, "utf8").split("\n").filter(Boolean)) {
      const { file, caption } = JSON.parse(line) as { file: string; caption: string };
      captions.set(file, caption.replace(/\|/g, "\\|"));
    }
    rmSync(CAPTIONS);
  }
  const rows = readdirSync(OUT)
    .filter((f) => f.endsWith(".png"))
    .sort()
    .map((f) => `| [${f}](${f}) | ${captions.get(f) ?? ""} |`);
  writeFileSync(INDEX, `${HEAD}${rows.join("\n")}\n`);
}
