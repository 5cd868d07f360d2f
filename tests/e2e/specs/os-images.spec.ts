// OS Images and OS Upgrade Packages (issue 17, OSP-1/OSP-3): real WIM files made here with
// wimlib-imagex from a Windows-like tree holding a real package manifest, added through the
// Add wizards; the grid and details show what `wimlib-imagex info` prints and the update the
// manifest names; a refused file is said under the path; Cancel changes nothing. Offline
// servicing on a site of its own: updates with real cabinets (made here) in its catalog and
// library, Schedule Updates through to Completion driving DISM's stand-in, the run followed
// from In progress to Successful in Monitoring › Offline Servicing, then the image's
// Properties (Installed Updates, Servicing with the link to the run's log). Distribute
// Content to a folder point, followed on the Distribution tab to Installed.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import { BIN, FIXTURES, ROOT } from "../paths";
import { expect, openConsole, openNode, runCommand, test, type Site } from "./harness";

interface Named {
  id: number;
  name: string;
}

/** The package manifest of a real CBS update (KB5026368): the assembly of its applicability metadata. */
function rollupManifest(): { fileName: string; xml: string } {
  const text = readFileSync(path.join(FIXTURES, "servicing", "cbs", "cbs-rollupfix-core-reduced.xml"), "utf8");
  const xml = text.slice(text.indexOf("<assembly "), text.indexOf("</assembly>") + "</assembly>".length);
  return { fileName: "Package_for_RollupFix~31bf3856ad364e35~arm64~~22000.1936.1.9.mum", xml: `<?xml version="1.0" encoding="utf-8"?>\r\n${xml}` };
}

/** `dir/install.wim`: one Windows 11 Pro image (x64, 10.0.22631.2861) holding the manifest. */
function makeWim(dir: string): string {
  const tree = path.join(dir, "tree");
  mkdirSync(path.join(tree, "Windows", "System32"), { recursive: true });
  mkdirSync(path.join(tree, "Windows", "servicing", "Packages"), { recursive: true });
  writeFileSync(path.join(tree, "Windows", "System32", "ntoskrnl.exe"), "kernel ".repeat(500));
  const m = rollupManifest();
  writeFileSync(path.join(tree, "Windows", "servicing", "Packages", m.fileName), m.xml);
  const wim = path.join(dir, "install.wim");
  execFileSync("wimlib-imagex", ["capture", tree, wim, "Windows 11 Pro", "e2e image", "--flags=Professional"], { stdio: "ignore" });
  const props = ["ARCH=9", "EDITIONID=Professional", "VERSION/MAJOR=10", "VERSION/MINOR=0", "VERSION/BUILD=22631", "VERSION/SPBUILD=2861", "LANGUAGES/LANGUAGE=en-US", "LANGUAGES/DEFAULT=en-US"];
  execFileSync("wimlib-imagex", ["info", wim, "1", ...props.flatMap((p) => ["--image-property", `WINDOWS/${p}`])], { stdio: "ignore" });
  rmSync(tree, { recursive: true });
  return wim;
}

/** What `wimlib-imagex info <wim> 1` prints for `label`. */
function printed(wim: string, label: string): string {
  const out = execFileSync("wimlib-imagex", ["info", wim, "1"], { encoding: "utf8" });
  const line = out.split("\n").find((l) => l.startsWith(`${label}:`));
  if (!line) throw new Error(`wimlib-imagex info prints no ${label}`);
  return line.slice(label.length + 1).trim();
}

async function removeAll(site: Site, list: string, remove: string, prefix: string): Promise<void> {
  for (const item of await site.api<Named[]>(list, {}).catch(() => [] as Named[])) {
    if (item.name.startsWith(prefix)) await site.api(remove, { id: item.id }).catch(() => undefined);
  }
}

