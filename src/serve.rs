//! `gapreport serve`: builds, serves the output folder on 127.0.0.1, watches the inputs and
//! templates, rebuilds on change and reloads the open page through server-sent events. When the
//! inputs become invalid the page shows the diagnostics over the last good report (or alone, on a
//! page that reloads into the report, while there is none yet); the server never stops on bad
//! input. Only files directly inside the output folder are served.

use std::fmt;
use std::io::{ErrorKind, Write};
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify_debouncer_mini::{new_debouncer, notify::RecursiveMode, DebounceEventResult};
use tiny_http::{Header, Request, Response, Server};

use crate::diagnostic::count;
use crate::render::html::csp_hash;
use crate::{BuildOptions, Error};

/// What `serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// What to build on every change.
    pub build: BuildOptions,
    /// Address to listen on (127.0.0.1 unless `--bind` says otherwise).
    pub bind: IpAddr,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// Open the report in the default browser.
    pub open: bool,
}

/// Why `serve` could not start.
#[derive(Debug)]
pub enum ServeError {
    /// The address cannot be listened on (the port is in use, ...): a usage error, found before
    /// anything is built (exit status 2).
    Listen(String),
    /// Anything else: the inputs cannot be watched, Ctrl-C cannot be handled (exit status 1).
    Start(String),
}

impl ServeError {
    /// The process's exit status for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            ServeError::Listen(_) => 2,
            ServeError::Start(_) => 1,
        }
    }
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::Listen(text) | ServeError::Start(text) => f.write_str(text),
        }
    }
}

/// The path the live-reload events are served on.
const EVENTS: &str = "/__gapreport/events";

/// What the page needs to know: what the last build left to show, and the clients waiting for
/// events.
#[derive(Default)]
struct Live {
    shown: Mutex<Shown>,
    clients: Mutex<Vec<Sender<String>>>,
}

/// What the last build left to show, and how many builds have finished: a served page names the
/// build it shows, so that a page whose event stream connects only after the next build has
/// finished (and its event was sent) is told at once.
#[derive(Debug, Clone, Default)]
struct Shown {
    notice: Option<Notice>,
    build: u64,
}

impl Shown {
    /// The event that brings a page of an earlier build up to this one.
    fn event(&self) -> String {
        match &self.notice {
            Some(Notice::Errors(text)) => sse_message("errors", text),
            _ => sse_message("reload", ""),
        }
    }
}

/// What the served page shows over the report: the diagnostics of the last build, if any.
#[derive(Debug, Clone)]
enum Notice {
    /// The inputs are invalid: the page is the last good report.
    Errors(String),
    /// The report was built, and the inputs have warnings (a file not read, an image not shown):
    /// each as printed, with its help.
    Warnings(Vec<String>),
}

impl Live {
    /// Events from now on, for a page of build `after`: first the one it missed, if a build
    /// has finished since. What is shown is locked while the page joins, so that it gets each
    /// build's event once: from [`Live::finished`] or here.
    fn subscribe(&self, after: Option<u64>) -> Receiver<String> {
        let (tx, rx) = mpsc::channel();
        let shown = self.shown.lock().expect("shown lock");
        if after.is_some_and(|page| page < shown.build) {
            let _ = tx.send(shown.event());
        }
        self.clients.lock().expect("clients lock").push(tx);
        rx
    }

    fn shown(&self) -> Shown {
        self.shown.lock().expect("shown lock").clone()
    }

    /// Records a finished build and what it leaves to show, and tells every open page,
    /// forgetting pages that have gone.
    fn finished(&self, notice: Option<Notice>) {
        let mut shown = self.shown.lock().expect("shown lock");
        shown.notice = notice;
        shown.build += 1;
        let message = shown.event();
        let mut clients = self.clients.lock().expect("clients lock");
        clients.retain(|c| c.send(message.clone()).is_ok());
    }
}

