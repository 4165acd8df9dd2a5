//! placeholder
pub struct FetchError;
pub struct FetchOptions;
pub struct FetchOutcome;
pub struct Fetched;
pub struct FetchedImage;
pub struct Fetcher;
pub struct ImageKind;
pub struct Validators;
pub fn sniff_image() {}
pub fn unwrap_proxy_url() {}
