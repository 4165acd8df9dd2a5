//! Subscriptions: listing feeds, subscribing (`add_feed`, which waits on the network),
//! unsubscribing, what the reader can set on one feed, and which feeds are due for a check.

use duizhao_sync::ServiceKind;

use crate::error::{CoreError, Result};
use crate::handle::LibraryHandle;
use crate::library::Library;
use crate::model::{Feed, FeedOptions};
use crate::services::ingest::clean::CleanRules;
use crate::services::validate::{self, BUILTIN_RULES, MAX_TITLE_CHARS};
use crate::store::sync_edits::{self, FeedEdit};
use crate::store::{auto_translations, feeds as feed_store};
use crate::support::text::{clip, http_url};
use crate::usecases::fetch::{self, ParseFailure, fetcher_for};
use crate::usecases::refresh::FeedSource;

impl Library {
    /// Every subscribed feed with unread/total counts.
    pub fn list_feeds(&self) -> Result<Vec<Feed>> {
        self.store().list_feeds()
    }

    /// One feed with its counts.
    pub fn feed(&self, id: i64) -> Result<Feed> {
        self.store().feed(id)
    }

    /// Unsubscribes: the feed and its articles go (starred ones too; export them first). A
    /// feed of a Google Reader account is unsubscribed on the server at the next sync (queued
    /// in the same transaction); a Fever account's feeds cannot be (its API cannot edit
    /// subscriptions): refused with [`CoreError::SyncCannotEdit`].
    pub fn remove_feed(&mut self, id: i64) -> Result<()> {
        self.refuse_fever_edit(id, "unsubscribing a feed")?;
        self.store_mut().write(|tx| {
            sync_edits::enqueue_feed_edit(tx, id, FeedEdit::Unsubscribe)?;
            feed_store::delete_feed(tx, id)
        })
    }

    /// Refuses `what` on feed `id` when it is a Fever account's feed: the change could not
    /// reach the server, and the next sync would undo it.
    fn refuse_fever_edit(&self, id: i64, what: &'static str) -> Result<()> {
        let synced = self.store().feed_sync_id(id)?.is_some();
        let fever = self
            .store()
            .sync_account()?
            .is_some_and(|a| a.kind == ServiceKind::Fever.as_str());
        if synced && fever {
            return Err(CoreError::SyncCannotEdit {
                what,
                server: "Fever",
                hint: "the Fever API cannot edit subscriptions; change it on the server's own \
                       pages and the next sync brings it here",
            });
        }
        Ok(())
    }

    /// Everything the reader can set on feed `id`: title, folder, full text, its own refresh
    /// interval, cleaning rules and auto-translation, with the built-in rules described.
    pub fn feed_options(&self, id: i64) -> Result<FeedOptions> {
        let feed = self.store().feed(id)?;
        let state = self.store().feed_state(id)?;
        Ok(FeedOptions {
            title: feed.title,
            custom_title: self.store().feed_has_custom_title(id)?,
            folder: feed.folder,
            full_text: feed.full_text,
            interval_min: state.interval_min,
            remove: CleanRules::from_json(state.rules.as_deref()).remove,
            auto_translate: self.store().feed_auto_translate(id)?,
            reading: self.store().feed_reading(id)?,
            builtin: BUILTIN_RULES.iter().map(|r| r.to_string()).collect(),
        })
    }

