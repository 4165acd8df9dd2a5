//! One ingest of the 5,000-item corpus feed into a new library, with wall and CPU time (all
//! threads of the process, from /proc), and with `--detect` the language pass after it: CPU
//! time is what a loaded machine does not distort as much as wall time.
use std::io::Read;

fn cpu_ms() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // After the command's name: field 3 (state) on; utime and stime are fields 14 and 15, in
    // clock ticks of 10 ms.
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let tick = |i: usize| {
        fields
            .get(i)
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(0)
    };
    (tick(11) + tick(12)) * 10
}

fn main() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../duizhao-feed/tests/fixtures/feed-corpus/generated/large/rss2_5000_items.xml.gz");
    let raw = std::fs::read(&path).expect("corpus");
    let mut doc = Vec::new();
    flate2::read::GzDecoder::new(raw.as_slice())
        .read_to_end(&mut doc)
        .expect("gunzip");
    let detect = std::env::args().any(|a| a == "--detect");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lib = duizhao_core::Library::open(dir.path()).expect("library");
    let (t, c) = (std::time::Instant::now(), cpu_ms());
    let n = lib
        .ingest_feed_document("https://example.com/feed.xml", &doc)
        .expect("ingests");
    let (t1, c1) = (t.elapsed().as_millis(), cpu_ms() - c);
    print!("ingest {n}: wall {t1} ms cpu {c1} ms");
    if detect {
        let (t, c) = (std::time::Instant::now(), cpu_ms());
        #[allow(unused)]
        let j = lib.redetect_languages(|_| {}).expect("pass");
        print!(
            " | pass: wall {} ms cpu {} ms",
            t.elapsed().as_millis(),
            cpu_ms() - c
        );
    }
    println!();
}
