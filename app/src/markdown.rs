//! Markdown to HTML for task bodies and comments, rendered on the server so
//! the parser never ships to the browser. Agents write these texts and they
//! may carry anything, so the output is safe by construction: raw HTML is
//! shown as text, only http(s) and mailto links survive (opening in a new tab
//! without access to this page), and images become plain links.

use pulldown_cmark::{html, Event, LinkType, Options, Parser, Tag, TagEnd};

/// Whether a link target may be followed: after dropping the whitespace and
/// control characters browsers ignore, it must be http, https or mailto.
pub fn safe_url(url: &str) -> bool {
    let u: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(8)
        .collect::<String>()
        .to_ascii_lowercase();
    u.starts_with("http://") || u.starts_with("https://") || u.starts_with("mailto:")
}

pub fn to_html(text: &str) -> String {
    let opts = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS;
    // For each open link or image: whether its tags are kept.
    let mut links: Vec<bool> = Vec::new();
    let events = Parser::new_ext(text, opts).filter_map(|ev| match ev {
        Event::Html(s) | Event::InlineHtml(s) => Some(Event::Text(s)),
        Event::Start(Tag::HtmlBlock) => Some(Event::Start(Tag::Paragraph)),
        Event::End(TagEnd::HtmlBlock) => Some(Event::End(TagEnd::Paragraph)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let keep = safe_url(&dest_url);
            links.push(keep);
            keep.then_some(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        Event::Start(Tag::Image {
            dest_url,
            title,
            id,
            ..
        }) => {
            let keep = safe_url(&dest_url);
            links.push(keep);
            keep.then_some(Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url,
                title,
                id,
            }))
        }
        Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => links
            .pop()
            .unwrap_or(false)
            .then_some(Event::End(TagEnd::Link)),
        other => Some(other),
    });
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, events);
    // Text is escaped, so every `<a href=` in the output is a link we kept.
    out.replace(
        "<a href=\"",
        "<a target=\"_blank\" rel=\"noopener noreferrer\" href=\"",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_usual_markdown_renders() {
        let h = to_html(
            "# Title\n\n*em* **strong** `code`\n\n```rust\nfn x() {}\n```\n\n- a\n- b\n\n1. one\n",
        );
        for want in [
            "<h1>Title</h1>",
            "<em>em</em>",
            "<strong>strong</strong>",
            "<code>code</code>",
            "<pre><code class=\"language-rust\">fn x() {}\n</code></pre>",
            "<li>a</li>",
            "<ol>",
        ] {
            assert!(h.contains(want), "{want} in {h}");
        }
    }

    #[test]
    fn links_open_safely_and_only_for_allowed_schemes() {
        let h = to_html("[ok](https://example.com/a?b=1&c=2) [mail](mailto:a@b.c)");
        assert!(h.contains(
            "<a target=\"_blank\" rel=\"noopener noreferrer\" href=\"https://example.com/a?b=1&amp;c=2\">ok</a>"
        ));
        assert!(h.contains("href=\"mailto:a@b.c\""));
        for bad in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x](java\tscript:alert(1))",
            "[x](jav&#x61;script:alert(1))",
            "[x](data:text/html,<script>alert(1)</script>)",
            "[x](vbscript:msgbox)",
            "<javascript:alert(1)>",
            "[x][r]\n\n[r]: javascript:alert(1)",
            "[x](/relative/path)",
        ] {
            let h = to_html(bad);
            assert!(!h.contains("<a "), "{bad} gave {h}");
        }
        assert_eq!(to_html("[x](javascript:alert(1))"), "<p>x</p>\n");
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        for payload in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "hi <b onmouseover=alert(1)>there</b>",
            "<iframe src=\"https://evil\"></iframe>",
            "<svg/onload=alert(1)>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<style>body{display:none}</style>",
        ] {
            let h = to_html(payload);
            let inner = h.replace("<p>", "").replace("</p>", "");
            assert!(!inner.contains('<'), "{payload} gave {h}");
            assert!(h.contains("&lt;"), "{payload} gave {h}");
        }
    }

    #[test]
    fn images_become_links_or_text() {
        assert_eq!(
            to_html("![chart](https://x/y.png)"),
            "<p><a target=\"_blank\" rel=\"noopener noreferrer\" href=\"https://x/y.png\">chart</a></p>\n"
        );
        assert_eq!(to_html("![chart](javascript:x)"), "<p>chart</p>\n");
    }

    #[test]
    fn attribute_breakouts_are_escaped() {
        let h = to_html("[x](https://a.b/\"onmouseover=\"alert(1) \"t\")");
        assert!(!h.contains("\"onmouseover"), "{h}");
    }
}
