//! HTTP adapter: the site API as JSON routes, the event stream, and the console UI.
//!
//! - `POST /api/v1/commands/{name}`: body = the command's JSON arguments; answers the
//!   result, or an `ApiError` with the status its code maps to.
//! - `GET /api/v1/events`: Server-Sent Events, one JSON `SiteEvent` per message.
//! - `GET /api/v1/health`: liveness, no token, changes nothing.
//! - `PUT /api/v1/content/{xx}/{file}`: this site as a remote distribution point: the body is
//!   stored in the content library under that name once its SHA-1 matches the name (422
//!   otherwise, nothing kept); 201 when stored, 200 when an identical file was there.
//! - `POST /ServerSyncWebService/ServerSyncWebService.asmx` and
//!   `/DssAuthWebService/DssAuthWebService.asmx`: this site as an MS-WSUSSS upstream for
//!   downstream sites. They read only; downstreams authenticate with the protocol's cookies.
//! - `GET`/`HEAD /Content/{xx}/{file}`: the content library's files (UssUrl paths), with
//!   Range support, without token (WSUS content is public; it changes nothing).
//! - everything else: the built console (`ui/dist`), static files only.
//!
//! - `POST /api/v1/session`: sign in with `{name, password}`; answers the session token
//!   (`pds_…`) and sets it as an HttpOnly cookie. After ten failures in a minute from one
//!   address, every answer to that address waits a second. `DELETE` signs out (the session
//!   ends on the server).
//!
//! Every `/api/v1` route but health and sign-in requires `Authorization: Bearer <secret>`
//! (or the session cookie): the site's `api-token` (a full administrator, for scripts), a
//! personal token (`pdt_…`) or a session (`pds_…`). What the caller may do is checked by
//! `site::dispatch` from the actor found here.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Extension, Path, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use futures_util::StreamExt;
use site::{Actor, ApiError, ErrorCode, Site};
use tokio_stream::wrappers::BroadcastStream;

pub struct AppState {
    pub site: Arc<Site>,
    pub token: String,
}

pub fn router(state: Arc<AppState>, ui_dir: Option<PathBuf>) -> Router {
    let api = Router::new()
        .route("/commands/{name}", post(command))
        .route("/events", get(events))
        .route("/content/{xx}/{file}", put(receive_content))
        .route("/publishing/uploads/{upload}/{name}", put(receive_upload))
        .route("/session", delete(sign_out).post(sign_in))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_token))
        .route("/health", get(|| async { "ok" }));
    let mut app = Router::new()
        .nest("/api/v1", api)
        .route(wsus::protocol::SERVER_SYNC_PATH, post(soap))
        .route(wsus::protocol::DSS_AUTH_PATH, post(soap))
        // Update files at their UssUrl paths (GET and HEAD, Range for resumed downloads):
        // public like WSUS content, read-only, and ServeDir refuses paths leaving the library.
        .nest_service("/Content", content_service(&state.site))
        .with_state(state);
    if let Some(dir) = ui_dir {
        app = app.fallback_service(tower_http::services::ServeDir::new(&dir).append_index_html_on_directories(true));
    } else {
        app = app.fallback(|| async {
            (
                StatusCode::NOT_FOUND,
                "The console UI is not built here; run `npm run build` in ui/ or pass --ui DIR.",
            )
        });
    }
    app
}

/// The content library at its UssUrl paths: served here and on the clients' listener
/// (`clients_http`). A signed cabinet of a third-party update is checked against the
/// publishing certificate before each answer, and refused when it no longer verifies.
pub fn content_service(site: &Site) -> Router {
    Router::new()
        .fallback_service(tower_http::services::ServeDir::new(site::content::library_root(site)))
        .layer(middleware::from_fn_with_state(site.clone(), published_content_check))
}

