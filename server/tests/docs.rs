//! The docs are executed: every `sh` block of the guide and the tutorial runs
//! against a fresh home (blocks marked `sh illustrative` say why they are
//! not), and the generated references match what the binary prints.

mod common;

use common::Baton;
use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

/// (info string, body, line) of every fenced block.
fn blocks(text: &str) -> Vec<(String, String, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(String, String, usize)> = None;
    for (n, line) in text.lines().enumerate() {
        match &mut open {
            None if line.starts_with("```") => {
                open = Some((
                    line.trim_start_matches('`').trim().to_string(),
                    String::new(),
                    n + 1,
                ))
            }
            Some(_) if line.starts_with("```") => out.push(open.take().unwrap()),
            Some((_, body, _)) => {
                body.push_str(line);
                body.push('\n');
            }
            None => {}
        }
    }
    assert!(open.is_none(), "an unclosed code block");
    out
}

fn run_doc(name: &str) -> usize {
    let text = std::fs::read_to_string(root().join("docs").join(name)).unwrap();
    let b = Baton::new();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_baton"))
        .parent()
        .unwrap()
        .to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut ran = 0;
    for (info, body, line) in blocks(&text) {
        match info.as_str() {
            "sh" => {}
            "sh illustrative" => {
                assert!(
                    body.starts_with("# Illustrative:"),
                    "{name}:{line}: an illustrative block must say why it is not run"
                );
                continue;
            }
            _ => continue,
        }
        let out = Command::new("bash")
            .args(["-euo", "pipefail", "-c", &body])
            .env("PATH", &path)
            .env("BATON_HOME", b.home())
            .env_remove("BATON_BOARD")
            .env_remove("BATON_TASK")
            .env_remove("BATON_RUN")
            .current_dir(b.dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}:{line}: this block failed:\n{body}\nstdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        ran += 1;
    }
    ran
}

#[test]
fn every_command_in_the_guide_runs() {
    assert!(run_doc("guide.md") >= 6);
}

#[test]
fn every_command_in_the_tutorial_runs() {
    assert!(run_doc("tutorial.md") >= 6);
}

#[test]
fn the_cli_and_rest_references_are_current() {
    let b = Baton::new();
    for (what, file) in [("cli", "cli.md"), ("rest", "rest.md")] {
        let generated = b.run(&["reference", what]).ok().stdout;
        let committed = std::fs::read_to_string(root().join("docs").join(file)).unwrap_or_default();
        assert!(
            generated == committed,
            "docs/{file} is out of date: run `scripts/docs.sh` (it runs `baton reference {what}`)"
        );
    }
}

#[test]
fn every_images_link_in_the_tutorial_names_a_screenshot_the_script_takes() {
    let text = std::fs::read_to_string(root().join("docs/tutorial.md")).unwrap();
    let script = std::fs::read_to_string(root().join("end2end/shots/tutorial.shots.ts")).unwrap();
    for part in text.split("](images/").skip(1) {
        let name = part.split(')').next().unwrap();
        assert!(
            script.contains(name),
            "the screenshot script never writes {name}"
        );
    }
}