/// Listens, builds once, then serves and rebuilds until interrupted. Returns an error only when
/// the server cannot start (the address is taken: then before anything is built; the inputs
/// cannot be watched).
pub fn serve(options: &ServeOptions) -> Result<(), ServeError> {
    let server = listen(options.bind, options.port)?;
    if let Some(warning) = exposure_warning(options.bind) {
        eprintln!("{warning}");
    }
    let live = Arc::new(Live::default());
    rebuild(&options.build, &live);
    let address = server
        .server_addr()
        .to_ip()
        .ok_or(ServeError::Start("the server has no IP address".into()))?;
    let url = format!("http://{address}/");
    let _watcher = watch(options, live.clone()).map_err(ServeError::Start)?;
    let server = Arc::new(server);
    let stopper = server.clone();
    ctrlc::set_handler(move || stopper.unblock())
        .map_err(|e| ServeError::Start(format!("cannot handle Ctrl-C: {e}")))?;
    eprintln!(
        "serving {} at {url} (Ctrl-C to stop)",
        options.build.out.display()
    );
    if options.open {
        if let Err(e) = opener::open(&url) {
            eprintln!("warning: cannot open a browser: {e}");
        }
    }
    for request in server.incoming_requests() {
        let out = options.build.out.clone();
        let live = live.clone();
        std::thread::spawn(move || respond(request, &out, &live));
    }
    eprintln!("stopped");
    Ok(())
}

/// The server, listening on `bind:port`; a port in use is named, with what to do instead.
fn listen(bind: IpAddr, port: u16) -> Result<Server, ServeError> {
    let address = SocketAddr::new(bind, port);
    let listener = TcpListener::bind(address).map_err(|e| {
        ServeError::Listen(match e.kind() {
            ErrorKind::AddrInUse => format!(
                "port {port} on {bind} is in use\n  \
                 help: choose another with --port, or --port 0 for any free port"
            ),
            _ => format!("cannot listen on {address}: {e}"),
        })
    })?;
    Server::from_listener(listener, None)
        .map_err(|e| ServeError::Start(format!("cannot serve on {address}: {e}")))
}

/// The warning printed on start when the preview can be reached from other machines (any address
/// but a loopback one).
fn exposure_warning(bind: IpAddr) -> Option<String> {
    (!bind.is_loopback()).then(|| {
        format!(
            "warning: listening on {bind}: the preview is reachable from other machines; \
             --bind 127.0.0.1 keeps it to this one"
        )
    })
}

/// Rebuilds; on success tells the pages to reload, on failure shows them the diagnostics.
fn rebuild(build: &BuildOptions, live: &Live) {
    let started = Instant::now();
    match crate::build(build) {
        Ok(built) => {
            let warnings: Vec<String> = built.warnings().map(|w| w.to_string()).collect();
            warnings.iter().for_each(|w| eprintln!("{w}"));
            let notice = (!warnings.is_empty()).then_some(Notice::Warnings(warnings));
            eprintln!("built in {} ms", started.elapsed().as_millis());
            live.finished(notice);
        }
        Err(err) => {
            let text = describe(&err);
            eprintln!("{text}");
            live.finished(Some(Notice::Errors(text)));
        }
    }
}

fn describe(err: &Error) -> String {
    match err {
        Error::Invalid(diags) => diags
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
        Error::Output { dir, source } => {
            format!("error: cannot write to {}: {source}", dir.display())
        }
    }
}

/// Watches the inputs and templates; a change (debounced) triggers a rebuild. The watcher also
/// reports files being read (by the build itself) and the outputs being written, when the output
/// folder is inside the inputs folder; so a rebuild happens only when the sizes or modification
/// times of the files outside the output folder differ from the last build's (else each build
/// would set off the next).
fn watch(options: &ServeOptions, live: Arc<Live>) -> Result<impl Drop, String> {
    let build = options.build.clone();
    let mut watched = vec![options.build.inputs.clone()];
    watched.extend(options.build.templates.clone());
    let dirs = watched.clone();
    let out = options.build.out.clone();
    let mut last = fingerprint(&dirs, &out);
    let mut debouncer = new_debouncer(
        Duration::from_millis(100),
        move |res: DebounceEventResult| {
            let now = fingerprint(&dirs, &out);
            if res.is_ok() && now != last {
                last = now;
                rebuild(&build, &live);
            }
        },
    )
    .map_err(|e| format!("cannot watch the inputs: {e}"))?;
    for dir in watched {
        debouncer
            .watcher()
            .watch(&dir, RecursiveMode::Recursive)
            .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
    }
    Ok(debouncer)
}

