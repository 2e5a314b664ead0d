//! Replays a dstack event log into the four TDX RTMRs, as dstack-verifier does before it trusts the
//! app identity the log carries.

use serde::Deserialize;
use sha2::{Digest, Sha384};

/// dstack's runtime events (imr 3); their digest must be the hash of their own content.
const DSTACK_RUNTIME_EVENT: u32 = 0x0800_0001;

#[derive(Deserialize)]
struct Event {
    imr: u32,
    event_type: u32,
    digest: String,
    #[serde(default)]
    event: String,
    #[serde(default)]
    event_payload: String,
}

/// Checks that the events in `event_log` (a JSON array, as dstack's GetQuote returns it) replay
/// into `rtmrs`, the RTMR0..3 the quote signs.
pub fn check(event_log: &str, rtmrs: [&[u8; 48]; 4]) -> Result<(), String> {
    let events: Vec<Event> = serde_json::from_str(event_log)
        .map_err(|e| format!("event log is not a JSON event array: {e}"))?;
    let mut registers = [[0u8; 48]; 4];
    for (index, event) in events.iter().enumerate() {
        let digest =
            hex::decode(&event.digest).map_err(|e| format!("event {index}: digest: {e}"))?;
        if event.event_type == DSTACK_RUNTIME_EVENT {
            let payload = hex::decode(&event.event_payload)
                .map_err(|e| format!("event {index}: payload: {e}"))?;
            if digest != runtime_digest(event, &payload) {
                return Err(format!(
                    "event {index} ({}): digest does not match its content",
                    event.event
                ));
            }
        }
        let register = registers
            .get_mut(event.imr as usize)
            .ok_or_else(|| format!("event {index}: imr {} is not an RTMR", event.imr))?;
        *register = Sha384::new()
            .chain_update(&register[..])
            .chain_update(&digest)
            .finalize()
            .into();
    }
    for (index, (replayed, quoted)) in registers.iter().zip(rtmrs).enumerate() {
        if replayed != quoted {
            return Err(format!(
                "RTMR{index} mismatch: replayed {} but the quote has {}",
                hex::encode(replayed),
                hex::encode(quoted)
            ));
        }
    }
    Ok(())
}

fn runtime_digest(event: &Event, payload: &[u8]) -> Vec<u8> {
    Sha384::new()
        .chain_update(event.event_type.to_le_bytes())
        .chain_update(b":")
        .chain_update(event.event.as_bytes())
        .chain_update(b":")
        .chain_update(payload)
        .finalize()
        .to_vec()
}