test("Add Operating System Image: a refused file is said under the path, Cancel adds nothing, and the image added shows what wimlib reads", async ({ page, site }) => {
  const dir = mkdtempSync(path.join(tmpdir(), "patchdeck-e2e-wim-"));
  const t = `E2E ${Date.now()}`;
  try {
    const wim = makeWim(dir);
    const notes = path.join(dir, "notes.wim");
    writeFileSync(notes, "not an image");
    const before = (await site.api<Named[]>("list_os_images", {})).length;
    await openConsole(page, site);
    await openNode(page, "Software Library", "OS Images");
    const grid = page.getByRole("grid", { name: "Operating System Images" });
    await expect(grid).toBeVisible();

    // Cancel after the site read the file: nothing added.
    await runCommand(page, "Add Operating System Image");
    const w = page.getByTestId("os-image-wizard");
    await w.getByTestId("os-image-path").fill(wim);
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(page.locator("#wizard-page-heading")).toContainText("Specify information about the operating system image");
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect(w).toHaveCount(0);
    expect((await site.api<Named[]>("list_os_images", {})).length).toBe(before);

    // A file that is not a WIM is refused under the path; the image is then added.
    await runCommand(page, "Add Operating System Image");
    await w.getByTestId("os-image-path").fill(notes);
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(w.getByText(`${notes} is not a Windows image`, { exact: false })).toBeVisible();
    await w.getByTestId("os-image-path").fill(wim);
    await page.getByRole("button", { name: "Next >" }).click();
    await w.getByTestId("os-image-name").fill(`${t} gold`);
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(w.getByText("1: Windows 11 Pro (Professional, x64, 10.0.22631.2861)")).toBeVisible();
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(w.getByTestId("os-image-added")).toHaveText(`The operating system image "${t} gold" was added: 1 image, 1 update present.`);
    await page.getByRole("button", { name: "Close" }).click();

    const row = grid.getByRole("row").filter({ hasText: `${t} gold` });
    await expect(row).toBeVisible();
    const version = `${printed(wim, "Major Version")}.${printed(wim, "Minor Version")}.${printed(wim, "Build")}.${printed(wim, "Service Pack Build")}`;
    await expect(row).toContainText(version);
    await expect(row).toContainText(printed(wim, "Languages"));
    await row.click();
    await page.getByRole("tab", { name: "Images" }).click();
    const images = page.getByRole("tabpanel", { name: "Images" }).getByRole("table");
    await expect(images.getByRole("row").nth(1)).toContainText(printed(wim, "Name"));
    await expect(images.getByRole("row").nth(1)).toContainText(printed(wim, "Edition ID"));
    await page.getByRole("tab", { name: "Update Status" }).click();
    const updates = page.getByRole("tabpanel", { name: "Update Status" }).getByRole("table");
    await expect(updates.getByRole("row").filter({ hasText: "KB5026368" })).toContainText("Package_for_RollupFix");
  } finally {
    await removeAll(site, "list_os_images", "delete_os_image", t);
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The files of a site's upload folders (none when the folder is absent). */
function uploadsOf(siteFolder: string): string[] {
  const root = path.join(siteFolder, "publishing", "uploads");
  try {
    return readdirSync(root, { recursive: true }).map(String);
  } catch {
    return [];
  }
}

test("Add Operating System Image by upload from this computer: streamed to the site, added from there to Completion; Cancel after an upload leaves nothing", async ({ page, site }) => {
  const dir = mkdtempSync(path.join(tmpdir(), "patchdeck-e2e-wim-upload-"));
  const t = `E2E ${Date.now()}`;
  try {
    const wim = makeWim(dir);
    await openConsole(page, site);
    await openNode(page, "Software Library", "OS Images");
    const grid = page.getByRole("grid", { name: "Operating System Images" });
    await expect(grid).toBeVisible();

    await runCommand(page, "Add Operating System Image");
    const w = page.getByTestId("os-image-wizard");
    await w.getByLabel("Image file to upload").setInputFiles(wim);
    await w.getByRole("button", { name: "Upload", exact: true }).click();
    await expect(w.getByTestId("image-upload-done")).toContainText("Uploaded install.wim");
    const uploaded = await w.getByTestId("os-image-path").inputValue();
    expect(uploaded).toContain(path.join("publishing", "uploads"));
    await page.getByRole("button", { name: "Next >" }).click();
    await w.getByTestId("os-image-name").fill(`${t} uploaded`);
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(w.getByText("1: Windows 11 Pro (Professional, x64, 10.0.22631.2861)")).toBeVisible();
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(w.getByTestId("os-image-added")).toHaveText(`The operating system image "${t} uploaded" was added: 1 image, 1 update present.`);
    await page.getByRole("button", { name: "Close" }).click();
    await expect(grid.getByRole("row").filter({ hasText: `${t} uploaded` })).toBeVisible();

    // The image's file is the uploaded bytes, in the site's image folder; the upload is gone.
    const added = (await site.api<(Named & { wimPath: string })[]>("list_os_images", {})).find((i) => i.name === `${t} uploaded`);
    expect(added?.wimPath).toContain(path.join("os-images", path.basename(path.dirname(uploaded)), "install.wim"));
    const siteFolder = path.resolve(path.dirname(uploaded), "..", "..", "..");
    const digest = (f: string) => createHash("sha256").update(readFileSync(f)).digest("hex");
    expect(digest(added?.wimPath ?? "")).toBe(digest(wim));
    expect(uploadsOf(siteFolder)).toEqual([]);

    // Uploaded, then Cancel: the site removes what it received.
    await runCommand(page, "Add Operating System Image");
    await w.getByLabel("Image file to upload").setInputFiles(wim);
    await w.getByRole("button", { name: "Upload", exact: true }).click();
    await expect(w.getByTestId("image-upload-done")).toBeVisible();
    expect(uploadsOf(siteFolder).length).toBeGreaterThan(0);
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect(w).toHaveCount(0);
    await expect.poll(() => uploadsOf(siteFolder)).toEqual([]);
  } finally {
    await removeAll(site, "list_os_images", "delete_os_image", t);
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Add Operating System Upgrade Package: a folder without setup.exe is refused, then the package is added", async ({ page, site }) => {
  const dir = mkdtempSync(path.join(tmpdir(), "patchdeck-e2e-media-"));
  const t = `E2E ${Date.now()}`;
  try {
    const media = path.join(dir, "media");
    mkdirSync(path.join(media, "sources"), { recursive: true });
    makeWim(path.join(media, "sources"));
    await openConsole(page, site);
    await openNode(page, "Software Library", "OS Upgrade Packages");
    const grid = page.getByRole("grid", { name: "Operating System Upgrade Packages" });
    await expect(grid).toBeVisible();
    await runCommand(page, "Add Operating System Upgrade Package");
    const w = page.getByTestId("os-image-wizard");
    await w.getByTestId("os-image-path").fill(media);
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(w.getByText("it holds no setup.exe", { exact: false })).toBeVisible();
    writeFileSync(path.join(media, "setup.exe"), "MZ");
    await page.getByRole("button", { name: "Next >" }).click();
    await w.getByTestId("os-image-name").fill(`${t} 23H2`);
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(w.getByText(path.join(media, "sources", "install.wim"))).toBeVisible();
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(w.getByTestId("os-image-added")).toContainText(`upgrade package "${t} 23H2" was added`);
    await page.getByRole("button", { name: "Close" }).click();
    await expect(grid.getByRole("row").filter({ hasText: `${t} 23H2` })).toContainText("10.0.22631.2861");
  } finally {
    await removeAll(site, "list_os_upgrade_packages", "delete_os_upgrade_package", t);
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---- Offline servicing (SRV-1..6) ----

/** An uncompressed cabinet (MS-CAB: header, one folder, the files, 32 KiB data blocks). */
function cabinet(files: { name: string; data: Buffer }[]): Buffer {
  const stream = Buffer.concat(files.map((f) => f.data));
  const blocks: Buffer[] = [];
  for (let at = 0; at < stream.length || blocks.length === 0; at += 32768) blocks.push(stream.subarray(at, at + 32768));
  const entries = files.map((f) => Buffer.concat([Buffer.alloc(16), Buffer.from(`${f.name}\0`, "latin1")]));
  let offset = 0;
  files.forEach((f, i) => {
    const e = entries[i];
    e.writeUInt32LE(f.data.length, 0);
    e.writeUInt32LE(offset, 4);
    e.writeUInt16LE(0, 8);
    e.writeUInt16LE(0x5b83, 10); // 2025-12-03
    e.writeUInt16LE(0x6000, 12);
    e.writeUInt16LE(0x20, 14);
    offset += f.data.length;
  });
  const headerSize = 36 + 8;
  const filesAt = headerSize;
  const dataAt = filesAt + entries.reduce((n, e) => n + e.length, 0);
  const data = blocks.map((b) => {
    const h = Buffer.alloc(8);
    h.writeUInt32LE(0, 0); // no checksum
    h.writeUInt16LE(b.length, 4);
    h.writeUInt16LE(b.length, 6);
    return Buffer.concat([h, b]);
  });
  const total = dataAt + data.reduce((n, d) => n + d.length, 0);
  const header = Buffer.alloc(headerSize);
  header.write("MSCF", 0, "latin1");
  header.writeUInt32LE(total, 8);
  header.writeUInt32LE(filesAt, 16);
  header.writeUInt8(3, 24);
  header.writeUInt8(1, 25);
  header.writeUInt16LE(1, 26);
  header.writeUInt16LE(files.length, 28);
  header.writeUInt32LE(dataAt, 36);
  header.writeUInt16LE(blocks.length, 40);
  header.writeUInt16LE(0, 42);
  return Buffer.concat([header, ...entries, ...data]);
}

/** An update's package: update.mum named by its identity (as Windows packages ship) and a new kernel. */
function updatePackage(kb: string): Buffer {
  const identity = `Package_for_${kb}~31bf3856ad364e35~amd64~~10.0.1.0`;
  const mum =
    `<?xml version="1.0" encoding="utf-8" standalone="yes"?>\r\n<assembly xmlns="urn:schemas-microsoft-com:asm.v3" manifestVersion="1.0">` +
    `<assemblyIdentity name="Package_for_${kb}" version="10.0.1.0" processorArchitecture="amd64" language="neutral" publicKeyToken="31bf3856ad364e35" />` +
    `<package identifier="${kb}" releaseType="Security Update" restart="possible"></package></assembly>`;
  return cabinet([
    { name: `${identity}.mum`, data: Buffer.from(mum, "utf8") },
    { name: "Windows\\System32\\ntoskrnl.exe", data: Buffer.from(`new kernel of ${kb} `.repeat(4000)) },
  ]);
}

/**
 * Fills the servicing site: the generated catalog's categories and two of its Windows 11
 * x64 security updates, each File element given the name, size and digests of a package
 * written to `source`; the first is downloaded into the library, the second is not.
 */
async function servicingCatalog(site: Site, dir: string): Promise<{ id: string; title: string; kb: string }[]> {
  const docs = path.join(dir, "docs");
  const source = path.join(dir, "source");
  mkdirSync(source);
  execFileSync(BIN, ["--site", path.join(dir, "scratch"), "gen-catalog", "--count", "300", "--seed", "17", "--out", docs], { stdio: "ignore" });
  const texts = readdirSync(docs).map((f) => readFileSync(path.join(docs, f), "utf8"));
  const categories = texts.filter((x) => x.includes('UpdateType="Category"'));
  const chosen = texts
    .filter((x) => /<upd:Title>[^<]*Security Update for Windows 11 for x64-based Systems \(KB\d+\)<\/upd:Title>/.test(x))
    .filter((x) => !x.includes("<upd:BundledUpdates>") && x.includes("<upd:Files>") && x.includes('PublicationState="Published"'))
    .slice(0, 2);
  expect(chosen).toHaveLength(2);
  const updates = chosen.map((x) => {
    const kb = `KB${/<upd:KBArticleID>(\d+)</.exec(x)?.[1]}`;
    const data = updatePackage(kb);
    const name = `windows11.0-${kb.toLowerCase()}-x64.cab`;
    writeFileSync(path.join(source, name), data);
    const sha1 = createHash("sha1").update(data).digest("base64");
    const sha256 = createHash("sha256").update(data).digest("base64");
    const file = `<upd:Files><upd:File Digest="${sha1}" DigestAlgorithm="SHA1" FileName="${name}" Size="${data.length}" Modified="2026-05-13T17:00:00"><upd:AdditionalDigest Algorithm="SHA256">${sha256}</upd:AdditionalDigest></upd:File></upd:Files>`;
    return {
      xml: x.replace(/<upd:Files>[\s\S]*<\/upd:Files>/, file),
      id: /UpdateID="([^"]+)"/.exec(x)?.[1] ?? "",
      title: /<upd:Title>([^<]*)<\/upd:Title>/.exec(x)?.[1] ?? "",
      kb,
    };
  });
  await site.api("import_xml", { documents: [...categories, ...updates.map((u) => u.xml)] });
  const job = await site.api<{ id: number }>("start_download", {
    newPackageName: "Servicing e2e",
    updateIds: [updates[0].id],
    source: { kind: "LocalFolder", path: source },
  });
  await expect.poll(async () => (await site.api<{ state: string }>("get_download_job", { id: job.id })).state).toBe("Succeeded");
  return updates;
}

test("Schedule Updates: Cancel schedules nothing, an update not downloaded is refused by name, and the run is followed to Successful in Monitoring", async ({ page, servicing }) => {
  const dir = mkdtempSync(path.join(tmpdir(), "patchdeck-e2e-servicing-"));
  try {
    const updates = await servicingCatalog(servicing, dir);
    // DISM's stand-in behind a wrapper that holds /Add-Package while `hold` exists, so the
    // run is seen In progress before it ends.
    const hold = path.join(dir, "hold");
    const dism = path.join(dir, "dism");
    const standin = path.join(ROOT, "src-tauri", "crates", "site", "tests", "support", "dism-standin.sh");
    writeFileSync(dism, `#!/bin/sh\nDISM_STANDIN_HOLD='${hold}' exec '${standin}' "$@"\n`, { mode: 0o755 });
    writeFileSync(hold, "");
    await servicing.api("set_servicing_settings", { servicingDrive: "Automatic", dismPath: dism });
    const wim = makeWim(dir);
    const before = createHash("sha256").update(readFileSync(wim)).digest("hex");
    await servicing.api("add_os_image", { path: wim, name: "Gold" });

    await openConsole(page, servicing);
    await openNode(page, "Software Library", "OS Images");
    const grid = page.getByRole("grid", { name: "Operating System Images" });
    await grid.getByRole("row").filter({ hasText: "Gold" }).click();
    const w = page.getByTestId("schedule-updates-wizard");

    // Cancel in the wizard: nothing scheduled, the image as it was.
    await runCommand(page, "Schedule Updates");
    await w.getByRole("checkbox", { name: updates[0].title }).check();
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(page.locator("#wizard-page-heading")).toContainText("Set the schedule");
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect(w).toHaveCount(0);
    expect(await servicing.api<unknown[]>("list_servicing_runs", { imageId: null })).toEqual([]);
    expect(createHash("sha256").update(readFileSync(wim)).digest("hex")).toBe(before);

    // The update whose content is not in the library is refused by name.
    await runCommand(page, "Schedule Updates");
    await w.getByTestId("schedule-filter").fill(updates[1].kb);
    await expect(w.getByRole("checkbox", { name: updates[0].title })).toHaveCount(0);
    await w.getByRole("checkbox", { name: updates[1].title }).check();
    await w.getByTestId("schedule-filter").fill("");
    await w.getByRole("checkbox", { name: updates[0].title }).check();
    await page.getByRole("button", { name: "Next >" }).click();
    const issue = w.getByTestId("schedule-updates-issue");
    await expect(issue).toContainText("not in the content library");
    await expect(issue).toContainText(updates[1].title);
    await expect(issue.getByRole("button", { name: "Download…" })).toBeVisible();
    await w.getByRole("checkbox", { name: updates[1].title }).uncheck();
    await page.getByRole("button", { name: "Next >" }).click();
    await w.getByRole("checkbox", { name: "Continue on error" }).check();
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(w.getByText(`${updates[0].kb}: ${updates[0].title}`)).toBeVisible();
    await page.getByRole("button", { name: "Next >" }).click();
    await expect(w.getByTestId("schedule-done")).toContainText('1 update scheduled for "Gold"');
    await page.getByRole("button", { name: "Close" }).click();

    // Monitoring follows the run to its end; the image then holds the update.
    await openNode(page, "Monitoring", "Offline Servicing");
    const runs = page.getByRole("grid", { name: "Servicing runs" });
    const row = runs.getByRole("row").filter({ hasText: "Gold" });
    await expect(row).toContainText("In progress");
    rmSync(hold);
    await expect(row).toContainText("Successful", { timeout: 60_000 });
    await row.click();
    await expect(page.getByRole("tabpanel", { name: "Updates" }).getByRole("row").filter({ hasText: updates[0].kb })).toContainText("Installed");
    await page.getByRole("tab", { name: "Servicing log" }).click();
    await expect(page.getByRole("tabpanel", { name: "Servicing log" })).toContainText("Export index 1: the operation completed successfully.");
    // SRV-7 from the console: the servicing drive typed in Servicing Settings is saved.
    await runCommand(page, "Servicing Settings");
    const settings = page.getByTestId("servicing-settings");
    await expect(settings.getByTestId("servicing-dism")).toHaveValue(dism);
    await settings.getByTestId("servicing-drive").fill("/no/such/drive");
    await settings.getByRole("button", { name: "OK" }).click();
    await expect(settings).toHaveCount(0);
    expect(await servicing.api("get_servicing_settings", {})).toEqual({ servicingDrive: "/no/such/drive", dismPath: dism });
    await row.click();
    await page.getByRole("tab", { name: "DISM log" }).click();
    await expect(page.getByRole("tabpanel", { name: "DISM log" })).toContainText(`Adding package Package_for_${updates[0].kb}`);
    await openNode(page, "Software Library", "OS Images");
    const image = grid.getByRole("row").filter({ hasText: "Gold" });
    await expect(image).toContainText("Successful");
    await image.click();
    await page.getByRole("tab", { name: "Update Status" }).click();
    await expect(page.getByRole("tabpanel", { name: "Update Status" }).getByRole("row").filter({ hasText: updates[0].kb })).toContainText("Servicing run");

    // Properties (double-click): Installed Updates says who added each update; Servicing
    // lists the run and opens its log in Monitoring › Offline Servicing.
    const [run] = await servicing.api<{ id: number }[]>("list_servicing_runs", { imageId: null });
    await image.dblclick();
    const props = page.getByRole("dialog", { name: "Gold Properties" });
    await expect(props).toBeVisible();
    await props.getByRole("tab", { name: "Installed Updates" }).click();
    const installed = props.getByRole("table", { name: "Installed Updates" });
    await expect(installed.getByRole("row").filter({ hasText: updates[0].kb })).toContainText(`Servicing run ${run.id}`);
    await expect(installed.getByRole("row").filter({ hasText: "KB5026368" })).toContainText("Present at import");
    await props.getByRole("tab", { name: "Servicing" }).click();
    const runRow = props.getByRole("table", { name: "Servicing" }).getByRole("row").filter({ hasText: "Successful" });
    await expect(runRow).toHaveCount(1);
    await runRow.getByText("View log").click();
    await expect(props).toHaveCount(0);
    await expect(runs).toBeVisible();
    await expect(runs.getByRole("row", { selected: true })).toContainText("Gold");
    await page.getByRole("tab", { name: "Servicing log" }).click();
    await expect(page.getByRole("tabpanel", { name: "Servicing log" })).toContainText("Export index 1: the operation completed successfully.");
  } finally {
    for (const i of await servicing.api<Named[]>("list_os_images", {}).catch(() => [] as Named[])) await servicing.api("delete_os_image", { id: i.id }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Distribute Content: an OS image sent to a folder point reads Installed on its Distribution tab, and the point holds its bytes", async ({ page, site }) => {
  const dir = mkdtempSync(path.join(tmpdir(), "patchdeck-e2e-osdp-"));
  const t = `E2E ${Date.now()}`;
  let dpId: number | null = null;
  try {
    const wim = makeWim(dir);
    await site.api("add_os_image", { path: wim, name: `${t} dp` });
    const point = path.join(dir, "point");
    dpId = (await site.api<{ id: number }>("add_distribution_point", { name: `${t} Branch`, kind: "Folder", location: point })).id;
    await openConsole(page, site);
    await openNode(page, "Software Library", "OS Images");
    const grid = page.getByRole("grid", { name: "Operating System Images" });
    await grid.getByRole("row").filter({ hasText: `${t} dp` }).click();
    await runCommand(page, "Distribute Content");
    const dialog = page.getByRole("dialog", { name: `Distribute Content: ${t} dp` });
    const points = dialog.getByRole("group", { name: "Distribution points" });
    // Only the point made here: the shared site may hold others.
    for (const box of await points.getByRole("checkbox").all()) await box.uncheck();
    await points.getByRole("checkbox", { name: `${t} Branch (${point})` }).check();
    await dialog.getByRole("button", { name: "Distribute" }).click();
    await expect(dialog).toHaveCount(0);
    await page.getByRole("tab", { name: "Distribution" }).click();
    const panel = page.getByRole("tabpanel", { name: "Distribution" });
    // The tab reads the state when shown: Refresh until the copy ends.
    await expect(async () => {
      await runCommand(page, "Refresh");
      await grid.getByRole("row").filter({ hasText: `${t} dp` }).click();
      await page.getByRole("tab", { name: "Distribution" }).click();
      await expect(panel.getByRole("row").filter({ hasText: `${t} Branch` })).toContainText("Installed", { timeout: 2_000 });
    }).toPass({ timeout: 60_000 });
    const [row] = await site.api<{ path: string }[]>("os_image_distribution_status", { imageId: (await site.api<Named[]>("list_os_images", {})).find((i) => i.name === `${t} dp`)?.id });
    const held = readFileSync(path.join(point, "Content", row.path));
    expect(createHash("sha256").update(held).digest("hex")).toBe(createHash("sha256").update(readFileSync(wim)).digest("hex"));
  } finally {
    await removeAll(site, "list_os_images", "delete_os_image", t);
    if (dpId !== null) await site.api("remove_distribution_point", { id: dpId }).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
});
