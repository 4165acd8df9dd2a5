//! placeholder
pub struct OpmlOutline;
pub enum OpmlError {}
pub fn parse_opml() {}
pub fn write_opml() {}
