//! Exporting an article to a file a reader can keep or share: one self-contained HTML file,
//! Markdown, or an EPUB 3 book, with stored translations laid out as the reader chose.
//!
//! The HTML export must render with the network off, so stored images are inlined as `data:`
//! URIs and an image that was never stored is shown as a link, never as a remote `src`. It
//! carries no script or style element, and its own Content Security Policy ([`EXPORT_CSP`])
//! so that whichever browser opens it loads and runs nothing: the block HTML was sanitized at
//! ingest, the rest is written here with every text escaped, and a UTF-8 byte-order mark
//! (which browsers honour over any default) makes Chinese text open right from disk.
//!
//! EPUB is written directly with the `zip` crate rather than through `epub-builder`: an
//! article is one XHTML document plus its images, so the four fixed files of the container are
//! a few lines each, and `epub-builder` would pull a templating engine into the core for that.
//! EPUB content must be XML, so blocks are written from their plain text (escaped), each with
//! `xml:lang`, rather than from their HTML5 markup.

use std::io::Write;

use crate::error::{CoreError, Result};
use crate::model::{Article, Block, BlockKind, ExportFormat, ExportOptions, ViewMode};
use crate::store::images::StoredImage;
use crate::support::text::escape_attr;

/// The exported HTML's own Content Security Policy: nothing may load or run, but for the
/// inlined pictures and the file's own styles, whichever browser opens it.
pub const EXPORT_CSP: &str = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

/// Renders `article` (a view, with translations attached when asked) in `options.format`.
/// `image` looks up the stored copy of an image URL.
pub fn render(
    article: &Article,
    options: &ExportOptions,
    image: &dyn Fn(&str) -> Option<StoredImage>,
) -> Result<Vec<u8>> {
    match options.format {
        ExportFormat::Html => Ok(html(article, options, image).into_bytes()),
        ExportFormat::Md => Ok(markdown(article, options).into_bytes()),
        ExportFormat::Epub => epub(article, options, image),
    }
}

