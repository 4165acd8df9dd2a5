//! The window's start: the saved source's list and its open article in one call, so the
//! first paint waits for one round trip instead of a chain of them (list, script preference,
//! article). Built only from the other use cases: what is listed, which article opens, in
//! which script and target, is decided as when the reader picks them.

use crate::error::Result;
use crate::library::Library;
use crate::model::{ListFilter, StartRequest, StartView, ViewOptions};

impl Library {
    /// Reopens the view the reader left: the saved source's list (the whole library when that
    /// lists nothing), and the saved article when it is listed, else the list's first, in its
    /// feed's script and target language, with images pointing at `image_prefix` (as
    /// [`Library::article_view_local`]). A failure to list fails the call; a failure to show
    /// the article is returned beside the list.
    pub fn start_view(&self, request: &StartRequest, image_prefix: &str) -> Result<StartView> {
        let mut articles = self.list(&request.filter)?;
        let whole_library = articles.is_empty() && request.filter != ListFilter::default();
        if whole_library {
            articles = self.list(&ListFilter::default())?;
        }
        let open = articles
            .iter()
            .find(|a| Some(a.id) == request.article_id)
            .or(articles.first());
        let Some(open) = open else {
            return Ok(StartView {
                articles,
                whole_library,
                article_id: None,
                article: None,
                article_error: None,
                script: Default::default(),
                to: request.to.clone(),
            });
        };
        let (id, feed_id) = (open.id, open.feed_id);
        let to = feed_id
            .and_then(|f| request.feed_targets.get(&f.to_string()))
            .filter(|t| !t.is_empty())
            .or(request.to.as_ref())
            .cloned();
        let shown = self.script_preference(feed_id).and_then(|script| {
            let view = ViewOptions {
                script,
                to: to.clone(),
                ..ViewOptions::default()
            };
            Ok((script, self.article_view_local(id, &view, image_prefix)?))
        });
        let (script, article, article_error) = match shown {
            Ok((script, article)) => (script, Some(article), None),
            Err(e) => (Default::default(), None, Some(e.to_failure())),
        };
        Ok(StartView {
            articles,
            whole_library,
            article_id: Some(id),
            article,
            article_error,
            script,
            to,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ScriptChoice;
    use crate::store::articles::{NewArticle, Origin, insert};
    use crate::store::feeds as feed_store;
    use crate::store::translations::{TITLE_SEQ, TranslatedPiece};

    /// Two feeds; feed `a` has one article (id 1, a Traditional title), feed `b` none; a
    /// saved article (id 2) without a feed is the newest.
    fn library() -> (Library, i64, i64) {
        let mut lib = Library::open_in_memory().unwrap();
        let (a, b) = lib
            .store_mut()
            .write(|tx| {
                let a = feed_store::insert_feed(tx, "https://a.example/f", "A", None, None)?.0;
                let b = feed_store::insert_feed(tx, "https://b.example/f", "B", None, None)?.0;
                let articles = [
                    (Some(a), "漢語新聞", "zh-Hant", 1),
                    (None, "Saved page", "en", 2),
                ];
                for (feed, title, lang, ms) in articles {
                    let new = NewArticle {
                        dedupe_key: title.into(),
                        feed_id: feed,
                        url: None,
                        title: title.into(),
                        published_ms: Some(ms),
                        lang: Some(lang.into()),
                        origin: Origin::Feed,
                        blocks: Vec::new(),
                    };
                    insert(tx, &new)?;
                }
                Ok((a, b))
            })
            .unwrap();
        (lib, a, b)
    }

    fn request(filter: ListFilter, article_id: Option<i64>) -> StartRequest {
        StartRequest {
            filter,
            article_id,
            to: Some("en".into()),
            ..StartRequest::default()
        }
    }

    #[test]
    fn the_saved_article_opens_in_its_feeds_script_and_target_beside_its_list() {
        let (mut lib, a, _) = library();
        lib.set_script_preference(Some(a), ScriptChoice::Hans)
            .unwrap();
        lib.set_script_preference(None, ScriptChoice::Original)
            .unwrap();
        let piece = TranslatedPiece {
            seq: TITLE_SEQ,
            text: "Chinesische Nachrichten".into(),
            provider: "test".into(),
        };
        lib.store_mut()
            .put_article_translations(1, "de", &[piece])
            .unwrap();
        let mut req = request(ListFilter::default(), Some(1));
        req.feed_targets.insert(a.to_string(), "de".into());

        let view = lib.start_view(&req, "dzimg://x/").unwrap();
        let ids: Vec<i64> = view.articles.iter().map(|s| s.id).collect();
        assert_eq!(ids, vec![2, 1], "the whole library, newest first");
        assert!(!view.whole_library, "the saved source was not empty");
        assert_eq!(
            view.article_id,
            Some(1),
            "the saved article, not the list's first"
        );
        assert_eq!(view.script, ScriptChoice::Hans, "its feed's script choice");
        assert_eq!(view.to.as_deref(), Some("de"), "its feed's target language");
        let article = view.article.expect("the article is ready to render");
        assert_eq!(article.title, "汉语新闻", "shown in the feed's script");
        assert_eq!(
            article.title_translation.as_deref(),
            Some("Chinesische Nachrichten"),
            "with the stored translation into the feed's target"
        );
        assert_eq!(view.article_error, None);
    }

    #[test]
    fn an_unlisted_saved_article_gives_way_to_the_lists_first_in_the_global_target() {
        let (lib, _, _) = library();
        let mut req = request(ListFilter::default(), Some(999));
        req.feed_targets.insert("999".into(), "de".into());
        let view = lib.start_view(&req, "").unwrap();
        assert_eq!(view.article_id, Some(2), "the newest article of the list");
        assert_eq!(view.to.as_deref(), Some("en"), "no feed: the global target");
        assert_eq!(view.script, ScriptChoice::Original);
        assert_eq!(view.article.map(|a| a.title).as_deref(), Some("Saved page"));
    }

    #[test]
    fn an_empty_saved_source_falls_back_to_the_whole_library() {
        let (lib, _, b) = library();
        let empty_feed = ListFilter {
            feed_id: Some(b),
            ..ListFilter::default()
        };
        let view = lib.start_view(&request(empty_feed, Some(1)), "").unwrap();
        assert!(
            view.whole_library,
            "the window must show 'all' as the source"
        );
        assert_eq!(view.articles.len(), 2);
        assert_eq!(
            view.article_id,
            Some(1),
            "the saved article is listed there"
        );

        let empty = Library::open_in_memory().unwrap();
        let view = empty
            .start_view(&request(ListFilter::default(), None), "")
            .unwrap();
        assert!(
            !view.whole_library && view.articles.is_empty(),
            "an empty library is already the whole library"
        );
        assert_eq!((view.article_id, view.article), (None, None));
    }

    #[test]
    fn an_article_that_cannot_be_shown_leaves_the_list_and_the_selection() {
        let (lib, _, _) = library();
        let mut req = request(ListFilter::default(), Some(2));
        req.to = Some("not a language".into());
        let view = lib.start_view(&req, "").unwrap();
        assert_eq!(view.articles.len(), 2, "the list is shown all the same");
        assert_eq!(view.article_id, Some(2), "the article stays selected");
        assert!(view.article.is_none());
        assert_eq!(
            view.article_error.map(|f| f.code),
            Some(crate::ErrorCode::InvalidInput),
            "the reader says why"
        );
    }
}
