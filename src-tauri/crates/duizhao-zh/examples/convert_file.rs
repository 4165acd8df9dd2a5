//! Converts a file with an OpenCC config and reports throughput; used by
//! `scripts/bench-vs-opencc.sh`.
//!
//! Usage: `convert_file CONFIG FILE [OUT] [stream]` (OUT defaults to stdout; `/dev/null` to time
//! only; `stream` uses `convert_stream` from the file instead of converting it in memory).
//! Prints `init_ms=… mb_per_s=… bytes=…` to stderr.

use std::io::Write;
use std::time::Instant;

use duizhao_zh::{Config, Converter};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(config), Some(file)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: convert_file CONFIG FILE [OUT]");
        std::process::exit(2);
    };
    let config: Config = config.parse()?;
    if args.get(4).map(String::as_str) == Some("stream") {
        let out_path = args.get(3).map_or("/dev/stdout", String::as_str);
        let input = std::fs::File::open(file)?;
        let output = std::io::BufWriter::new(std::fs::File::create(out_path)?);
        let t0 = Instant::now();
        let written = duizhao_zh::convert_stream(config, input, output)?;
        let secs = t0.elapsed().as_secs_f64();
        let bytes = std::fs::metadata(file)?.len();
        eprintln!(
            "config={config} stream mb_per_s={:.1} bytes={bytes} written={written} secs={secs:.3}",
            bytes as f64 / 1e6 / secs.max(1e-9)
        );
        return Ok(());
    }
    let text = std::fs::read_to_string(file)?;

    let t0 = Instant::now();
    let converter = Converter::get(config);
    let init = t0.elapsed();

    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let t1 = Instant::now();
    converter.convert_into(&text, &mut out);
    let secs = t1.elapsed().as_secs_f64();

    match args.get(3) {
        Some(path) => std::fs::write(path, out.as_bytes())?,
        None => std::io::stdout().lock().write_all(out.as_bytes())?,
    }
    let mb = text.len() as f64 / 1e6;
    eprintln!(
        "config={config} init_ms={:.1} mb_per_s={:.1} bytes={} secs={:.3}",
        init.as_secs_f64() * 1e3,
        mb / secs.max(1e-9),
        text.len(),
        secs
    );
    Ok(())
}
