//! Feed and library commands: subscriptions, refresh with progress, saving pages, OPML,
//! search, read/starred state, export.
