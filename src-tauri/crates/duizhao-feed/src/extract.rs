//! placeholder
pub struct ExtractedPage;
pub enum ExtractError {}
pub fn extract_article() {}
pub fn html_depth_ok() {}
