//! Runs OpenCC's own 543 conversion checks (upstream `test/testcases/testcases.json`, the strict
//! JSON copy in `fixtures/opencc-testcases/`) and reports every failure before failing.

use duizhao_zh::{Config, Converter};

#[test]
fn all_opencc_testcases_pass() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/opencc-testcases/testcases.normalized.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let json: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let cases = json["cases"].as_array().expect("cases array");
    let mut checks = 0;
    let mut failures = Vec::new();
    for case in cases {
        let id = case["id"].as_str().unwrap_or("?");
        let input = case["input"].as_str().expect("input");
        let expected = case["expected"].as_object().expect("expected object");
        for (name, want) in expected {
            checks += 1;
            let config: Config = name.parse().unwrap_or_else(|e| panic!("{id}: {e}"));
            let want = want.as_str().expect("expected string");
            let got = Converter::get(config).convert(input);
            if got != want {
                failures.push(format!(
                    "{id} [{name}]\n  input:    {input}\n  expected: {want}\n  got:      {got}"
                ));
            }
        }
    }
    for f in &failures {
        eprintln!("{f}");
    }
    eprintln!("{} of {checks} checks passed", checks - failures.len());
    assert_eq!(checks, 543, "the fixture should hold 543 checks");
    assert!(
        failures.is_empty(),
        "{} of {checks} checks failed",
        failures.len()
    );
}