async fn published_content_check(State(site): State<Site>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let checked = tokio::task::spawn_blocking(move || site::publishing::serve::check_served(&site, &path)).await;
    match checked {
        Ok(Ok(())) => next.run(req).await,
        Ok(Err(e)) => {
            // The details (paths, the tool's words) go to the log, not to anonymous clients.
            tracing::warn!(error = %e, "a published cabinet was refused");
            (
                StatusCode::FORBIDDEN,
                "This third-party update's cabinet no longer carries a valid signature of the site's publishing certificate: it is not served. The site's log says why; publish the update again to sign it anew.",
            )
                .into_response()
        }
        Err(e) => error_response(ApiError::internal(format!(
            "Checking the published cabinet stopped unexpectedly: {e}"
        ))),
    }
}

/// The console's session cookie: HttpOnly, so page scripts never read it.
const SESSION_COOKIE: &str = "pd_session";
/// How long a slowed-down answer waits.
const SLOWDOWN: std::time::Duration = std::time::Duration::from_secs(1);

fn address_of(req: &Request) -> String {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default()
}

/// The bearer secret, else the session cookie.
fn secret_of(headers: &axum::http::HeaderMap) -> String {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let cookie = || {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .find_map(|c| c.trim().strip_prefix(SESSION_COOKIE)?.strip_prefix('='))
    };
    bearer.or_else(cookie).unwrap_or("").trim().to_string()
}

async fn require_token(State(state): State<Arc<AppState>>, mut req: Request, next: Next) -> Response {
    let address = address_of(&req);
    // Signing in is how a console gets a secret in the first place.
    if req.method() == axum::http::Method::POST && req.uri().path().ends_with("/session") {
        req.extensions_mut().insert(Address(address));
        return next.run(req).await;
    }
    let secret = secret_of(req.headers());
    let actor = if crate::token::matches(&state.token, &secret) {
        Actor::new("api-token").at(address)
    } else if secret.starts_with(site::security::secrets::TOKEN_PREFIX)
        || secret.starts_with(site::security::secrets::SESSION_PREFIX)
    {
        let site = state.site.clone();
        match tokio::task::spawn_blocking(move || site::security::sessions::authenticate(&site, &secret, &address))
            .await
        {
            Ok(Ok(actor)) => actor,
            Ok(Err(e)) => return error_response(e.into()),
            Err(e) => {
                return error_response(ApiError::internal(format!(
                    "Checking the token stopped unexpectedly: {e}"
                )))
            }
        }
    } else {
        return error_response(ApiError::new(
            ErrorCode::Unauthorized,
            "This request has no valid API token. Sign in to the console, or send 'Authorization: Bearer <token>' with a personal token (Administration › Security) or the site's token (printed by `patchdeck serve`, stored in the site folder's api-token file).",
        ));
    };
    req.extensions_mut().insert(actor);
    next.run(req).await
}

/// The caller's address, for the sign-in route (which has no actor yet).
#[derive(Clone)]
struct Address(String);

fn session_cookie(value: &str, max_age: i64) -> String {
    format!("{SESSION_COOKIE}={value}; HttpOnly; SameSite=Strict; Path=/api/v1; Max-Age={max_age}")
}

async fn sign_in(
    State(state): State<Arc<AppState>>,
    Extension(Address(address)): Extension<Address>,
    body: axum::body::Bytes,
) -> Response {
    let args: site::wire::SignInArgs = match serde_json::from_slice(&body) {
        Ok(a) => a,
        Err(e) => {
            return error_response(ApiError::new(
                ErrorCode::Validation,
                format!("Sign in with a JSON body {{\"name\": ..., \"password\": ...}}: {e}."),
            ))
        }
    };
    let site = state.site.clone();
    let work = tokio::task::spawn_blocking(move || {
        let result = site::security::sessions::sign_in(&site, &args, &address);
        let failures = site::security::sessions::recent_failures(&site, &address).unwrap_or(0);
        (result, failures)
    })
    .await;
    let (result, failures) = match work {
        Ok(r) => r,
        Err(e) => return error_response(ApiError::internal(format!("Signing in stopped unexpectedly: {e}"))),
    };
    // Guessing passwords from one address gets slow: every answer to it waits.
    if failures >= site::security::sessions::FAILURES_BEFORE_SLOWDOWN {
        tokio::time::sleep(SLOWDOWN).await;
    }
    match result {
        Ok(signed) => {
            let cookie = session_cookie(&signed.token, site::security::sessions::SESSION_HOURS * 3600);
            ([(header::SET_COOKIE, cookie)], Json(signed)).into_response()
        }
        Err(e) => error_response(e),
    }
}

