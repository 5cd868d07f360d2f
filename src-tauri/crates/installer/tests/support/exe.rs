//! A real Windows program with a version resource (Fabrikam Viewer Setup 3.2.1.7 by Fabrikam
//! SARL), built with binutils' windres, as and ld for mingw-w64; included by path from the
//! installer's and the site's tests.

// Each test file that includes it uses part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn run(dir: &Path, program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{program} could not start ({e}): .ci/setup.sh installs it"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `setup.exe` in `dir`.
pub fn build_exe(dir: &Path) -> PathBuf {
    let rc = r#"1 VERSIONINFO
FILEVERSION 3,2,1,7
PRODUCTVERSION 3,2,1,7
FILEOS 0x40004
FILETYPE 0x1
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040c04b0"
    BEGIN
      VALUE "CompanyName", "Fabrikam SARL"
      VALUE "FileDescription", "Fabrikam Viewer Setup"
      VALUE "ProductName", "Fabrikam Viewer"
      VALUE "ProductVersion", "3.2.1"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x040c, 1200
  END
END
"#;
    std::fs::write(dir.join("setup.rc"), rc).expect("write");
    std::fs::write(dir.join("start.s"), ".text\n.globl start\nstart:\n  ret\n").expect("write");
    run(
        dir,
        "x86_64-w64-mingw32-windres",
        &["--preprocessor=cpp", "setup.rc", "-O", "coff", "-o", "setup.res.o"],
    );
    run(dir, "x86_64-w64-mingw32-as", &["start.s", "-o", "start.o"]);
    run(
        dir,
        "x86_64-w64-mingw32-ld",
        &[
            "-o",
            "setup.exe",
            "start.o",
            "setup.res.o",
            "--entry",
            "start",
            "--subsystem",
            "windows",
        ],
    );
    dir.join("setup.exe")
}
