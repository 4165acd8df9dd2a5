//! A real Apertium APy server (run `scripts/apertium-apy.sh`, then
//! `DUIZHAO_APY_URL=http://127.0.0.1:PORT cargo test -p duizhao-translate -- --ignored`).

use duizhao_translate::*;

use crate::{fast, job, run};

#[tokio::test]
#[ignore = "needs a real APy server: DUIZHAO_APY_URL (see scripts/apertium-apy.sh)"]
async fn real_apertium_translates_an_english_article_to_spanish() {
    let url = std::env::var("DUIZHAO_APY_URL")
        .expect("set DUIZHAO_APY_URL to a running APy server, e.g. from scripts/apertium-apy.sh");
    let p = providers::build(
        "apertium",
        &ProviderConfig::new().with("endpoint", &url),
        None,
        &HttpOptions::default(),
    )
    .expect("apertium provider");
    let paragraphs = [
        "The city council met on Tuesday to discuss the new budget.",
        "Many people in the city want more trains and buses.",
        "The mayor said that the government will build a new school next year.",
        "In the evening, the children played in the park with their friends.",
    ];
    let segs: Vec<Segment> = paragraphs
        .iter()
        .enumerate()
        .map(|(i, t)| Segment::new(format!("p{i}"), *t))
        .collect();
    let engine = Engine::with_options(vec![p], fast());
    let mut j = job(segs, "es");
    j.source = Some("en".into());
    let out = run(&engine, &j).await.0.expect("APy translation");
    assert_eq!(out.segments.len(), 4);
    for (i, t) in out.segments.iter().enumerate() {
        println!("{} → {}", paragraphs[i], t.text);
        assert_eq!(t.id, format!("p{i}"));
        assert_eq!(t.origin, Origin::Provider);
        assert_ne!(t.text, paragraphs[i]);
        assert!(!t.text.contains('*'), "markUnknown=no: {}", t.text);
    }
    let lower: Vec<String> = out.segments.iter().map(|s| s.text.to_lowercase()).collect();
    // Aligned: each paragraph's translation carries its own content words.
    assert!(
        lower[0].contains("ciudad") || lower[0].contains("consejo") || lower[0].contains("martes"),
        "{}",
        lower[0]
    );
    assert!(
        lower[1].contains("trenes") || lower[1].contains("autobuses"),
        "{}",
        lower[1]
    );
    assert!(
        lower[2].contains("escuela") || lower[2].contains("gobierno"),
        "{}",
        lower[2]
    );
    assert!(
        lower[3].contains("niños") || lower[3].contains("parque"),
        "{}",
        lower[3]
    );
    let all = lower.join(" ");
    assert!(
        all.contains(" el ") || all.contains(" la ") || all.contains(" los "),
        "Spanish articles: {all}"
    );
}
