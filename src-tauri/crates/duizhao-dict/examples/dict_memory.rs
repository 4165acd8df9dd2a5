//! Reports what loading the dictionary costs: wall time of the first `Dictionary::global()` and
//! resident memory before and after (Linux `/proc/self/status`), plus the bytes the structures
//! hold. `cargo run --release -p duizhao-dict --example dict_memory`

use std::time::Instant;

use duizhao_dict::{Dictionary, Reading};

/// `VmRSS` and `VmHWM` in KiB (0 where /proc is unavailable).
fn rss_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// CPU time this thread has run, in ms: on a shared machine wall time mostly measures the others.
fn cpu_ms() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |ns| ns / 1e6)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (before, _) = rss_kib();
    let start = Instant::now();
    let cpu = cpu_ms();
    let dict = Dictionary::global()?;
    let cpu = cpu_ms() - cpu;
    let load = start.elapsed();
    let (after, peak) = rss_kib();
    println!(
        "load: {:.1} ms wall, {:.1} ms CPU; {} entries, {} headwords, {} lines skipped",
        load.as_secs_f64() * 1e3,
        cpu,
        dict.entry_count(),
        dict.word_count(),
        dict.skipped_lines()
    );
    println!(
        "resident: {:.1} MiB before, {:.1} MiB after (+{:.1} MiB), peak {:.1} MiB; structures {:.1} MiB",
        before as f64 / 1024.0,
        after as f64 / 1024.0,
        after.saturating_sub(before) as f64 / 1024.0,
        peak as f64 / 1024.0,
        dict.heap_bytes() as f64 / (1024.0 * 1024.0)
    );
    let start = Instant::now();
    let entries = dict.lookup("銀行");
    println!(
        "lookup 銀行: {:.1} µs, {} entries, {}",
        start.elapsed().as_secs_f64() * 1e6,
        entries.len(),
        entries.first().map_or("-", |e| e.pinyin.as_str())
    );
    let seed = std::fs::read_to_string(format!(
        "{}/../../resources/seed/dw-wang-yi-lavrov.md",
        env!("CARGO_MANIFEST_DIR")
    ))?;
    for (name, reading) in [("pinyin", Reading::Pinyin), ("zhuyin", Reading::Zhuyin)] {
        let runs = 200;
        let cpu = cpu_ms();
        let start = Instant::now();
        for _ in 0..runs {
            std::hint::black_box(dict.annotate(std::hint::black_box(&seed), reading));
        }
        println!(
            "annotate seed article ({} bytes), {name}: {:.2} ms CPU, {:.2} ms wall per run",
            seed.len(),
            (cpu_ms() - cpu) / f64::from(runs),
            start.elapsed().as_secs_f64() * 1e3 / f64::from(runs)
        );
    }
    let tokens = dict.annotate(
        "中国人民银行行长今天在北京举行的新闻发布会上表示",
        Reading::Pinyin,
    );
    for t in tokens {
        print!("{}[{}] ", t.text, t.reading.unwrap_or_default());
    }
    println!();
    Ok(())
}
