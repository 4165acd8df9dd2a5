//! Readings over the seed article in the core: the whole article view (load from SQLite,
//! segment, `<ruby>` markup for every Chinese word) with pinyin and with zhuyin, against the
//! same view without readings. Goal (issue 12): under 5 ms with readings, the one-time
//! dictionary load excluded. Figures go to docs/BENCHMARKS.md ("Chinese readings").
//!
//! `cargo bench -p duizhao-core --bench readings`

use criterion::{Criterion, criterion_group, criterion_main};
use duizhao_core::{Library, ReadingChoice, ViewOptions};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut lib = Library::open(dir.path()).expect("library");
    let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../resources/seed/dw-wang-yi-lavrov.md");
    let id = lib.import_file(&seed).expect("the seed imports").id;
    let view = |reading| ViewOptions {
        reading: Some(reading),
        ..ViewOptions::default()
    };
    // The dictionary loads once, lazily; the bench measures the reading itself.
    lib.article_view(id, &view(ReadingChoice::Pinyin))
        .expect("the dictionary loads");
    let mut group = c.benchmark_group("seed_article_view");
    for reading in ReadingChoice::ALL {
        let options = view(reading);
        group.bench_function(reading.name(), |b| {
            b.iter(|| lib.article_view(black_box(id), &options).expect("view"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
