// Installers made here for the third-party tests and the screenshots.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../paths";

/** `dir/notes.msi`, a real package (Contoso Notes 2.1.0.0 by Contoso Ltd.), and a settings file beside it. */
export function contosoNotesMsi(dir: string): { msi: string; extra: string } {
  // The package the Rust tests build too: one readme.txt in one component.
  writeFileSync(path.join(dir, "readme.txt"), "Contoso Notes\n");
  const fields: Record<string, string> = {
    PRODUCT_CODE: "{3C2B1A09-8F7E-4D6C-9B5A-4E3D2C1B0A9F}",
    NAME: "Contoso Notes",
    VERSION: "2.1.0.0",
    MANUFACTURER: "Contoso Ltd.",
    UPGRADE_CODE: "{4D3C2B1A-9F8E-4E7D-8C6B-5F4E3D2C1B0A}",
    COMPONENT_GUID: "{5E4D3C2B-0A9F-4F8E-9D7C-6A5F4E3D2C1B}",
  };
  const template = readFileSync(path.join(ROOT, "src-tauri", "crates", "site", "tests", "support", "package.wxs"), "utf8");
  writeFileSync(path.join(dir, "notes.wxs"), template.replace(/@([A-Z_]+)@/g, (_, key: string) => fields[key]));
  execFileSync("wixl", ["notes.wxs", "-o", "notes.msi"], { cwd: dir });
  const extra = path.join(dir, "settings.ini");
  writeFileSync(extra, "[Notes]\nTelemetry=0\n");
  return { msi: path.join(dir, "notes.msi"), extra };
}

/** `dir/sketch-setup.exe`, a real Windows program with a version resource (Northwind Sketch 5.4.0 by Northwind
 *  Traders), built with binutils for mingw-w64 as the installer crate's tests build theirs,
 *  and two files to go with it. */
export function northwindSketchExe(dir: string): { exe: string; extras: string[] } {
  const rc = [
    "1 VERSIONINFO",
    "FILEVERSION 5,4,0,0",
    "PRODUCTVERSION 5,4,0,0",
    "FILEOS 0x40004",
    "FILETYPE 0x1",
    "BEGIN",
    '  BLOCK "StringFileInfo"',
    "  BEGIN",
    '    BLOCK "040904b0"',
    "    BEGIN",
    '      VALUE "CompanyName", "Northwind Traders"',
    '      VALUE "FileDescription", "Northwind Sketch Setup"',
    '      VALUE "ProductName", "Northwind Sketch"',
    '      VALUE "ProductVersion", "5.4.0"',
    "    END",
    "  END",
    '  BLOCK "VarFileInfo"',
    "  BEGIN",
    '    VALUE "Translation", 0x0409, 1200',
    "  END",
    "END",
    "",
  ].join("\n");
  writeFileSync(path.join(dir, "sketch.rc"), rc);
  writeFileSync(path.join(dir, "start.s"), ".text\n.globl start\nstart:\n  ret\n");
  execFileSync("x86_64-w64-mingw32-windres", ["--preprocessor=cpp", "sketch.rc", "-O", "coff", "-o", "sketch.res.o"], { cwd: dir });
  execFileSync("x86_64-w64-mingw32-as", ["start.s", "-o", "start.o"], { cwd: dir });
  execFileSync("x86_64-w64-mingw32-ld", ["-o", "sketch-setup.exe", "start.o", "sketch.res.o", "--entry", "start", "--subsystem", "windows"], { cwd: dir });
  const extras = [path.join(dir, "sketch.ini"), path.join(dir, "brushes.dat")];
  writeFileSync(extras[0], "[Sketch]\nUpdates=0\n");
  writeFileSync(extras[1], Buffer.alloc(300_000, 7));
  return { exe: path.join(dir, "sketch-setup.exe"), extras };
}
