//! Just enough HTTP/1.1 for a test double: one request per connection, answered with JSON, then
//! the connection closes. Connections are served one at a time.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use crate::verify::{Request, Verifier};

const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

pub fn serve(listener: TcpListener, verifier: &Verifier) {
    for stream in listener.incoming().flatten() {
        if let Err(e) = handle(stream, verifier) {
            eprintln!("dstack-verifier-double: connection: {e}");
        }
    }
}

fn handle(stream: TcpStream, verifier: &Verifier) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let (status, body) = if length > MAX_BODY_BYTES {
        ("413 Payload Too Large", error_json("body too large"))
    } else {
        let mut body = vec![0u8; length];
        reader.read_exact(&mut body)?;
        route(request_line.trim(), &body, verifier)
    };
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    stream.flush()
}

fn route(request_line: &str, body: &[u8], verifier: &Verifier) -> (&'static str, String) {
    let mut parts = request_line.split_whitespace();
    match (parts.next(), parts.next()) {
        (Some("GET"), Some("/health")) => (
            "200 OK",
            r#"{"status":"ok","service":"dstack-verifier"}"#.to_string(),
        ),
        (Some("POST"), Some("/verify")) => match serde_json::from_slice::<Request>(body) {
            Ok(request) => ("200 OK", to_json(&verifier.verify(request))),
            Err(e) => (
                "400 Bad Request",
                error_json(&format!("request is not JSON of the /verify shape: {e}")),
            ),
        },
        _ => (
            "404 Not Found",
            error_json("not found: POST /verify or GET /health"),
        ),
    }
}

fn to_json(response: &impl serde::Serialize) -> String {
    serde_json::to_string(response).unwrap_or_else(|e| error_json(&e.to_string()))
}

fn error_json(message: &str) -> String {
    serde_json::json!({ "error": message }).to_string()
}
