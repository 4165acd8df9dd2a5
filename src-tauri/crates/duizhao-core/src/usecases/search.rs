//! Full-text search over titles and text; Simplified and Traditional find each other.

use crate::error::Result;
use crate::library::Library;
use crate::model::SearchHit;

impl Library {
    /// Searches the library, best first (at most `store::search::MAX_HITS`).
    pub fn search(&self, query: &str) -> Result<Vec<SearchHit>> {
        self.store().search(query)
    }
}
