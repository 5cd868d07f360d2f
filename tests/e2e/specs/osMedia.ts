// Windows media made here for the OS image tests and the screenshots: a WIM captured with
// wimlib-imagex from a Windows-like tree holding a real package manifest, and a site filled
// with two security updates whose files are real cabinets, one of them in the library.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import { BIN, FIXTURES } from "../paths";
import { expect, type Site } from "./harness";

/** The package manifest of a real CBS update (KB5026368): the assembly of its applicability metadata. */
function rollupManifest(): { fileName: string; xml: string } {
  const text = readFileSync(path.join(FIXTURES, "servicing", "cbs", "cbs-rollupfix-core-reduced.xml"), "utf8");
  const xml = text.slice(text.indexOf("<assembly "), text.indexOf("</assembly>") + "</assembly>".length);
  return { fileName: "Package_for_RollupFix~31bf3856ad364e35~arm64~~22000.1936.1.9.mum", xml: `<?xml version="1.0" encoding="utf-8"?>\r\n${xml}` };
}

/** `dir/install.wim`: one Windows 11 Pro image (x64, 10.0.22631.2861) holding the manifest. */
export function makeWim(dir: string): string {
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
export async function servicingCatalog(site: Site, dir: string): Promise<{ id: string; title: string; kb: string }[]> {
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