    /// Saves everything the reader can set on feed `id` in one transaction, after checking it
    /// all (an invalid selector or interval changes nothing). New rules apply to articles
    /// fetched from now on. Returns the feed as the sidebar shows it.
    ///
    /// On a synced feed a new title or folder is queued for the server in the same
    /// transaction (Google Reader); a Fever account refuses them, and a Google Reader feed
    /// cannot leave every folder ([`CoreError::SyncCannotEdit`]): its server keeps each feed
    /// in one.
    pub fn set_feed_options(&mut self, id: i64, options: &FeedOptions) -> Result<Feed> {
        let checked = validate::check_options(options)?;
        let before = self.store().feed_auto_translate(id)?;
        let current = self.store().feed(id)?;
        let renamed = checked
            .title
            .as_deref()
            .filter(|t| *t != current.title)
            .map(str::to_owned);
        let moved = checked.folder != current.folder;
        if renamed.is_some() {
            self.refuse_fever_edit(id, "renaming a feed")?;
        }
        if moved {
            self.refuse_fever_edit(id, "moving a feed to another folder")?;
            if checked.folder.is_none() && self.store().feed_sync_id(id)?.is_some() {
                return Err(CoreError::SyncCannotEdit {
                    what: "moving a feed out of every folder",
                    server: "Google Reader",
                    hint: "FreshRSS and Miniflux keep every feed in a folder: choose one",
                });
            }
        }
        self.store_mut().write(|tx| {
            if let Some(title) = &renamed {
                sync_edits::enqueue_feed_edit(tx, id, FeedEdit::Rename(title))?;
            }
            if moved {
                let folder = checked.folder.as_deref().unwrap_or("");
                sync_edits::enqueue_feed_edit(tx, id, FeedEdit::Move(folder))?;
            }
            feed_store::update_options(
                tx,
                id,
                checked.title.as_deref(),
                checked.folder.as_deref(),
                checked.full_text,
                checked.interval_min,
                checked.rules_json.as_deref(),
            )?;
            feed_store::set_auto_translate(tx, id, checked.auto_translate.as_deref())?;
            crate::store::vocabulary::set_feed_reading(tx, id, options.reading)?;
            if checked.auto_translate.is_some() && checked.auto_translate != before {
                // Turned on (or to another language): the reader expects the articles in
                // front of them too, not only the next ones; the newest unread are queued.
                auto_translations::enqueue_unread(tx, id)?;
            }
            Ok(())
        })?;
        self.store().feed(id)
    }

    /// The feeds due for an automatic check at `now_ms` (ms since the epoch), by id: those
    /// never checked and those whose interval (their own, else the default) has passed.
    pub fn due_feeds(&self, now_ms: i64) -> Result<Vec<i64>> {
        let default = self.feed_settings()?.interval_min;
        Ok(self
            .store()
            .feed_states(None)?
            .into_iter()
            .filter(|s| !s.synced)
            .filter(|s| {
                validate::is_due(s.last_checked_ms, s.interval_min.unwrap_or(default), now_ms)
            })
            .map(|s| s.id)
            .collect())
    }
}

impl LibraryHandle {
    /// Subscribes to `url` and stores its items. A web page that advertises a feed is
    /// subscribed through that feed. Nothing is stored when the URL gives no feed.
    pub async fn add_feed(&self, url: &str, folder: Option<&str>) -> Result<Feed> {
        let url = url.trim().to_string();
        let settings = self.run(|lib| lib.feed_settings()).await?;
        let fetcher = fetcher_for(&settings)?;
        if let Some(feed) = self.subscribed(&url).await? {
            return Ok(feed);
        }
        let fetched = fetch::fetch_fresh(&fetcher, &url).await?;
        let (feed_url, fetched, parsed) = match fetch::parse_off_thread(fetched, &settings).await? {
            Ok((f, p)) => (url, f, p),
            Err(ParseFailure::Html(links)) if !links.is_empty() => {
                let link = links[0].clone();
                let fetched = fetch::fetch_fresh(&fetcher, &link).await?;
                match fetch::parse_off_thread(fetched, &settings).await? {
                    Ok((f, p)) => (link, f, p),
                    Err(e) => return Err(e.into_error(&link)),
                }
            }
            Err(e) => return Err(e.into_error(&url)),
        };
        if let Some(feed) = self.subscribed(&feed_url).await? {
            return Ok(feed);
        }
        let title = match parsed.title.trim() {
            "" => feed_url.clone(),
            t => clip(t, MAX_TITLE_CHARS),
        };
        let site = http_url(parsed.site_url.as_deref());
        let folder = folder
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .map(str::to_string);
        let (u, t, s) = (feed_url.clone(), title.clone(), site.clone());
        // With a Google Reader account the subscription is queued for the server with it.
        let id = self
            .run(move |lib| {
                lib.store_mut().write(|tx| {
                    let id =
                        feed_store::insert_feed(tx, &u, &t, s.as_deref(), folder.as_deref())?.0;
                    sync_edits::enqueue_subscribe(tx, id, &u, folder.as_deref())?;
                    Ok(id)
                })
            })
            .await?;
        let source = FeedSource {
            id,
            full_text: false,
            rules: CleanRules::default(),
        };
        let deadline = tokio::time::Instant::now()
            + std::time::Duration::from_millis(settings.feed_deadline_ms);
        let content = fetch::content_fetcher(&fetcher, &fetched)?;
        self.ingest_parsed(&content, &settings, &source, &fetched, parsed, deadline)
            .await?;
        self.run(move |lib| lib.feed(id)).await
    }

