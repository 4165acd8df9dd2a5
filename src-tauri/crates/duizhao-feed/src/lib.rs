//! `duizhao-feed`: everything between a URL and a parsed, UTF-8 feed or article.
//!
//! Duizhao subscribes to feeds from all over the web, many in legacy Chinese, Japanese and
//! Korean encodings, many broken, some hostile. This crate turns untrusted bytes into typed
//! values and nothing more: the core crate then cleans, sanitizes (ammonia) and stores them.
//!
//! * [`decode`]: bytes → UTF-8 text (BOM, HTTP charset, XML prolog / HTML meta, UTF-16
//!   sniffing, UTF-8 validity, then `chardetng`).
//! * [`parse`]: UTF-8 text → [`parse::ParsedFeed`] (feed-rs, with the `rss` crate as a
//!   fallback), plus feed discovery in HTML pages.
//! * [`opml`]: subscription lists in and out.
//! * [`extract`]: full-text extraction of an article page (dom_smoothie), guarded against
//!   pathological nesting.
//! * [`net`]: the only module that does IO: a size- and time-bounded HTTP fetcher, with an
//!   [`address`] policy for URLs that came from content.
//!
//! Every function here takes untrusted input: none panics on it, sizes and depths are bounded,
//! and each failure is one typed error. Parsing additionally runs under
//! [`std::panic::catch_unwind`], which requires the default `panic = "unwind"` profile.

pub mod address;
mod bounds;
pub mod decode;
pub mod extract;
pub mod net;
pub mod opml;
pub mod parse;
pub mod text;

pub use address::{AddressPolicy, is_public};
pub use decode::{DecodeError, Decoded, decode};
pub use extract::{ExtractError, ExtractedPage, extract_article, html_depth_ok};
pub use net::{
    DEFAULT_MAX_IMAGE_PIXELS, FetchError, FetchOptions, FetchOutcome, Fetched, FetchedImage,
    Fetcher, ImageKind, Validators, check_image, image_dimensions, sniff_image, unwrap_proxy_url,
};
pub use opml::{OpmlError, OpmlOutline, parse_opml, write_opml};
pub use parse::{
    DEFAULT_MAX_ITEMS, DEFAULT_MAX_TITLE_BYTES, ParseError, ParseOptions, ParsedFeed, ParsedItem,
    discover_feed_links, parse_feed, parse_feed_with,
};
