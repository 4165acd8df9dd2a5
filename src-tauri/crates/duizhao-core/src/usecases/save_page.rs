//! Saving one web page as an article: fetched, full text extracted, cleaned, sanitized, its
//! images stored. Saving the same page twice returns the stored article.

use duizhao_feed::Fetched;

use crate::error::{CoreError, Result};
use crate::handle::{LibraryHandle, cpu};
use crate::model::{Block, BlockKind, ImportOutcome};
use crate::services::validate::MAX_TITLE_CHARS;
use crate::services::{ingest, lang};
use crate::store::articles::{self, NewArticle, Origin};
use crate::support::text::clip;
use crate::usecases::fetch::{content_fetcher, fetch_fresh, fetcher_for};

impl LibraryHandle {
    /// Saves the page at `url` (see the module docs).
    pub async fn save_url(&self, url: &str) -> Result<ImportOutcome> {
        let url = url.trim();
        let settings = self.run(|lib| lib.feed_settings()).await?;
        let fetcher = fetcher_for(&settings)?;
        let fetched = fetch_fresh(&fetcher, url).await?;
        let content = content_fetcher(&fetcher, &fetched)?;
        let article = cpu("reading a page", move || page_to_article(&fetched)).await??;
        let key = article.dedupe_key.clone();
        if let Some(id) = self
            .run(move |lib| lib.store().article_id_by_key(&key))
            .await?
        {
            return Ok(ImportOutcome {
                id,
                created: false,
                title: article.title,
            });
        }
        let title = article.title.clone();
        let stored = article.clone();
        let (id, created) = self
            .run(move |lib| lib.store_mut().write(|tx| articles::insert(tx, &stored)))
            .await?;
        if settings.download_images {
            self.download_images(&content, &settings, std::slice::from_ref(&article))
                .await?;
        }
        Ok(ImportOutcome { id, created, title })
    }
}

/// A fetched web page as an article to store (pure).
fn page_to_article(f: &Fetched) -> Result<NewArticle> {
    let url = f.final_url.as_str();
    let not_a_page = |reason: String| CoreError::NotAFeed {
        url: url.to_string(),
        reason,
    };
    let text = duizhao_feed::decode(&f.body, f.charset.as_deref(), Some(url))
        .map_err(|e| not_a_page(format!("not a web page: {e}")))?;
    let page =
        duizhao_feed::extract_article(&text.text, url).map_err(|e| not_a_page(e.to_string()))?;
    let mut blocks = ingest::html_to_blocks(&page.content_html, Some(url))?;
    if blocks
        .iter()
        .all(|b| b.text.trim().is_empty() && b.kind != BlockKind::Image)
    {
        return Err(not_a_page("no article text found on the page".into()));
    }
    let title = match page.title.trim() {
        "" => url.to_string(),
        t => clip(t, MAX_TITLE_CHARS),
    };
    if blocks.first().is_some_and(|b: &Block| b.text == title) {
        blocks.remove(0);
    }
    let lang = lang::tag_article(&title, &mut blocks);
    Ok(NewArticle {
        dedupe_key: format!("url:{url}"),
        feed_id: None,
        url: Some(url.to_string()),
        title,
        published_ms: page.published,
        lang,
        origin: Origin::Saved,
        blocks,
    })
}
