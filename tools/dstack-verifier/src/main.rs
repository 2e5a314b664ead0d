//! An offline test double of dstack-verifier (github.com/Dstack-TEE/dstack, dstack/verifier).
//!
//! Same HTTP API (POST /verify, GET /health), but the DCAP collateral comes from files given on the
//! command line instead of a PCCS, and "now" is a fixed time inside that collateral's validity
//! window, so a recorded real quote verifies the same way every day, with no network.
//!
//!   dstack-verifier-double --collateral FILE [--collateral FILE ...] --now UNIX_SECONDS [--port N]
//!
//! It prints `listening on 127.0.0.1:<port>` once it accepts connections (--port 0 picks a free one).

mod event_log;
mod http;
mod verify;

use std::net::TcpListener;
use std::process::ExitCode;

use verify::Verifier;

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dstack-verifier-double: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let mut collaterals = Vec::new();
    let mut now = None;
    let mut port = 8080u16;
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--collateral" => collaterals.push(read_collateral(&value)?),
            "--now" => now = Some(value.parse().map_err(|e| format!("--now {value}: {e}"))?),
            "--port" => port = value.parse().map_err(|e| format!("--port {value}: {e}"))?,
            _ => return Err(format!("unknown option {flag}")),
        }
    }
    if collaterals.is_empty() {
        return Err("give at least one --collateral FILE".to_string());
    }
    let now =
        now.ok_or("give --now UNIX_SECONDS, a time inside the collateral's validity window")?;
    let listener =
        TcpListener::bind(("127.0.0.1", port)).map_err(|e| format!("bind port {port}: {e}"))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    println!("listening on {address}");
    http::serve(listener, &Verifier { collaterals, now });
    Ok(())
}

fn read_collateral(path: &str) -> Result<dcap_qvl::QuoteCollateralV3, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("read {path}: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("{path} is not QuoteCollateralV3 JSON: {e}"))
}