/// Path, size and modification time of every file under `dirs`, but those in the folder `out`.
fn fingerprint(dirs: &[PathBuf], out: &Path) -> Vec<(PathBuf, u64, Option<std::time::SystemTime>)> {
    let outside_out = |e: &walkdir::DirEntry| {
        !(e.file_type().is_dir() && same_file::is_same_file(e.path(), out).unwrap_or(false))
    };
    dirs.iter()
        .flat_map(|d| {
            walkdir::WalkDir::new(d)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(outside_out)
        })
        .filter_map(Result::ok)
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            meta.is_file()
                .then(|| (e.into_path(), meta.len(), meta.modified().ok()))
        })
        .collect()
}

/// Answers one request: the event stream, a file of the output folder, or 404.
fn respond(request: Request, out: &Path, live: &Live) {
    let path = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_string();
    if path == EVENTS {
        let after = page_build(request.url());
        return stream_events(request, live, after);
    }
    let name = if path == "/" {
        "report.html".to_string()
    } else {
        decoded(&path[1..])
    };
    // A failed answer means the browser has gone; there is no one left to tell.
    let _ = if let Some(file) = served_file(out, &name) {
        file_response(request, &file, &name, live)
    } else if let Some(page) = stand_in(&name, live) {
        send(request, page, content_type(&name))
    } else {
        request.respond(Response::from_string("not found\n").with_status_code(404))
    };
}

/// What is served for `name` when it is not in the output folder: while there is no report yet
/// because the inputs are invalid (the first build failed), the report's place is taken by
/// [`no_report_page`]. Anything else missing is not found.
fn stand_in(name: &str, live: &Live) -> Option<Vec<u8>> {
    if name != "report.html" {
        return None;
    }
    match live.shown() {
        Shown {
            notice: Some(Notice::Errors(text)),
            build,
        } => Some(no_report_page(&text, build)),
        _ => None,
    }
}

/// The build a page's event stream says its page shows (`?after=N`), if it says.
fn page_build(url: &str) -> Option<u64> {
    let query = url.split_once('?')?.1;
    (query.split('&')).find_map(|pair| pair.strip_prefix("after=")?.parse().ok())
}

/// A page of its own for the diagnostics of inputs that have never built: the overlay, and the
/// live-reload script, so that once the inputs are fixed the page reloads into the report.
fn no_report_page(errors: &str, build: u64) -> Vec<u8> {
    let page = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>gapreport: invalid inputs</title></head><body>{}</body></html>",
        overlay_html(NO_REPORT_TITLE, errors)
    );
    with_live_reload(page.as_bytes(), None, build)
}

/// The file `name` if it is a regular file directly inside `out`: names with a separator, `..`
/// or anything else are refused, whatever their encoding.
fn served_file(out: &Path, name: &str) -> Option<PathBuf> {
    if name.is_empty()
        || name.contains(['/', '\\'])
        || name == ".."
        || name == "."
        || name.starts_with('.')
    {
        return None;
    }
    let file = out.join(name);
    std::fs::symlink_metadata(&file)
        .ok()
        .filter(|m| m.is_file())
        .map(|_| file)
}

