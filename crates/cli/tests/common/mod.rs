//! Helpers the binary's tests share: start `landcycle serve` on a free port, and a plain HTTP GET.
#![allow(dead_code, clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};

pub mod store;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_landcycle");

/// Starts `landcycle serve --bind 127.0.0.1:0 ARGS…` and returns the child and its address,
/// read from the line `serve` prints once it listens. Stderr keeps being drained so the server
/// never blocks on a full pipe.
pub fn spawn_serve(args: &[&str]) -> (Child, String) {
    spawn_serve_env(args, &[])
}

/// [`spawn_serve`] with environment variables set for the server.
pub fn spawn_serve_env(args: &[&str], env: &[(&str, &std::path::Path)]) -> (Child, String) {
    let mut child = Command::new(BIN)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .args(args)
        .envs(env.iter().copied())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines
            .next()
            .expect("serve exited before listening")
            .unwrap();
        if let Some(rest) = line.strip_prefix("landcycle: http://") {
            break rest.split('/').next().unwrap().to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (child, addr)
}

/// `GET path` with an optional bearer token; returns the status and the body.
pub fn get(addr: &str, path: &str, token: Option<&str>) -> (u16, String) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = String::new();
    s.read_to_string(&mut buf).unwrap();
    let status = buf[9..12].parse().unwrap();
    let body = buf
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}
