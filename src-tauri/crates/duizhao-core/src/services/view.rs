//! Articles as the reader sees them: converted to the script the reader picked.
//!
//! The stored article never changes; a view is computed on demand, so switching 原文 / 简 / 繁
//! / 臺 / 港 is instant and lossless. Each block is converted from its own detected script (a
//! Traditional article may quote Simplified text), and only text is converted: URLs and markup
//! pass through untouched.

use duizhao_zh::{Config, Converter};

use crate::model::{Article, Block, ScriptChoice, ViewOptions};
use crate::services::target::is_chinese;

/// Applies `options` to a stored article.
pub fn apply(mut article: Article, options: &ViewOptions) -> Article {
    if options.config.is_none() && options.script == ScriptChoice::Original {
        return article;
    }
    let pick = |lang: Option<&str>| -> Option<Config> {
        match options.config {
            Some(c) => lang.is_some_and(is_chinese).then_some(c),
            None => options.script.config_from(lang),
        }
    };
    if let Some(c) = pick(article.lang.as_deref()) {
        article.title = Converter::get(c).convert(&article.title);
        article.lang = Some(shown_lang(options, c).to_string());
    }
    let article_lang = article.lang.clone();
    for block in &mut article.blocks {
        let lang = block.lang.as_deref().or(article_lang.as_deref());
        if let Some(c) = pick(lang) {
            convert_block(block, c);
            block.lang = Some(shown_lang(options, c).to_string());
        }
    }
    article
}

fn shown_lang(options: &ViewOptions, c: Config) -> &'static str {
    options.script.lang_tag().unwrap_or(match c {
        Config::T2s | Config::Tw2s | Config::Tw2sp | Config::Hk2s | Config::Hk2sp => "zh-Hans",
        Config::T2jp => "ja",
        _ => "zh-Hant",
    })
}

fn convert_block(block: &mut Block, c: Config) {
    let conv = Converter::get(c);
    block.text = conv.convert(&block.text);
    block.html = convert_html_text(&block.html, conv);
}

/// Converts the text between tags of sanitized HTML; tags, attributes and URLs pass through.
pub fn convert_html_text(html: &str, conv: &Converter) -> String {
    let mut out = String::with_capacity(html.len() + 16);
    let mut rest = html;
    while !rest.is_empty() {
        match rest.find('<') {
            Some(0) => {
                // Markup is copied as it is, attribute values (URLs) included, even when one
                // holds a '>'; an unclosed '<' is kept verbatim.
                let end = crate::services::ingest::markup::tag_end(rest, 0);
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            }
            Some(i) => {
                conv.convert_into(&rest[..i], &mut out);
                rest = &rest[i..];
            }
            None => {
                conv.convert_into(rest, &mut out);
                rest = "";
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::BlockKind;

    fn article() -> Article {
        let mut b = Block::text(
            BlockKind::Paragraph,
            "中國外交部長王毅近期行程滿檔",
            r#"中國外交部長<a href="https://e.com/國際">王毅</a>近期行程滿檔"#,
        );
        b.lang = Some("zh-Hant".into());
        let mut en = Block::text(BlockKind::Paragraph, "Plain English", "Plain English");
        en.lang = Some("en".into());
        Article {
            id: 1,
            title: "王毅見俄外長".into(),
            url: None,
            published: None,
            lang: Some("zh-Hant".into()),
            feed_id: None,
            read: false,
            starred: false,
            title_translation: None,
            title_html: None,
            reading: None,
            blocks: vec![b, en],
        }
    }

    #[test]
    fn simplified_view_converts_text_and_title_but_not_urls() {
        let v = apply(
            article(),
            &ViewOptions {
                script: ScriptChoice::Hans,
                ..ViewOptions::default()
            },
        );
        assert_eq!(v.title, "王毅见俄外长");
        assert_eq!(v.blocks[0].text, "中国外交部长王毅近期行程满档");
        assert_eq!(
            v.blocks[0].html, r#"中国外交部长<a href="https://e.com/國際">王毅</a>近期行程满档"#,
            "markup and URLs must pass through unconverted"
        );
        assert_eq!(v.blocks[0].lang.as_deref(), Some("zh-Hans"));
        assert_eq!(
            v.blocks[1].text, "Plain English",
            "non-Chinese blocks are untouched"
        );
    }

    #[test]
    fn a_greater_than_sign_inside_an_attribute_does_not_end_the_tag() {
        let html = r#"<a href="https://e.com/?q=a>b&amp;t=經濟" title="國>際">經濟</a> 國際"#;
        assert_eq!(
            convert_html_text(html, Converter::get(Config::T2s)),
            r#"<a href="https://e.com/?q=a>b&amp;t=經濟" title="國>際">经济</a> 国际"#
        );
        assert_eq!(
            convert_html_text("經濟 <a", Converter::get(Config::T2s)),
            "经济 <a"
        );
    }

    #[test]
    fn original_and_same_script_views_change_nothing() {
        let a = article();
        assert_eq!(apply(a.clone(), &ViewOptions::default()), a);
        let v = apply(
            a.clone(),
            &ViewOptions {
                script: ScriptChoice::Hant,
                ..ViewOptions::default()
            },
        );
        assert_eq!(v.blocks[0].text, a.blocks[0].text);
    }

    #[test]
    fn choices_pick_the_opencc_config_for_the_source_script() {
        assert_eq!(
            ScriptChoice::Tw.config_from(Some("zh-Hans")),
            Some(Config::S2twp)
        );
        assert_eq!(
            ScriptChoice::Tw.config_from(Some("zh-Hant")),
            Some(Config::T2tw)
        );
        assert_eq!(
            ScriptChoice::Hk.config_from(Some("zh-Hant")),
            Some(Config::T2hk)
        );
        assert_eq!(ScriptChoice::Hans.config_from(Some("ja")), None);
        assert_eq!(ScriptChoice::Hans.config_from(None), None);
    }
}