async fn sign_out(
    State(state): State<Arc<AppState>>,
    Extension(actor): Extension<Actor>,
    headers: axum::http::HeaderMap,
) -> Response {
    let secret = secret_of(&headers);
    let site = state.site.clone();
    match tokio::task::spawn_blocking(move || site::security::sessions::sign_out(&site, &actor, &secret)).await {
        Ok(Ok(())) => (StatusCode::NO_CONTENT, [(header::SET_COOKIE, session_cookie("", 0))]).into_response(),
        Ok(Err(e)) => error_response(e),
        Err(e) => error_response(ApiError::internal(format!("Signing out stopped unexpectedly: {e}"))),
    }
}

async fn command(
    State(state): State<Arc<AppState>>,
    Extension(actor): Extension<Actor>,
    Path(name): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let args = if body.is_empty() {
        serde_json::Value::Null
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                return error_response(ApiError::new(
                    ErrorCode::Validation,
                    format!("The request body is not JSON: {e}."),
                ))
            }
        }
    };
    let site = state.site.clone();
    match tokio::task::spawn_blocking(move || site::dispatch(&site, &actor, &name, args)).await {
        Ok(Ok(v)) => Json(v).into_response(),
        Ok(Err(e)) => error_response(e),
        Err(e) => error_response(ApiError::internal(format!("The command stopped unexpectedly: {e}"))),
    }
}

/// Streams the upload into the site on a blocking thread (hashing as it writes), so a
/// large file is never held in memory.
async fn receive_content(
    State(state): State<Arc<AppState>>,
    Extension(actor): Extension<Actor>,
    Path((xx, file)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
    body: axum::body::Body,
) -> Response {
    use site::content::receive::{self, ContentName, Declared, ReceiveError};
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let declared = Declared {
        size: text(header::CONTENT_LENGTH.as_str()).and_then(|v| v.trim().parse().ok()),
        sha256: text("X-Content-SHA256"),
        file_name: text("X-File-Name"),
    };
    let refuse = |status: StatusCode, e: &ReceiveError| {
        let code = match status {
            StatusCode::INTERNAL_SERVER_ERROR | StatusCode::INSUFFICIENT_STORAGE => ErrorCode::Internal,
            _ => ErrorCode::Validation,
        };
        (status, Json(ApiError::new(code, e.to_string()))).into_response()
    };
    // Not a command, so dispatch does not check it: a distribution point's upload needs
    // what distributing content needs.
    if !actor.may(site::wire::Permission::Content) || actor.scope.is_some() {
        return error_response(ApiError::new(
            ErrorCode::Forbidden,
            format!(
                "Uploading content needs the Content permission on the whole site, which {} does not have.",
                actor.name
            ),
        ));
    }
    let name = match ContentName::parse(&xx, &file) {
        Ok(n) => n,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, &e),
    };
    if declared.size.is_some_and(|s| s > receive::MAX_UPLOAD_BYTES) {
        let e = ReceiveError::TooLarge {
            limit: receive::MAX_UPLOAD_BYTES,
        };
        return refuse(StatusCode::PAYLOAD_TOO_LARGE, &e);
    }
    let site = state.site.clone();
    match stream_into(body, move |reader| {
        receive::receive(&site, &actor, &name, &declared, reader)
    })
    .await
    {
        Ok(Ok(r)) => {
            let status = if r.stored { StatusCode::CREATED } else { StatusCode::OK };
            (status, Json(r)).into_response()
        }
        Ok(Err(e)) => {
            let status = match &e {
                ReceiveError::BadName(_) | ReceiveError::Incomplete { .. } | ReceiveError::Transfer { .. } => {
                    StatusCode::BAD_REQUEST
                }
                ReceiveError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
                ReceiveError::Mismatch { .. } => StatusCode::UNPROCESSABLE_ENTITY,
                ReceiveError::Disk { source, .. } if source.kind() == std::io::ErrorKind::StorageFull => {
                    StatusCode::INSUFFICIENT_STORAGE
                }
                ReceiveError::Disk { .. } | ReceiveError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
            };
            tracing::warn!(error = %e, "content upload refused");
            refuse(status, &e)
        }
        Err(e) => error_response(ApiError::internal(format!("The upload stopped unexpectedly: {e}"))),
    }
}