fn decoded(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

fn file_response(request: Request, file: &Path, name: &str, live: &Live) -> std::io::Result<()> {
    let mut bytes = std::fs::read(file)?;
    let kind = content_type(name);
    if kind.starts_with("text/html") {
        let shown = live.shown();
        bytes = with_live_reload(&bytes, shown.notice.as_ref(), shown.build);
    }
    send(request, bytes, kind)
}

/// Answers with `bytes` of type `kind`, never cached (they change with every build).
fn send(request: Request, bytes: Vec<u8>, kind: &str) -> std::io::Result<()> {
    let response = Response::from_data(bytes)
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"));
    request.respond(response)
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "pdf" => "application/pdf",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

/// The page with the live-reload script, and the last build's diagnostics: an overlay when the
/// inputs are invalid, a panel that folds away when they only have warnings.
/// Only the served copy is changed, never the file in the output folder. The page's Content
/// Security Policy pins its own style and script by hash, so the served copy adds the hashes of
/// the injected ones, and allows the event stream (`connect-src 'self'`). The stream's address
/// names `build`, the build the page shows.
fn with_live_reload(page: &[u8], notice: Option<&Notice>, build: u64) -> Vec<u8> {
    let script = LIVE_RELOAD_SCRIPT
        .replace("{events}", &format!("{EVENTS}?after={build}"))
        .replace("{title}", OVERLAY_TITLE);
    let overlay = match notice {
        Some(Notice::Errors(text)) => overlay_html(OVERLAY_TITLE, text),
        Some(Notice::Warnings(text)) => warnings_html(text),
        None => String::new(),
    };
    let insert = format!("<style>{OVERLAY_CSS}</style>{overlay}<script>{script}</script>");
    // The policy sits in a meta tag's attribute, so its quotes are written `&#39;`.
    let text = String::from_utf8_lossy(page)
        .replacen(
            "default-src ",
            "connect-src &#39;self&#39;; default-src ",
            1,
        )
        .replacen(
            "script-src ",
            &format!("script-src &#39;{}&#39; ", csp_hash(&script)),
            1,
        )
        .replacen(
            "style-src ",
            &format!("style-src &#39;{}&#39; ", csp_hash(OVERLAY_CSS)),
            1,
        );
    let at = text.rfind("</body>").unwrap_or(text.len());
    format!("{}{insert}{}", &text[..at], &text[at..]).into_bytes()
}

/// The diagnostics of a failed build (escaped: they quote the inputs) under `title`.
fn overlay_html(title: &str, errors: &str) -> String {
    let escaped = escaped(errors);
    format!("<div id=\"gapreport-errors\" role=\"alert\"><strong>{title}</strong><pre>{escaped}</pre></div>")
}

/// The warnings of a build that succeeded, folded open in a `<details>` (closing it needs no
/// script).
fn warnings_html(warnings: &[String]) -> String {
    format!(
        "<details id=\"gapreport-warnings\" open><summary>{} in the inputs \
         (the report was built)</summary><pre>{}</pre></details>",
        count(warnings.len(), "warning"),
        escaped(&warnings.join("\n"))
    )
}

fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The overlay's title over the last good report.
const OVERLAY_TITLE: &str = "The inputs are invalid; this is the last good report.";

/// The overlay's title while there is no report (see [`no_report_page`]).
const NO_REPORT_TITLE: &str =
    "The inputs are invalid, so there is no report yet; it shows here once they are fixed.";

const OVERLAY_CSS: &str = "#gapreport-warnings{position:fixed;left:0;right:0;bottom:0;max-height:35vh;overflow:auto;background:#fffbe6;color:#4d3800;border-top:3px solid #b08800;padding:.5em 1em;font:13px/1.4 ui-monospace,monospace;z-index:99998}#gapreport-warnings summary{cursor:pointer;font-weight:600}#gapreport-warnings pre{white-space:pre-wrap;margin:.5em 0 0}#gapreport-errors{position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;background:#fff4f4;color:#600;border-top:4px solid #b00;padding:1em;font:14px/1.4 ui-monospace,monospace;z-index:99999}#gapreport-errors pre{white-space:pre-wrap;margin:.5em 0 0}";

const LIVE_RELOAD_SCRIPT: &str = r#"(function(){var s=new EventSource("{events}");
s.addEventListener("reload",function(){location.reload();});
s.addEventListener("errors",function(e){var d=document.getElementById("gapreport-errors");
if(!d){d=document.createElement("div");d.id="gapreport-errors";d.setAttribute("role","alert");
var b=document.createElement("strong");b.textContent="{title}";d.appendChild(b);
d.appendChild(document.createElement("pre"));document.body.appendChild(d);}
d.querySelector("pre").textContent=JSON.parse(e.data);});})();"#;

/// Holds the connection open and writes each event as it comes (and a comment every 15 s, so a
/// closed page is noticed).
fn stream_events(request: Request, live: &Live, after: Option<u64>) {
    let events = live.subscribe(after);
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    if writer
        .write_all(head.as_bytes())
        .and_then(|_| writer.flush())
        .is_err()
    {
        return;
    }
    loop {
        let message = match events.recv_timeout(Duration::from_secs(15)) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if writer
            .write_all(message.as_bytes())
            .and_then(|_| writer.flush())
            .is_err()
        {
            return;
        }
    }
}

