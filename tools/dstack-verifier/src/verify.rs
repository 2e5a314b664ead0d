//! POST /verify in dstack-verifier's request and response shape (dstack/verifier/src/types.rs),
//! with the quote checked offline by dcap-qvl against collateral read from files.

use dcap_qvl::verify::VerifiedReport;
use dcap_qvl::QuoteCollateralV3;
use serde::{Deserialize, Serialize};

use crate::event_log;

/// Why `is_valid` stays false even for a quote that verifies: the real verifier also downloads the
/// OS image named by `os_image_hash` and recomputes MRTD/RTMR0-2 with dstack-mr; this double cannot.
const OS_IMAGE_NOT_CHECKED: &str = "OS image hash not verified: this offline test double does not \
    download OS images or run dstack-mr (quote and event log were checked)";

#[derive(Deserialize, Default)]
pub struct Request {
    quote: Option<String>,
    event_log: Option<String>,
    attestation: Option<String>,
}

#[derive(Serialize)]
pub struct Response {
    pub is_valid: bool,
    pub details: Details,
    pub reason: Option<String>,
}

#[derive(Serialize, Default)]
pub struct Details {
    pub quote_verified: bool,
    pub event_log_verified: bool,
    pub os_image_hash_verified: bool,
    pub acpi_tables_verified: bool,
    pub os_image_is_dev: Option<bool>,
    pub os_image_version: Option<String>,
    pub tee_variant: Option<String>,
    pub report_data: Option<String>,
    pub tcb_status: Option<String>,
    pub advisory_ids: Vec<String>,
    pub key_provider: Option<serde_json::Value>,
    pub app_info: Option<serde_json::Value>,
}

pub struct Verifier {
    pub collaterals: Vec<QuoteCollateralV3>,
    pub now: u64,
}

impl Verifier {
    pub fn verify(&self, request: Request) -> Response {
        let mut details = Details::default();
        if request.attestation.is_some() {
            return invalid(
                details,
                "Internal error: this test double takes quote + event_log, not attestation",
            );
        }
        let Some(quote_hex) = request.quote else {
            return invalid(details, "Internal error: Quote is required");
        };
        let Some(event_log) = request.event_log else {
            return invalid(details, "Internal error: Event log is required");
        };
        let quote = match hex::decode(quote_hex.trim_start_matches("0x")) {
            Ok(quote) => quote,
            Err(e) => return invalid(details, &format!("Internal error: quote is not hex: {e}")),
        };
        let report = match self.verify_quote(&quote) {
            Ok(report) => report,
            Err(e) => return invalid(details, &format!("Quote verification failed: {e}")),
        };
        let Some(td) = report.report.as_td10() else {
            return invalid(details, "Quote verification failed: not a TDX quote");
        };
        details.quote_verified = true;
        details.tee_variant = Some("dstack-tdx".to_string());
        details.report_data = Some(hex::encode(td.report_data));
        details.tcb_status = Some(report.status.clone());
        details.advisory_ids = report.advisory_ids.clone();
        if let Err(e) =
            event_log::check(&event_log, [&td.rt_mr0, &td.rt_mr1, &td.rt_mr2, &td.rt_mr3])
        {
            return invalid(details, &format!("Event log verification failed: {e}"));
        }
        details.event_log_verified = true;
        invalid(details, OS_IMAGE_NOT_CHECKED)
    }

    /// The first collateral the quote verifies with; otherwise every collateral's error.
    fn verify_quote(&self, quote: &[u8]) -> Result<VerifiedReport, String> {
        let mut errors = Vec::new();
        for collateral in &self.collaterals {
            match dcap_qvl::verify::verify(quote, collateral, self.now) {
                Ok(report) => return Ok(report),
                Err(e) => errors.push(format!("{e:#}")),
            }
        }
        Err(errors.join("; "))
    }
}

fn invalid(details: Details, reason: &str) -> Response {
    Response {
        is_valid: false,
        details,
        reason: Some(reason.to_string()),
    }
}
