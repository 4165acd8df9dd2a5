//! Criterion benchmarks: per-paragraph latency and throughput of t2s and s2twp, and the cost of
//! detect_script. Run with `cargo bench -p duizhao-zh`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use duizhao_zh::{Config, Converter, detect_script};

/// The seed article (Traditional), from the test fixtures.
const SEED: &str = include_str!("../tests/fixtures/seed/dw-wang-yi-lavrov.md");

/// A ~190-byte Traditional paragraph and its Simplified counterpart.
fn paragraphs() -> (String, String) {
    let hant = "德國外長貝爾伯克週二在柏林表示，歐盟將繼續支持烏克蘭，\
                並呼籲中國在俄羅斯問題上發揮建設性作用。她說，這場戰爭關係到整個歐洲的安全。";
    let hans = Converter::get(Config::T2s).convert(hant);
    (hant.to_string(), hans)
}

fn bench(c: &mut Criterion) {
    let (hant, hans) = paragraphs();
    let t2s = Converter::get(Config::T2s);
    let s2twp = Converter::get(Config::S2twp);
    let mut out = String::with_capacity(1024);

    let mut g = c.benchmark_group("paragraph");
    g.throughput(Throughput::Bytes(hant.len() as u64));
    g.bench_function(format!("t2s {} bytes", hant.len()), |b| {
        b.iter(|| {
            out.clear();
            t2s.convert_into(black_box(&hant), &mut out);
            black_box(out.len())
        })
    });
    g.throughput(Throughput::Bytes(hans.len() as u64));
    g.bench_function(format!("s2twp {} bytes", hans.len()), |b| {
        b.iter(|| {
            out.clear();
            s2twp.convert_into(black_box(&hans), &mut out);
            black_box(out.len())
        })
    });
    g.bench_function("detect_script", |b| {
        b.iter(|| detect_script(black_box(&hant)))
    });
    g.finish();

    // Throughput on the seed article repeated to ~1 MB.
    let big_hant = SEED.repeat((1 << 20) / SEED.len().max(1) + 1);
    let big_hans = t2s.convert(&big_hant);
    let mut g = c.benchmark_group("throughput");
    g.sample_size(20);
    g.throughput(Throughput::Bytes(big_hant.len() as u64));
    g.bench_function("t2s 1MB", |b| {
        b.iter(|| {
            out.clear();
            t2s.convert_into(black_box(&big_hant), &mut out);
            black_box(out.len())
        })
    });
    g.throughput(Throughput::Bytes(big_hans.len() as u64));
    g.bench_function("s2twp 1MB", |b| {
        b.iter(|| {
            out.clear();
            s2twp.convert_into(black_box(&big_hans), &mut out);
            black_box(out.len())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
