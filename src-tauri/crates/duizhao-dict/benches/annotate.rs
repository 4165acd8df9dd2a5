//! Readings over the seed article (DW Chinese, Traditional), the target: under 5 ms for
//! the whole article, the one-time dictionary load excluded.
//!
//! `cargo bench -p duizhao-dict --bench annotate`

use criterion::{Criterion, criterion_group, criterion_main};
use duizhao_dict::{Dictionary, Reading};
use std::hint::black_box;

fn seed() -> String {
    let path = format!(
        "{}/../../resources/seed/dw-wang-yi-lavrov.md",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).expect("the seed article ships in src-tauri/resources/seed")
}

fn bench(c: &mut Criterion) {
    let dict = Dictionary::global().expect("the embedded dictionary loads");
    let article = seed();
    let mut group = c.benchmark_group("annotate");
    group.throughput(criterion::Throughput::Bytes(article.len() as u64));
    group.bench_function("seed article, pinyin", |b| {
        b.iter(|| dict.annotate(black_box(&article), Reading::Pinyin))
    });
    group.bench_function("seed article, zhuyin", |b| {
        b.iter(|| dict.annotate(black_box(&article), Reading::Zhuyin))
    });
    group.bench_function("seed article, segment only", |b| {
        b.iter(|| dict.segment(black_box(&article)))
    });
    group.finish();
    c.bench_function("lookup 銀行", |b| {
        b.iter(|| dict.lookup(black_box("銀行")))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