    /// The feed already subscribed at `url`, if any.
    async fn subscribed(&self, url: &str) -> Result<Option<Feed>> {
        let url = url.to_string();
        self.run(move |lib| match lib.store().feed_id_by_url(&url)? {
            Some(id) => lib.feed(id).map(Some),
            None => Ok(None),
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FeedSettings;
    use crate::services::validate::{MAX_RULES, is_due};

    const MIN: i64 = 60_000;

    fn library_with_feeds(n: usize) -> (Library, Vec<i64>) {
        let mut lib = Library::open_in_memory().unwrap();
        let ids = lib
            .store_mut()
            .write(|tx| {
                (0..n)
                    .map(|i| {
                        feed_store::insert_feed(
                            tx,
                            &format!("https://example.com/{i}.xml"),
                            &format!("Feed {i}"),
                            None,
                            None,
                        )
                        .map(|(id, _)| id)
                    })
                    .collect::<Result<Vec<_>>>()
            })
            .unwrap();
        (lib, ids)
    }

    fn checked_at(lib: &mut Library, id: i64, ms: i64) {
        lib.store_mut().set_last_checked(id, ms).unwrap();
    }

    #[test]
    fn a_feed_is_due_when_never_checked_or_its_interval_has_passed() {
        let t = 1_700_000_000_000;
        assert!(is_due(None, 60, t), "never checked");
        assert!(!is_due(Some(t), 60, t), "just checked");
        assert!(
            !is_due(Some(t), 60, t + 60 * MIN - 1),
            "a millisecond early"
        );
        assert!(is_due(Some(t), 60, t + 60 * MIN), "exactly on time");
        assert!(is_due(Some(t + 5 * MIN), 60, t), "checked in the future");
        assert!(!is_due(Some(t), i64::MAX, t + 1), "no overflow");
    }

    #[test]
    fn due_feeds_follow_each_feeds_interval_else_the_default_at_an_injected_time() {
        let (mut lib, ids) = library_with_feeds(4);
        let t = 1_700_000_000_000;
        let mut s = lib.feed_settings().unwrap();
        s.interval_min = 60;
        lib.set_feed_settings(&s).unwrap();
        // 0: never checked; 1: default (60) interval; 2: own 15-minute interval; 3: own 1 day.
        checked_at(&mut lib, ids[1], t);
        checked_at(&mut lib, ids[2], t);
        checked_at(&mut lib, ids[3], t);
        for (id, minutes) in [(ids[2], 15), (ids[3], 1440)] {
            let mut o = lib.feed_options(id).unwrap();
            o.interval_min = Some(minutes);
            lib.set_feed_options(id, &o).unwrap();
        }
        assert_eq!(lib.due_feeds(t + MIN).unwrap(), vec![ids[0]]);
        assert_eq!(lib.due_feeds(t + 15 * MIN).unwrap(), vec![ids[0], ids[2]]);
        assert_eq!(
            lib.due_feeds(t + 60 * MIN).unwrap(),
            vec![ids[0], ids[1], ids[2]]
        );
        assert_eq!(lib.due_feeds(t + 1440 * MIN).unwrap(), ids);
        // Back to the default: feed 3 now waits 60 minutes like feed 1.
        let mut o = lib.feed_options(ids[3]).unwrap();
        o.interval_min = None;
        lib.set_feed_options(ids[3], &o).unwrap();
        assert_eq!(lib.due_feeds(t + 60 * MIN).unwrap(), ids);
    }

    // One scenario on purpose: each refused value must leave everything saved before it.
    #[test]
    fn feed_options_round_trip_and_are_saved_whole_or_not_at_all() {
        let (mut lib, ids) = library_with_feeds(1);
        let id = ids[0];
        let o = lib.feed_options(id).unwrap();
        assert_eq!(
            (
                o.title.as_str(),
                o.custom_title,
                o.folder.clone(),
                o.full_text
            ),
            ("Feed 0", false, None, false)
        );
        assert_eq!((o.interval_min, o.remove.len()), (None, 0));
        assert_eq!(o.builtin.len(), BUILTIN_RULES.len());

        let wanted = FeedOptions {
            title: "  My news ".into(),
            custom_title: true,
            folder: Some(" 臺灣 ".into()),
            full_text: true,
            interval_min: Some(30),
            remove: vec![
                " .share ".into(),
                "aside".into(),
                "".into(),
                ".share".into(),
            ],
            auto_translate: Some("zh-TW".into()),
            reading: crate::model::ReadingChoice::Pinyin,
            builtin: vec![],
        };
        let feed = lib.set_feed_options(id, &wanted).unwrap();
        assert_eq!(
            (feed.title.as_str(), feed.folder.as_deref(), feed.full_text),
            ("My news", Some("臺灣"), true)
        );
        let o = lib.feed_options(id).unwrap();
        assert!(o.custom_title);
        assert_eq!(o.interval_min, Some(30));
        assert_eq!(o.auto_translate.as_deref(), Some("zh-Hant"), "canonical");
        assert_eq!(o.reading, crate::model::ReadingChoice::Pinyin);
        assert_eq!(
            o.remove,
            [".share", "aside"],
            "trimmed, blanks and repeats dropped"
        );

        // Invalid input is refused with a clear message and changes nothing.
        for (bad, needle) in [
            (
                FeedOptions {
                    remove: vec!["[[oops".into()],
                    ..o.clone()
                },
                "not a CSS selector",
            ),
            (
                FeedOptions {
                    interval_min: Some(1),
                    ..o.clone()
                },
                "between 5 and 10080 minutes",
            ),
            (
                FeedOptions {
                    remove: (0..=MAX_RULES).map(|i| format!(".c{i}")).collect(),
                    ..o.clone()
                },
                "at most 50 cleaning rules",
            ),
            (
                FeedOptions {
                    auto_translate: Some("tlh".into()),
                    ..o.clone()
                },
                "auto-translate takes one of en, zh-Hans",
            ),
        ] {
            let err = lib.set_feed_options(id, &bad).unwrap_err();
            assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
            assert!(err.to_string().contains(needle), "{err}");
            assert_eq!(lib.feed_options(id).unwrap(), o, "nothing changed");
        }
        let err = lib.set_feed_options(999, &o).unwrap_err();
        assert!(err.to_string().contains("no feed with id 999"), "{err}");

        // An empty title (or custom_title false) follows the feed's own title again.
        let back = FeedOptions {
            title: String::new(),
            folder: None,
            remove: vec![],
            auto_translate: Some("off".into()),
            ..o
        };
        let feed = lib.set_feed_options(id, &back).unwrap();
        assert_eq!(feed.folder, None);
        let o = lib.feed_options(id).unwrap();
        assert!(!o.custom_title);
        assert!(o.remove.is_empty());
        assert_eq!(o.auto_translate, None, "off turns it off");
    }

    #[test]
    fn settings_are_checked_in_the_core_and_parsed_from_key_value_text() {
        let mut lib = Library::open_in_memory().unwrap();
        let mut s = lib.feed_settings().unwrap();
        s.set("interval_min", "30").unwrap();
        s.set("retention_days", "14").unwrap();
        s.set("download_images", "off").unwrap();
        s.set("concurrency", "8").unwrap();
        lib.set_feed_settings(&s).unwrap();
        let stored = lib.feed_settings().unwrap();
        assert_eq!(
            (
                stored.interval_min,
                stored.retention_days,
                stored.download_images,
                stored.concurrency
            ),
            (30, Some(14), false, 8)
        );
        for off in ["0", "none", "OFF"] {
            s.set("retention_days", off).unwrap();
            assert_eq!(s.retention_days, None, "{off}");
        }
        for (key, value, needle) in [
            ("interval_min", "soon", "whole number"),
            ("download_images", "maybe", "on or off"),
            ("colour", "red", "unknown setting `colour`"),
            ("concurrency", "-1", "between 1 and 16"),
        ] {
            let err = s.clone().set(key, value).unwrap_err();
            assert!(err.to_string().contains(needle), "{key}={value}: {err}");
        }
        for (tweak, needle) in [
            (
                (|s: &mut FeedSettings| s.interval_min = 0) as fn(&mut FeedSettings),
                "interval_min (default refresh interval) must be between 5 and 10080 minutes (got 0)",
            ),
            (|s| s.concurrency = 0, "between 1 and 16 feeds"),
            (|s| s.concurrency = 100, "between 1 and 16 feeds"),
            (
                |s| s.retention_days = Some(0),
                "retention_days must be between 1 and 3650 days",
            ),
            (|s| s.idle_timeout_ms = 0, "idle_timeout_ms"),
            (|s| s.max_feed_bytes = 10, "max_feed_bytes"),
        ] {
            let mut bad = stored.clone();
            tweak(&mut bad);
            let err = lib.set_feed_settings(&bad).unwrap_err();
            assert_eq!(err.code(), crate::ErrorCode::InvalidInput);
            assert!(err.to_string().contains(needle), "{err}");
            assert_eq!(lib.feed_settings().unwrap(), stored, "nothing saved");
        }
    }

    #[test]
    fn turning_auto_translation_on_queues_the_newest_unread_articles_once() {
        let (mut lib, ids) = library_with_feeds(1);
        let feed = ids[0];
        lib.store_mut()
            .write(|tx| {
                for i in 1..=14i64 {
                    let a = crate::store::articles::NewArticle {
                        dedupe_key: format!("k{i}"),
                        feed_id: Some(feed),
                        url: None,
                        title: "t".into(),
                        published_ms: Some(i * 1000),
                        lang: None,
                        origin: crate::store::articles::Origin::Feed,
                        blocks: Vec::new(),
                    };
                    crate::store::articles::insert(tx, &a)?;
                }
                Ok(())
            })
            .unwrap();
        lib.set_read(14, true).unwrap();
        let pending = |lib: &Library| lib.store().auto_translate_pending_count().unwrap();
        let mut options = lib.feed_options(feed).unwrap();
        lib.set_feed_options(feed, &options).unwrap();
        assert_eq!(pending(&lib), 0, "still off");
        options.auto_translate = Some("en".into());
        lib.set_feed_options(feed, &options).unwrap();
        assert_eq!(pending(&lib), 10, "the ten newest unread (14 is read)");
        options.title = "Renamed".into();
        options.custom_title = true;
        lib.set_feed_options(feed, &options).unwrap();
        assert_eq!(
            pending(&lib),
            10,
            "saving again with the same language queues nothing more"
        );
    }
}
