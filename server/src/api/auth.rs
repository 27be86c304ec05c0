//! Who may talk to the server. A board whose tasks start processes is a
//! remote-code-execution surface, so: every `/api/` route (server functions
//! included) needs the token — as `Authorization: Bearer` or the session
//! cookie a browser gets by opening `/?token=…` once; pages without a session
//! show a form asking for the token; a `Host` that is not ours is refused
//! (DNS rebinding); a state-changing request from another origin is refused.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::json;
use std::net::SocketAddr;
use std::sync::Arc;

pub const COOKIE: &str = "baton_session";

pub struct Auth {
    token: String,
    addr: SocketAddr,
    /// Where the token can be found, for the form.
    server_info: String,
}

/// A fresh random token: 32 hex characters.
pub fn generate_token() -> String {
    use rand::Rng;
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Equal in time independent of where the strings differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn detail(status: StatusCode, msg: &str) -> Response {
    (status, Json(json!({ "detail": msg }))).into_response()
}

fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

impl Auth {
    pub fn new(token: String, addr: SocketAddr, server_info: String) -> Auth {
        Auth {
            token,
            addr,
            server_info,
        }
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    fn valid(&self, candidate: &str) -> bool {
        constant_time_eq(candidate.trim().as_bytes(), self.token.as_bytes())
    }

    fn authorized(&self, headers: &HeaderMap) -> bool {
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        bearer.is_some_and(|t| self.valid(t))
            || cookie_value(headers, COOKIE).is_some_and(|t| self.valid(t))
    }

    /// Loopback names and the bound address; any host when bound to a
    /// non-loopback address (a token is then mandatory anyway).
    fn host_allowed(&self, host: &str) -> bool {
        if !self.addr.ip().is_loopback() {
            return true;
        }
        let port = self.addr.port();
        let h = host.trim().to_ascii_lowercase();
        [
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("[::1]:{port}"),
            self.addr.to_string(),
        ]
        .contains(&h)
    }

    fn token_page(&self, status: StatusCode, error: Option<&str>) -> Response {
        let error = error
            .map(|e| format!("<p class=\"error\">{}</p>", html_escape(e)))
            .unwrap_or_default();
        let page = format!(
            r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Baton — sign in</title>
<link rel="stylesheet" href="/pkg/baton.css"></head>
<body><main class="signin"><h1>Baton</h1>
<p>This board needs its access token.</p>
<p>It is printed by <code>baton serve</code> as part of the dashboard address, and stored in
<code>{info}</code> while the server runs.</p>{error}
<form method="get" action="/"><label for="token">Token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Open the board</button></form></main></body></html>"#,
            info = html_escape(&self.server_info)
        );
        (status, Html(page)).into_response()
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Paths anyone may fetch: health checks and static assets.
fn public(path: &str) -> bool {
    path == "/healthz"
        || path.starts_with("/pkg/")
        || path == "/favicon.svg"
        || path == "/favicon.ico"
}

/// Routes for programs, which get a JSON 401 rather than the sign-in page.
fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/") || path == "/mcp" || path.starts_with("/mcp/")
}

/// The query string without its `token` parameter.
fn without_token(query: &str) -> String {
    query
        .split('&')
        .filter(|kv| !kv.is_empty() && !kv.starts_with("token=") && *kv != "token")
        .collect::<Vec<_>>()
        .join("&")
}

fn query_token(query: &str) -> Option<String> {
    query.split('&').find_map(|kv| {
        kv.strip_prefix("token=")
            .map(|v| v.replace('+', " "))
            .map(|v| percent_decode(&v))
    })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The middleware guarding every route.
pub async fn guard(State(auth): State<Arc<Auth>>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if path == "/healthz" {
        return next.run(req).await;
    }
    let headers = req.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !auth.host_allowed(host) {
        return detail(
            StatusCode::FORBIDDEN,
            &format!(
                "requests for host '{host}' are refused; use http://{}",
                auth.addr
            ),
        );
    }
    let state_changing = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if state_changing {
        let cross_site = headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v == "cross-site");
        let foreign_origin = headers
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|o| o != format!("http://{host}") && o != format!("https://{host}"));
        if cross_site || foreign_origin {
            return detail(
                StatusCode::FORBIDDEN,
                "cross-origin requests may not change the board",
            );
        }
    }
    if public(&path) {
        return next.run(req).await;
    }
    let query = req.uri().query().unwrap_or("").to_string();
    if !is_api(&path) && req.method() == Method::GET {
        if let Some(t) = query_token(&query) {
            if !auth.valid(&t) {
                return auth.token_page(
                    StatusCode::UNAUTHORIZED,
                    Some("That token is not this server's token."),
                );
            }
            let rest = without_token(&query);
            let location = if rest.is_empty() {
                path.clone()
            } else {
                format!("{path}?{rest}")
            };
            let mut resp = (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
            let cookie = format!("{COOKIE}={}; HttpOnly; SameSite=Strict; Path=/", auth.token);
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                resp.headers_mut().insert(header::SET_COOKIE, v);
            }
            return resp;
        }
    }
    if auth.authorized(req.headers()) {
        return next.run(req).await;
    }
    if is_api(&path) {
        return detail(
            StatusCode::UNAUTHORIZED,
            "missing or wrong token: send 'Authorization: Bearer <token>' (the token is in server.json)",
        );
    }
    auth.token_page(StatusCode::UNAUTHORIZED, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_exactly() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
        assert_eq!(generate_token().len(), 32);
        assert_ne!(generate_token(), generate_token());
    }

    #[test]
    fn the_token_is_taken_out_of_the_query() {
        assert_eq!(without_token("token=abc&board=x"), "board=x");
        assert_eq!(without_token("token=abc"), "");
        assert_eq!(query_token("a=1&token=ab%2Fc"), Some("ab/c".to_string()));
        assert_eq!(percent_decode("%zz%41"), "%zzA");
    }
}
