//! Translation commands: providers and their settings, translating an article with
//! progress and cancel, the glossary.
