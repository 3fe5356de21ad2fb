//! The accept loop both listeners share: each connection takes a slot at its listener's gate
//! (see `connections`), the API's connections shake hands in TLS first, and hyper serves the
//! requests with a deadline on each request's head (which also ends idle keep-alive
//! connections). A connection ends when its client leaves, a deadline passes, the gate closes it
//! to make room, or the host stops.

use super::Peer;
use super::connections::{Gate, Pass};
use axum::Router;
use axum::extract::ConnectInfo;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower::ServiceExt;

/// How hyper serves a listener's connections; made once per listener, cloned per connection.
type Http = hyper::server::conn::http1::Builder;

/// The largest request head the host reads (hyper answers 431 beyond it).
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// Serves `app` on `listener` until `stopped` changes; with `tls`, over TLS with the caller's
/// client certificate passed to the routes as a `Peer`.
pub(super) async fn serve(
    listener: TcpListener,
    gate: Arc<Gate>,
    tls: Option<tokio_rustls::TlsAcceptor>,
    app: Router,
    mut stopped: watch::Receiver<bool>,
) {
    let mut http = Http::new();
    http.timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(gate.limits().header_read)
        .max_buf_size(MAX_HEAD_BYTES);
    let http = Arc::new(http);
    loop {
        let (tcp, addr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of descriptors or a connection reset before it was taken: the gate
                    // keeps the first from lasting, so wait a moment and go on.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = stopped.changed() => return,
        };
        let pass = gate.admit(addr);
        let (gate, tls, app, stopped) = (gate.clone(), tls.clone(), app.clone(), stopped.clone());
        let http = http.clone();
        tokio::spawn(async move {
            tokio::select! {
                _ = connection(tcp, addr, &gate, tls, app, &http, pass) => {}
                _ = wait_for_stop(stopped) => {}
            }
        });
    }
}

async fn wait_for_stop(mut stopped: watch::Receiver<bool>) {
    let _ = stopped.changed().await;
}

async fn connection(
    tcp: TcpStream,
    addr: SocketAddr,
    gate: &Gate,
    tls: Option<tokio_rustls::TlsAcceptor>,
    app: Router,
    http: &Http,
    mut pass: Pass,
) {
    let limits = gate.limits();
    let Some(acceptor) = tls else {
        pass.established();
        let peer = Peer {
            cert_sha256: None,
            cert_expires: None,
            addr,
        };
        return serve_http(tcp, app, peer, http, &pass).await;
    };
    let handshake = tokio::time::timeout(limits.handshake, acceptor.accept(tcp));
    let stream = tokio::select! {
        shaken = handshake => match shaken {
            Ok(Ok(stream)) => stream,
            Ok(Err(e)) => {
                // A certificate from another CA ends here.
                tracing::debug!(%addr, error = %e, "hall API connection refused in the TLS handshake");
                return;
            }
            Err(_) => return,
        },
        _ = pass.closed() => return,
    };
    let presented = stream
        .get_ref()
        .1
        .peer_certificates()
        .and_then(|certs| certs.first());
    let cert_sha256 = presented.map(|c| kiosk_core::digest::sha256_hex(c));
    let cert_expires = presented.and_then(|c| crate::hall::pki::expiry_der(c).ok());
    if cert_sha256.is_some() {
        // Signed by the hall CA (rustls checked it); whether it is still enrolled is checked on
        // each request.
        if !pass.become_terminal() {
            tracing::warn!(%addr, "hall API connection closed: the terminals' connections are all in use");
            return;
        }
    } else {
        pass.established();
    }
    let peer = Peer {
        cert_sha256,
        cert_expires,
        addr,
    };
    serve_http(stream, app, peer, http, &pass).await;
}

/// Serves the connection's requests, each carrying who made it (`Peer`, `ConnectInfo`) for the
/// routes: put into the request, so the router is not rebuilt for every connection.
async fn serve_http<S>(stream: S, app: Router, peer: Peer, http: &Http, pass: &Pass)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let addr = peer.addr;
    let app = app.map_request(
        move |mut request: axum::extract::Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(ConnectInfo(addr));
            request.extensions_mut().insert(peer.clone());
            request
        },
    );
    let service = hyper_util::service::TowerToHyperService::new(app);
    let connection = http.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
    tokio::select! {
        _ = connection => {}
        _ = pass.closed() => {}
    }
}
