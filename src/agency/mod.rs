//! Forwarding to the agency's information system (the agency contract, documented in
//! `docs/agency-openapi.yaml`): what a submission is (`submission`: kinds, contact checks), putting
//! it in the outbox (`outbox`, SQL in `kiosk_store::outbox_tables`), signed delivery with retries and the
//! background worker (`deliver`), and a local receiver implementing the agency's side for tests and
//! pilots (`receiver`). The pure rules — signing, what an answer means,
//! backoff — are in `kiosk_core::delivery`.

pub mod deliver;
pub mod outbox;
#[cfg(feature = "dev-tools")]
pub mod receiver;
pub mod submission;
