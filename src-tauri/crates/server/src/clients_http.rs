//! HTTP adapter for Windows Update Agents (MS-WUSP), on a listener of its own
//! (`patchdeck serve --clients-listen ADDR`; WSUS uses port 8530):
//!
//! - `POST /ClientWebService/client.asmx`, `/SimpleAuthWebService/SimpleAuth.asmx`,
//!   `/ReportingWebService/ReportingWebService.asmx`: decode with
//!   `wsus::wusp::ClientRequest::parse` (the `SOAPAction` header and the body), one
//!   `site::clients::handle` call on a blocking thread, encode: 200 with the answer, 500 with
//!   the WSUS fault, `text/xml; charset=utf-8` as the captured WSUS answers.
//! - `GET`/`HEAD /Content/{xx}/{file}`: the content library, as on the console listener.
//!
//! The same router is served over HTTPS (`serve_tls`) with the certificate of the site's
//! client service settings, as WSUS serves port 8531.
//!
//! Clients are anonymous: no API token here, and nothing else: `/api/v1` and the console are
//! not on this router, so they answer 404. Bodies are bounded by the protocol's own limit.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use site::Site;
use wsus::wusp::fault::{fault_for_bad_request, fault_xml};
use wsus::wusp::limits::MAX_REQUEST_BYTES;
use wsus::wusp::{error_codes, ClientRequest, Operation, Service};
use wsus::WsusError;

pub fn router(site: Arc<Site>) -> Router {
    Router::new()
        .route(Service::Client.path(), post(call))
        .route(Service::SimpleAuth.path(), post(call))
        .route(Service::Reporting.path(), post(call))
        .nest_service("/Content", crate::http::content_service(&site))
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES))
        .with_state(site)
}

/// One client call: decode, one call into the site, encode the answer or the fault.
async fn call(
    State(site): State<Arc<Site>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let action = headers.get("SOAPAction").and_then(|v| v.to_str().ok());
    let parsed = std::str::from_utf8(&body)
        .map_err(|e| WsusError::MalformedXml {
            context: "MS-WUSP request",
            detail: format!("the body is not UTF-8: {e}"),
        })
        .and_then(|text| ClientRequest::parse(action, text));
    let request = match parsed {
        Ok(r) => r,
        Err(e) => {
            let op = action.and_then(Operation::from_soap_action);
            return xml(
                StatusCode::INTERNAL_SERVER_ERROR,
                fault_for_bad_request(op, &e).to_xml(),
            );
        }
    };
    let op = request.operation();
    let caller = site::clients::Caller {
        peer: peer.ip(),
        base_url: base_url(&headers),
    };
    match tokio::task::spawn_blocking(move || site::clients::handle(&site, request, &caller)).await {
        Ok(Ok(answer)) => xml(StatusCode::OK, answer.to_xml()),
        Ok(Err(fault)) => xml(
            StatusCode::INTERNAL_SERVER_ERROR,
            fault_xml(op, fault.error_code, &fault.message),
        ),
        Err(_) => xml(
            StatusCode::INTERNAL_SERVER_ERROR,
            fault_xml(op, error_codes::INTERNAL_SERVER_ERROR, ""),
        ),
    }
}

/// `http://<Host>` as the client addressed us. Without a usable Host header (HTTP/1.1
/// requires one; it ends up in the URLs we hand out, so it must be a plain host[:port]) the
/// URLs are left relative to the server.
fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|h| {
            !h.is_empty() && h.len() <= 255 && h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        });
    match host {
        Some(h) => format!("http://{h}"),
        None => String::new(),
    }
}

fn xml(status: StatusCode, text: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/xml; charset=utf-8"),
            (header::CACHE_CONTROL, "private"),
        ],
        text,
    )
        .into_response()
}

/// Binds the clients' address, so that a taken port fails `serve` before anything starts.
pub async fn bind(listen: SocketAddr) -> anyhow::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(listen).await.map_err(|e| {
        anyhow::anyhow!("Cannot listen for Windows Update clients on {listen}: {e}. Choose another --clients-listen address or stop what uses it.")
    })
}

/// Binds the clients' HTTPS address (std listener: the TLS server takes it as is).
pub fn bind_tls(listen: SocketAddr) -> anyhow::Result<std::net::TcpListener> {
    let l = std::net::TcpListener::bind(listen).map_err(|e| {
        anyhow::anyhow!("Cannot listen for Windows Update clients over HTTPS on {listen}: {e}. Choose another port or stop what uses it.")
    })?;
    l.set_nonblocking(true)?;
    Ok(l)
}

/// Serves clients over TLS on `listener` with `tls` until the process ends.
pub async fn serve_tls(
    listener: std::net::TcpListener,
    site: Arc<Site>,
    tls: Arc<rustls::ServerConfig>,
) -> anyhow::Result<()> {
    let config = axum_server::tls_rustls::RustlsConfig::from_config(tls);
    axum_server::tls_rustls::from_tcp_rustls(listener, config)?
        .map(|tls| tls.acceptor(axum_server::accept::NoDelayAcceptor::new()))
        .serve(router(site).into_make_service_with_connect_info::<SocketAddr>())
        .await?;
    Ok(())
}

/// Serves clients on `listener` until Ctrl+C.
pub async fn serve(listener: tokio::net::TcpListener, site: Arc<Site>) -> anyhow::Result<()> {
    axum::serve(
        crate::http::no_delay(listener),
        router(site).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(crate::http::shutdown_signal())
    .await?;
    Ok(())
}
