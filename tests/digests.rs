//! Every scenario in `scenarios/` gives the JSON recorded in `tests/golden/digests.txt`, byte
//! for byte (as SHA-256 digests, 3 replications each): a refactoring that changes any number,
//! key or order anywhere fails here. `tests/golden/README.md` says when the record may be
//! rewritten (`CALLSIM_BLESS=1`), and how.

use sha2::{Digest, Sha256};

const RECORD: &str = "tests/golden/digests.txt";

/// The JSON of `callsim run scenarios/NAME.toml --replications 3`, run from the package root
/// so that the `source` it names is the same on every clone.
fn json_of(name: &str) -> Vec<u8> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_callsim"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", &format!("scenarios/{name}.toml")])
        .args(["--replications", "3", "--quiet", "--json", "-"])
        .output()
        .expect("the binary runs");
    assert!(out.status.success(), "{name}: {out:?}");
    out.stdout
}

fn scenario_names() -> Vec<String> {
    crate::common::scenario_files()
        .iter()
        .map(|p| p.file_stem().unwrap().to_str().unwrap().to_owned())
        .collect()
}

#[test]
fn every_scenario_gives_its_recorded_json_byte_for_byte() {
    let path = format!("{}/{RECORD}", env!("CARGO_MANIFEST_DIR"));
    let now: Vec<(String, String)> = scenario_names()
        .into_iter()
        .map(|name| {
            let digest = Sha256::digest(json_of(&name));
            let hex = digest.iter().map(|b| format!("{b:02x}")).collect();
            (name, hex)
        })
        .collect();
    let text: String = now.iter().map(|(n, d)| format!("{n} {d}\n")).collect();
    if std::env::var_os("CALLSIM_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
        eprintln!("rewrote {RECORD}: see tests/golden/README.md before committing it");
        return;
    }
    let recorded = std::fs::read_to_string(&path).unwrap();
    let recorded: Vec<(&str, &str)> = recorded
        .lines()
        .map(|l| l.split_once(' ').expect("name digest"))
        .collect();
    for (name, digest) in &now {
        let was = recorded.iter().find(|(n, _)| n == name);
        assert!(
            was.is_some(),
            "{name}: a new scenario; record it (tests/golden/README.md)"
        );
        assert_eq!(
            was.unwrap().1,
            digest,
            "scenarios/{name}.toml: its JSON changed. Compare \
             `callsim run scenarios/{name}.toml --replications 3 --json -` with the previous \
             commit's; tests/golden/README.md says when the record may be rewritten"
        );
    }
    assert_eq!(recorded.len(), now.len(), "a recorded scenario is gone");
}