/// Escapes text for HTML/XML content and attribute values (the core's one escaper), first
/// dropping the control characters XML forbids so the EPUB stays well-formed.
fn escape(s: &str) -> String {
    let forbidden = |c: char| (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r');
    if s.contains(forbidden) {
        escape_attr(&s.replace(forbidden, "")).into_owned()
    } else {
        escape_attr(s).into_owned()
    }
}

/// Standard base64 (RFC 4648) for `data:` URIs.
pub fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(T[(n >> 18) as usize & 63] as char);
        out.push(T[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            T[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            T[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

fn lang_attr(lang: Option<&str>) -> String {
    match lang {
        Some(l) if !l.is_empty() => format!(" lang=\"{}\"", escape(l)),
        _ => String::new(),
    }
}

fn tag_of(kind: BlockKind) -> &'static str {
    match kind {
        BlockKind::Heading => "h2",
        BlockKind::Quote => "blockquote",
        BlockKind::ListItem => "li",
        BlockKind::Caption => "figcaption",
        BlockKind::Paragraph | BlockKind::Image => "p",
    }
}

/// One block's original as HTML.
fn original_html(b: &Block, image: &dyn Fn(&str) -> Option<StoredImage>) -> String {
    let lang = lang_attr(b.lang.as_deref());
    if b.kind == BlockKind::Image {
        let alt = escape(&b.text);
        let stored = b.src.as_deref().and_then(image);
        return match (stored, b.src.as_deref()) {
            (Some(img), _) => format!(
                "<figure><img src=\"data:{};base64,{}\" alt=\"{alt}\"></figure>",
                escape(&img.mime),
                base64(&img.bytes)
            ),
            // Not stored: a link, so the file never loads anything from the network.
            (None, Some(src)) => format!(
                "<p{lang}>[image{}{alt}] <a href=\"{}\">{}</a></p>",
                if alt.is_empty() { "" } else { ": " },
                escape(src),
                escape(src)
            ),
            (None, None) => String::new(),
        };
    }
    let tag = tag_of(b.kind);
    if b.kind == BlockKind::ListItem {
        format!("<ul><li{lang}>{}</li></ul>", b.html)
    } else {
        format!("<{tag}{lang}>{}</{tag}>", b.html)
    }
}

/// Appends one block laid out as `mode` says: the original, the translation (the original
/// where there is none), both one after the other, or both in a table row whose cells carry
/// `cell_attrs`.
fn lay_out(
    out: &mut String,
    mode: ViewMode,
    orig: String,
    trans: Option<String>,
    cell_attrs: &str,
) {
    match mode {
        ViewMode::Original => out.push_str(&orig),
        ViewMode::Interleaved => {
            out.push_str(&orig);
            if let Some(t) = trans {
                out.push('\n');
                out.push_str(&t);
            }
        }
        ViewMode::Translation => out.push_str(&trans.unwrap_or(orig)),
        ViewMode::Columns => out.push_str(&format!(
            "<tr><td{cell_attrs}>{orig}</td><td{cell_attrs}>{}</td></tr>",
            trans.unwrap_or_default()
        )),
    }
    out.push('\n');
}

fn translation_html(b: &Block, to: &str) -> Option<String> {
    let t = b.translation.as_deref()?;
    let tag = match b.kind {
        BlockKind::Heading => "h2",
        BlockKind::Quote => "blockquote",
        _ => "p",
    };
    Some(format!(
        "<{tag}{}>{}</{tag}>",
        lang_attr(Some(to)),
        escape(t)
    ))
}

fn html(
    article: &Article,
    options: &ExportOptions,
    image: &dyn Fn(&str) -> Option<StoredImage>,
) -> String {
    let to = options.to.as_deref().unwrap_or("");
    let has_translation = !to.is_empty() && article.blocks.iter().any(|b| b.translation.is_some());
    let mode = if has_translation {
        options.mode
    } else {
        ViewMode::Original
    };
    let mut s = String::from("\u{feff}<!DOCTYPE html>\n");
    s.push_str(&format!(
        "<html{}>\n<head>\n<meta http-equiv=\"Content-Security-Policy\" content=\"{EXPORT_CSP}\">\n<title>{}</title>\n</head>\n<body>\n<article>\n",
        lang_attr(article.lang.as_deref()),
        escape(&article.title)
    ));
    s.push_str(&format!(
        "<h1{}>{}</h1>\n",
        lang_attr(article.lang.as_deref()),
        escape(&article.title)
    ));
    if let (Some(t), true) = (&article.title_translation, has_translation) {
        s.push_str(&format!("<h1{}>{}</h1>\n", lang_attr(Some(to)), escape(t)));
    }
    let mut meta = Vec::new();
    if let Some(url) = &article.url {
        meta.push(format!("<a href=\"{}\">{}</a>", escape(url), escape(url)));
    }
    if let Some(p) = &article.published {
        meta.push(escape(p));
    }
    if !meta.is_empty() {
        s.push_str(&format!("<p><small>{}</small></p>\n", meta.join(" · ")));
    }
    if mode == ViewMode::Columns {
        s.push_str("<table>\n");
    }
    for b in &article.blocks {
        let orig = original_html(b, image);
        let trans = translation_html(b, to);
        lay_out(&mut s, mode, orig, trans, " valign=\"top\" width=\"50%\"");
    }
    if mode == ViewMode::Columns {
        s.push_str("</table>\n");
    }
    s.push_str("</article>\n</body>\n</html>\n");
    s
}

/// Escapes Markdown's inline syntax in plain text.
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!'
        ) {
            out.push('\\');
        }
        out.push(if c == '\n' { ' ' } else { c });
    }
    out
}

fn md_block(b: &Block) -> String {
    let text = md_escape(&b.text);
    match b.kind {
        BlockKind::Heading => format!("## {text}"),
        BlockKind::Quote => format!("> {text}"),
        BlockKind::ListItem => format!("- {text}"),
        BlockKind::Caption => format!("*{text}*"),
        BlockKind::Image => match b.src.as_deref() {
            Some(src) => format!("![{text}](<{}>)", src.replace(['<', '>', '\n'], "")),
            None => String::new(),
        },
        BlockKind::Paragraph => text,
    }
}

fn markdown(article: &Article, options: &ExportOptions) -> String {
    let has_translation =
        options.to.is_some() && article.blocks.iter().any(|b| b.translation.is_some());
    let mode = if has_translation {
        options.mode
    } else {
        ViewMode::Original
    };
    let mut s = format!("# {}\n\n", md_escape(&article.title));
    if let (Some(t), true) = (&article.title_translation, has_translation) {
        s.push_str(&format!("*{}*\n\n", md_escape(t)));
    }
    if let Some(url) = &article.url {
        s.push_str(&format!("<{}>\n\n", url.replace(['<', '>', '\n'], "")));
    }
    if mode == ViewMode::Columns {
        s.push_str("| | |\n|---|---|\n");
    }
    for b in &article.blocks {
        let orig = md_block(b);
        let trans = b.translation.as_deref().map(md_escape);
        match mode {
            ViewMode::Original => s.push_str(&format!("{orig}\n\n")),
            ViewMode::Interleaved => {
                s.push_str(&format!("{orig}\n\n"));
                if let Some(t) = trans {
                    s.push_str(&format!("{t}\n\n"));
                }
            }
            ViewMode::Translation => s.push_str(&format!("{}\n\n", trans.unwrap_or(orig))),
            ViewMode::Columns => s.push_str(&format!(
                "| {} | {} |\n",
                orig.replace('\n', " "),
                trans.unwrap_or_default()
            )),
        }
    }
    s.truncate(s.trim_end().len());
    s.push('\n');
    s
}

fn image_ext(mime: &str) -> &'static str {
    match mime {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "image/avif" => "avif",
        _ => "bin",
    }
}