/// One file of a browser console's upload (an update's files, an OS image), streamed into
/// the upload the site accepted (`begin_upload`): the site checks it and removes the whole
/// upload when it arrives short, long or broken, or is not what the upload is for.
async fn receive_upload(
    State(state): State<Arc<AppState>>,
    Extension(actor): Extension<Actor>,
    Path((upload, name)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
    body: axum::body::Body,
) -> Response {
    // Not a command, so dispatch does not check it: what publishing and adding an image need.
    if !actor.may(site::wire::Permission::Content) || actor.scope.is_some() {
        return error_response(ApiError::new(
            ErrorCode::Forbidden,
            format!(
                "Uploading files to the site needs the Content permission on the whole site, which {} does not have.",
                actor.name
            ),
        ));
    }
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok());
    let site = state.site.clone();
    match stream_into(body, move |reader| {
        site::uploads::receive(&site, &upload, &name, length, reader)
    })
    .await
    {
        Ok(Ok(file)) => (StatusCode::CREATED, Json(file)).into_response(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e.message, "upload refused");
            error_response(e)
        }
        Err(e) => error_response(ApiError::internal(format!("The upload stopped unexpectedly: {e}"))),
    }
}

/// Runs `receive` on a blocking thread with the request body as a reader, feeding it chunk
/// by chunk, so a large file is never held in memory. The receiver may stop early (it
/// refused the file): the rest of the body is then not read.
async fn stream_into<T: Send + 'static>(
    body: axum::body::Body,
    receive: impl FnOnce(&mut ChannelReader) -> T + Send + 'static,
) -> Result<T, tokio::task::JoinError> {
    let (tx, rx) = tokio::sync::mpsc::channel(8);
    let work = tokio::task::spawn_blocking(move || {
        let mut reader = ChannelReader {
            rx,
            current: axum::body::Bytes::new(),
        };
        receive(&mut reader)
    });
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        let failed = chunk.is_err();
        if tx.send(chunk.map_err(|e| e.to_string())).await.is_err() || failed {
            break;
        }
    }
    drop(tx);
    work.await
}

/// The request body's chunks, as a blocking reader.
struct ChannelReader {
    rx: tokio::sync::mpsc::Receiver<Result<axum::body::Bytes, String>>,
    current: axum::body::Bytes,
}

impl std::io::Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.current.is_empty() {
            match self.rx.blocking_recv() {
                Some(Ok(b)) => self.current = b,
                Some(Err(e)) => return Err(std::io::Error::other(e)),
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current[..n]);
        self.current = self.current.slice(n..);
        Ok(n)
    }
}