/// One server-sent event; the data is JSON so that newlines survive.
fn sse_message(event: &str, data: &str) -> String {
    format!(
        "event: {event}\ndata: {}\n\n",
        serde_json::to_string(data).expect("a string serialises")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_files_of_the_folder_are_served() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("report.html"), "x").unwrap();
        assert!(served_file(dir.path(), "report.html").is_some());
        for bad in [
            "../Cargo.toml",
            "..",
            ".",
            "",
            "a/b",
            "..\\x",
            ".hidden",
            "missing.html",
        ] {
            assert!(served_file(dir.path(), bad).is_none(), "{bad}");
        }
        assert_eq!(decoded("%2e%2e%2fCargo.toml"), "../Cargo.toml");
    }

    #[test]
    fn only_an_address_other_machines_reach_is_warned_of() {
        for quiet in ["127.0.0.1", "127.0.0.2", "::1"] {
            assert_eq!(exposure_warning(quiet.parse().unwrap()), None, "{quiet}");
        }
        for exposed in ["0.0.0.0", "192.168.1.20", "::"] {
            let warning = exposure_warning(exposed.parse().unwrap()).expect(exposed);
            assert!(
                warning.contains("reachable from other machines"),
                "{warning}"
            );
        }
    }

    #[test]
    fn overlay_escapes_the_diagnostics() {
        let page = with_live_reload(
            b"<html><body><p>r</p></body></html>",
            Some(&Notice::Errors("a.yaml:1:1: error: <script>".to_string())),
            1,
        );
        let text = String::from_utf8(page).unwrap();
        assert!(text.contains("&lt;script&gt;"));
        assert!(text.ends_with("</script></body></html>"));
        assert!(text.contains(OVERLAY_TITLE));
    }

    #[test]
    fn a_page_of_an_earlier_build_is_told_what_it_missed() {
        let live = Live::default();
        live.finished(None);
        assert!(
            live.subscribe(Some(1)).try_recv().is_err(),
            "a page of the last build has missed nothing"
        );
        // Build 2 fails; its event went to the pages connected then.
        live.finished(Some(Notice::Errors("a.yaml:1:1: error".to_string())));
        assert_eq!(
            live.subscribe(Some(1)).try_recv().unwrap(),
            sse_message("errors", "a.yaml:1:1: error")
        );
        live.finished(None);
        assert_eq!(
            live.subscribe(Some(2)).try_recv().unwrap(),
            sse_message("reload", "")
        );
        assert!(
            live.subscribe(None).try_recv().is_err(),
            "a stream that names no build gets the events from now on"
        );
        assert_eq!(page_build("/__gapreport/events?after=12"), Some(12));
        assert_eq!(page_build("/__gapreport/events?x=1&after=3"), Some(3));
        assert_eq!(page_build("/__gapreport/events"), None);
        assert_eq!(page_build("/__gapreport/events?after=x"), None);
    }

    #[test]
    fn without_a_report_the_errors_take_its_place() {
        let live = Live::default();
        assert!(stand_in("report.html", &live).is_none(), "no errors yet");
        live.finished(Some(Notice::Errors("a.yaml:2:1: error: <b>".to_string())));
        let page = String::from_utf8(stand_in("report.html", &live).unwrap()).unwrap();
        assert!(
            page.contains("<pre>a.yaml:2:1: error: &lt;b&gt;</pre>"),
            "{page}"
        );
        assert!(page.contains(NO_REPORT_TITLE));
        assert!(page.contains(EVENTS), "it reloads on the next good build");
        assert!(page.ends_with("</script></body></html>"));
        assert!(
            stand_in("report.json", &live).is_none(),
            "only the report has a stand-in"
        );
    }

    #[test]
    fn warnings_fold_away_and_are_escaped() {
        let warnings = vec![
            "a.yaml: warning: not read <b>\n  help: rename it".to_string(),
            "b.md:3:1: warning: image".to_string(),
        ];
        let page = with_live_reload(
            b"<html><body><p>r</p></body></html>",
            Some(&Notice::Warnings(warnings)),
            1,
        );
        let text = String::from_utf8(page).unwrap();
        assert!(text
            .contains("<details id=\"gapreport-warnings\" open><summary>2 warnings in the inputs"));
        assert!(text.contains("not read &lt;b&gt;"));
        assert!(!text.contains("<div id=\"gapreport-errors\""));
    }
}