fn xml_lang(lang: Option<&str>) -> String {
    match lang {
        Some(l) if !l.is_empty() => {
            let l = escape(l);
            format!(" xml:lang=\"{l}\" lang=\"{l}\"")
        }
        _ => String::new(),
    }
}

fn epub(
    article: &Article,
    options: &ExportOptions,
    image: &dyn Fn(&str) -> Option<StoredImage>,
) -> Result<Vec<u8>> {
    let lang = article.lang.clone().unwrap_or_else(|| "und".into());
    let (body, images) = epub_body(article, options, image);
    let title = escape(&article.title);
    let page = |head_title: &str, body: &str| {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\"{}>\n<head><title>{head_title}</title></head>\n<body>{body}</body>\n</html>\n",
            xml_lang(Some(&lang))
        )
    };
    let xhtml = page(&title, &format!("\n{body}"));
    let nav = page(
        &title,
        &format!(
            "<nav epub:type=\"toc\"><ol><li><a href=\"article.xhtml\">{title}</a></li></ol></nav>"
        ),
    );
    let opf = epub_package(article, &lang, &images);
    let container = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\"><rootfiles><rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/></rootfiles></container>\n";
    let texts = [
        ("META-INF/container.xml", container),
        ("OEBPS/content.opf", opf.as_str()),
        ("OEBPS/nav.xhtml", nav.as_str()),
        ("OEBPS/article.xhtml", xhtml.as_str()),
    ];
    epub_zip(&texts, &images).map_err(|e| CoreError::Internal(format!("writing the EPUB ({e})")))
}

/// The article's XHTML body (blocks laid out as `options.mode` says, plain text escaped, each
/// with `xml:lang`) and the stored images it uses, with their names in the book.
fn epub_body(
    article: &Article,
    options: &ExportOptions,
    image: &dyn Fn(&str) -> Option<StoredImage>,
) -> (String, Vec<(String, StoredImage)>) {
    let to = options.to.as_deref().unwrap_or("");
    let has_translation = !to.is_empty() && article.blocks.iter().any(|b| b.translation.is_some());
    let mode = if has_translation {
        options.mode
    } else {
        ViewMode::Original
    };
    let mut images: Vec<(String, StoredImage)> = Vec::new();
    let mut body = format!(
        "<h1{}>{}</h1>\n",
        xml_lang(article.lang.as_deref()),
        escape(&article.title)
    );
    if mode == ViewMode::Columns {
        body.push_str("<table>\n");
    }
    for b in &article.blocks {
        let orig = if b.kind == BlockKind::Image {
            let Some(img) = b.src.as_deref().and_then(image) else {
                continue;
            };
            let name = format!("images/{}.{}", images.len() + 1, image_ext(&img.mime));
            let tag = format!(
                "<div><img src=\"{name}\" alt=\"{}\"/></div>",
                escape(&b.text)
            );
            images.push((name, img));
            tag
        } else {
            let tag = match b.kind {
                BlockKind::Heading => "h2",
                BlockKind::Quote => "blockquote",
                _ => "p",
            };
            format!(
                "<{tag}{}>{}</{tag}>",
                xml_lang(b.lang.as_deref()),
                escape(&b.text)
            )
        };
        let trans = b
            .translation
            .as_deref()
            .map(|t| format!("<p{}>{}</p>", xml_lang(Some(to)), escape(t)));
        lay_out(&mut body, mode, orig, trans, "");
    }
    if mode == ViewMode::Columns {
        body.push_str("</table>\n");
    }
    (body, images)
}

