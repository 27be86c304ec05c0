//! Each channel kind's request, and sending it. Task titles and reasons are
//! written by agents, so nothing in them may turn into a mention or markup.

use super::message::Message;
use crate::config::{Channel, ChannelKind};
use kernel::{Event, NotifySub, Task};
use serde_json::json;
use std::time::Duration;

/// One HTTP POST, ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub content_type: &'static str,
    pub body: String,
}

/// What the request is about, for payloads that carry the raw facts.
pub struct Subject<'a> {
    pub board: &'a str,
    pub sub: &'a NotifySub,
    pub task: &'a Task,
    pub event: &'a Event,
}

/// Slack reads `&`, `<` and `>` as markup (`<!channel>` pings everyone).
fn slack_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Discord's limit for a message's content.
const DISCORD_MAX: usize = 2000;

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// A header value that may hold any text: RFC 2047 encoded when it is not
/// plain ASCII (ntfy decodes it).
fn header_text(s: &str) -> String {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        s.to_string()
    } else {
        format!("=?UTF-8?B?{}?=", base64(s.as_bytes()))
    }
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (*b as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A key that is the same for every attempt at one event for one
/// subscription, so a receiver can drop a repeat after a lost reply.
pub fn idempotency_key(board: &str, sub: &NotifySub, event_id: i64) -> String {
    // FNV-1a: stable across builds, unlike the std hasher.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [
        sub.task_id.as_str(),
        sub.platform.as_str(),
        sub.chat_id.as_str(),
        sub.thread_id.as_deref().unwrap_or(""),
    ] {
        for b in part.bytes().chain([0]) {
            h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("baton-{board}-{event_id}-{h:016x}")
}

pub fn request(channel: &Channel, subject: &Subject<'_>, msg: &Message) -> Request {
    let mut headers: Vec<(String, String)> = channel
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    headers.push((
        "Idempotency-Key".into(),
        idempotency_key(subject.board, subject.sub, subject.event.id),
    ));
    headers.push(("X-Baton-Event".into(), subject.event.kind.to_string()));
    let platform_form = subject.sub.channel().is_none();
    let (content_type, body) = match channel.kind {
        ChannelKind::Webhook => (
            "application/json",
            json!({
                "text": msg.text(),
                "headline": msg.headline,
                "detail": msg.detail,
                "link": msg.link,
                "board": subject.board,
                "event": subject.event,
                "task": subject.task,
                "subscription": {
                    "task_id": subject.sub.task_id,
                    "platform": subject.sub.platform,
                    "chat_id": subject.sub.chat_id,
                    "thread_id": subject.sub.thread_id,
                },
            })
            .to_string(),
        ),
        ChannelKind::Slack => {
            let mut body = json!({
                "text": slack_escape(&msg.text()),
                "unfurl_links": false,
            });
            // The reference's `--platform slack --chat-id C…` form names a
            // channel (and thread) for webhooks that allow choosing one.
            if platform_form {
                body["channel"] = json!(subject.sub.chat_id);
                if let Some(t) = &subject.sub.thread_id {
                    body["thread_ts"] = json!(t);
                }
            }
            ("application/json", body.to_string())
        }
        ChannelKind::Discord => (
            "application/json",
            json!({
                "content": truncate(&msg.text(), DISCORD_MAX),
                // Agent-written text must not ping @everyone or a role.
                "allowed_mentions": { "parse": [] },
            })
            .to_string(),
        ),
        ChannelKind::Ntfy => {
            headers.push(("Title".into(), header_text(&msg.headline)));
            headers.push(("Priority".into(), msg.priority.to_string()));
            headers.push(("Tags".into(), msg.tag.into()));
            if let Some(link) = &msg.link {
                headers.push(("Click".into(), link.clone()));
            }
            let body = [&msg.detail, &msg.footer]
                .into_iter()
                .filter(|s| !s.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join("\n");
            ("text/plain; charset=utf-8", body)
        }
    };
    Request {
        url: channel.url.clone(),
        headers,
        content_type,
        body,
    }
}

/// An HTTP client with the notifier's timeout; non-2xx answers are failures.
pub fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent(concat!("baton/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// Sends `req`; a 2xx answer is success, anything else says what went wrong.
pub fn send(agent: &ureq::Agent, req: &Request) -> crate::error::Result<()> {
    post(agent, req).map_err(crate::error::Error::Failed)
}

fn post(agent: &ureq::Agent, req: &Request) -> Result<(), String> {
    let mut r = agent
        .post(&req.url)
        .header("Content-Type", req.content_type);
    for (k, v) in &req.headers {
        r = r.header(k.as_str(), v.as_str());
    }
    match r.send(req.body.as_bytes()) {
        Ok(resp) if resp.status().is_success() => Ok(()),
        Ok(mut resp) => {
            let status = resp.status();
            let text = resp
                .body_mut()
                .with_config()
                .limit(500)
                .read_to_string()
                .unwrap_or_default();
            let text = text.trim();
            Err(if text.is_empty() {
                format!("HTTP {status}")
            } else {
                format!("HTTP {status}: {}", truncate(text, 200))
            })
        }
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_alphabet_and_padding() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64("✔ é".as_bytes()), "4pyUIMOp");
        assert_eq!(header_text("plain"), "plain");
        assert_eq!(header_text("✔ é"), "=?UTF-8?B?4pyUIMOp?=");
    }

    #[test]
    fn the_idempotency_key_depends_on_the_subscription_and_event_only() {
        let a = NotifySub {
            task_id: "t_1".into(),
            platform: "channel".into(),
            chat_id: "ops".into(),
            ..Default::default()
        };
        let mut b = a.clone();
        b.last_event_id = 99;
        b.failures = 2;
        assert_eq!(idempotency_key("x", &a, 5), idempotency_key("x", &b, 5));
        assert_ne!(idempotency_key("x", &a, 5), idempotency_key("x", &a, 6));
        b.chat_id = "dev".into();
        assert_ne!(idempotency_key("x", &a, 5), idempotency_key("x", &b, 5));
    }

    #[test]
    fn slack_markup_and_discord_mentions_are_neutralised() {
        assert_eq!(
            slack_escape("<!channel> & <@U1>"),
            "&lt;!channel&gt; &amp; &lt;@U1&gt;"
        );
        assert_eq!(
            truncate(&"x".repeat(2500), DISCORD_MAX).chars().count(),
            DISCORD_MAX
        );
    }
}