async fn events(
    State(state): State<Arc<AppState>>,
    Extension(actor): Extension<Actor>,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let actor = Arc::new(actor);
    let site = state.site.clone();
    let stream = BroadcastStream::new(state.site.subscribe()).filter_map(move |e| {
        let (site, actor) = (site.clone(), actor.clone());
        async move {
            // A lagging consumer skips what it missed; the UI refreshes on the next event.
            let e = e.ok()?;
            // A scoped administrator hears only of what their scope holds.
            let e = if actor.scope.is_some() {
                tokio::task::spawn_blocking(move || site::security::scope::sees_event(&site, &actor, &e).then_some(e))
                    .await
                    .ok()??
            } else {
                e
            };
            Some(Ok(Event::default().data(serde_json::to_string(&e).ok()?)))
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// One MS-WSUSSS call: decode the envelope, one call into the site, encode the answer or
/// the fault (HTTP 500, as WSUS sends them, with the service's URL as `faultactor` and the
/// SOAPAction as `Method`).
async fn soap(
    State(state): State<Arc<AppState>>,
    headers: axum::http::HeaderMap,
    uri: axum::http::Uri,
    body: String,
) -> Response {
    let action = headers
        .get("SOAPAction")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    // The URL the downstream addressed, as WSUS names itself in faults (exchange 000017).
    let service_url = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(|host| format!("http://{host}{}", uri.path()))
        .unwrap_or_default();
    let xml = |status: StatusCode, text: String| {
        (status, [(header::CONTENT_TYPE, "text/xml; charset=utf-8")], text).into_response()
    };
    let request = match wsus::Request::parse(&action, &body) {
        Ok(r) => r,
        Err(e) => {
            let fault = wsus::SoapFault::for_bad_request(&e);
            let fault = match wsus::Operation::from_soap_action(&action) {
                Some(op) => fault.for_call(op, &service_url),
                None => fault,
            };
            return xml(StatusCode::INTERNAL_SERVER_ERROR, fault.to_xml());
        }
    };
    let op = request.operation();
    let site = state.site.clone();
    let fault = match tokio::task::spawn_blocking(move || site::upstream::handle(&site, request)).await {
        Ok(Ok(answer)) => return xml(StatusCode::OK, answer.to_xml()),
        Ok(Err(fault)) => *fault,
        Err(_) => wsus::SoapFault::wsus(wsus::protocol::error_codes::INTERNAL_SERVER_ERROR, ""),
    };
    xml(
        StatusCode::INTERNAL_SERVER_ERROR,
        fault.for_call(op, &service_url).to_xml(),
    )
}

pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::Validation => StatusCode::BAD_REQUEST,
        ErrorCode::Conflict => StatusCode::CONFLICT,
        ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn error_response(e: ApiError) -> Response {
    (status_of(e.code), Json(e)).into_response()
}

/// Binds and serves until Ctrl+C. Returns the bound address through `on_bound` first.
pub async fn serve(
    state: Arc<AppState>,
    listen: SocketAddr,
    ui_dir: Option<PathBuf>,
    on_bound: impl FnOnce(SocketAddr),
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await.map_err(|e| {
        anyhow::anyhow!("Cannot listen on {listen}: {e}. Choose another --listen address or stop what uses it.")
    })?;
    on_bound(listener.local_addr()?);
    // The peer's address reaches the actor (and the audit log) through ConnectInfo.
    let app = router(state, ui_dir).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(no_delay(listener), app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    Ok(())
}

/// Sends each answer as soon as it is written: with Nagle's algorithm on, the last part of a
/// large answer waits for the peer's delayed acknowledgement (40 ms on Linux), which made a
/// SyncUpdates page of 30 updates take tens of milliseconds more than its work.
pub(crate) fn no_delay(
    listener: tokio::net::TcpListener,
) -> axum::serve::TapIo<tokio::net::TcpListener, fn(&mut tokio::net::TcpStream)> {
    use axum::serve::ListenerExt;
    fn set(tcp: &mut tokio::net::TcpStream) {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "could not set TCP_NODELAY on an accepted connection");
        }
    }
    listener.tap_io(set as fn(&mut tokio::net::TcpStream))
}

/// Ctrl+C, or SIGTERM from a service manager.
pub(crate) async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(t) => t,
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                return;
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
