//! The HTML encoding (Part 1's html class): plain, escaped pages with the links and a table,
//! no script and no inline style (the CSP forbids both), nothing fetched from elsewhere.

use super::Coll;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::Value;

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => esc(s),
        other => esc(&other.to_string()),
    }
}

fn page(title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{t}</title></head><body><h1>{t}</h1>{body}</body></html>",
        t = esc(title)
    );
    let mut r = Html(html).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

fn links(v: &Value) -> String {
    let mut s = String::from("<ul>");
    for l in v["links"].as_array().into_iter().flatten() {
        let href = l["href"].as_str().unwrap_or("");
        s.push_str(&format!(
            "<li><a href=\"{}\">{}</a> ({})</li>",
            esc(href),
            esc(l["title"].as_str().unwrap_or(href)),
            esc(l["rel"].as_str().unwrap_or(""))
        ));
    }
    s.push_str("</ul>");
    s
}

/// Any JSON document as a page: its links, then the document itself.
pub fn json_page(title: &str, v: &Value) -> Response {
    let pretty = serde_json::to_string_pretty(v).unwrap_or_default();
    page(title, &format!("{}<pre>{}</pre>", links(v), esc(&pretty)))
}

fn table(features: &[Value]) -> String {
    let mut cols: Vec<String> = Vec::new();
    for f in features {
        for k in f["properties"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
        {
            if !cols.contains(k) {
                cols.push(k.clone());
            }
        }
    }
    let mut s = String::from("<table><thead><tr>");
    for c in &cols {
        s.push_str(&format!("<th>{}</th>", esc(c)));
    }
    s.push_str("</tr></thead><tbody>");
    for f in features {
        s.push_str("<tr>");
        for c in &cols {
            s.push_str(&format!("<td>{}</td>", cell(&f["properties"][c])));
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>");
    s
}

/// A page of features.
pub fn items_page(c: Coll, v: &Value) -> Response {
    let feats = v["features"].as_array().cloned().unwrap_or_default();
    let summary = format!("<p>{} / {}</p>", v["numberReturned"], v["numberMatched"]);
    page(
        c.title(),
        &format!("{}{summary}{}", links(v), table(&feats)),
    )
}

/// One feature.
pub fn feature_page(c: Coll, v: &Value) -> Response {
    page(
        &format!("{} {}", c.title(), v["id"].as_str().unwrap_or("")),
        &format!("{}{}", links(v), table(std::slice::from_ref(v))),
    )
}
