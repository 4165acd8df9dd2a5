//! Integration tests for duizhao-feed, one binary (as ripgrep does): the feed corpus, legacy
//! encodings, hostile documents, the HTTP fetcher against real loopback servers, OPML and
//! article extraction.

mod address;
mod bounds;
mod common;
mod corpus;
mod encodings;
mod extract;
mod hostile;
mod hostile_docs;
mod net;
mod opml;
mod slicing;