/// The package document (`content.opf`): identity, title, language and the manifest.
fn epub_package(article: &Article, lang: &str, images: &[(String, StoredImage)]) -> String {
    let identifier = article
        .url
        .clone()
        .unwrap_or_else(|| format!("urn:duizhao:article:{}", article.id));
    let modified = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ");
    let mut manifest = String::from(
        "<item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" properties=\"nav\"/>\n<item id=\"article\" href=\"article.xhtml\" media-type=\"application/xhtml+xml\"/>\n",
    );
    for (i, (name, img)) in images.iter().enumerate() {
        manifest.push_str(&format!(
            "<item id=\"img{}\" href=\"{name}\" media-type=\"{}\"/>\n",
            i + 1,
            escape(&img.mime)
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"uid\" xml:lang=\"{}\">\n<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<dc:identifier id=\"uid\">{}</dc:identifier>\n<dc:title>{}</dc:title>\n<dc:language>{}</dc:language>\n<meta property=\"dcterms:modified\">{modified}</meta>\n</metadata>\n<manifest>\n{manifest}</manifest>\n<spine><itemref idref=\"article\"/></spine>\n</package>\n",
        escape(lang),
        escape(&identifier),
        escape(&article.title),
        escape(lang)
    )
}

/// The OCF container: `mimetype` first and stored uncompressed (OCF 3), the text files
/// deflated, the images stored (already compressed).
fn epub_zip(
    texts: &[(&str, &str)],
    images: &[(String, StoredImage)],
) -> std::result::Result<Vec<u8>, zip::result::ZipError> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("mimetype", stored)?;
    zip.write_all(b"application/epub+zip")?;
    for (name, text) in texts {
        zip.start_file(*name, deflated)?;
        zip.write_all(text.as_bytes())?;
    }
    for (name, img) in images {
        zip.start_file(format!("OEBPS/{name}"), stored)?;
        zip.write_all(&img.bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_vectors() {
        for (i, o) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(i.as_bytes()), o);
        }
    }

    fn article() -> Article {
        let mut p = Block::text(BlockKind::Paragraph, "中文 <x>", "中文 &lt;x&gt;");
        p.lang = Some("zh-Hant".into());
        p.translation = Some("Chinese <x>".into());
        let mut img = Block::text(
            BlockKind::Image,
            "a cat",
            "<img src=\"https://e.com/a.png\">",
        );
        img.src = Some("https://e.com/a.png".into());
        let mut missing = img.clone();
        missing.src = Some("https://e.com/b.png".into());
        Article {
            id: 1,
            title: "T & t".into(),
            url: Some("https://e.com/a".into()),
            published: None,
            lang: Some("zh-Hant".into()),
            feed_id: None,
            read: false,
            starred: false,
            title_translation: None,
            title_html: None,
            reading: None,
            blocks: vec![p, img, missing],
        }
    }

    fn lookup(url: &str) -> Option<StoredImage> {
        (url == "https://e.com/a.png").then(|| StoredImage {
            id: 1,
            mime: "image/png".into(),
            bytes: b"\x89PNG\r\n\x1a\nxx".to_vec(),
        })
    }

    #[test]
    fn html_inlines_stored_images_and_never_loads_remote_ones() {
        let opts = ExportOptions {
            format: ExportFormat::Html,
            to: Some("en".into()),
            script: Default::default(),
            mode: ViewMode::Interleaved,
        };
        let out = String::from_utf8(render(&article(), &opts, &lookup).unwrap()).unwrap();
        assert!(
            out.contains("src=\"data:image/png;base64,iVBORw0KGgp4eA==\""),
            "{out}"
        );
        assert!(
            !out.contains("src=\"http"),
            "a remote src would load from the network: {out}"
        );
        assert!(out.contains("<a href=\"https://e.com/b.png\">"), "{out}");
        assert!(
            out.contains("<p lang=\"en\">Chinese &lt;x&gt;</p>"),
            "{out}"
        );
        assert!(out.contains("<title>T &amp; t</title>"));
        assert!(
            out.contains(&format!(
                "<meta http-equiv=\"Content-Security-Policy\" content=\"{EXPORT_CSP}\">"
            )),
            "whichever browser opens the file must load and run nothing: {out}"
        );
    }

    #[test]
    fn epub_starts_with_a_stored_mimetype_and_tags_every_block() {
        let opts = ExportOptions {
            format: ExportFormat::Epub,
            to: Some("en".into()),
            script: Default::default(),
            mode: ViewMode::Columns,
        };
        let out = render(&article(), &opts, &lookup).unwrap();
        assert_eq!(&out[..4], b"PK\x03\x04");
        assert_eq!(
            &out[30..38],
            b"mimetype",
            "readers require mimetype as the first entry"
        );
        assert_eq!(&out[38..58], b"application/epub+zip");
    }
}
