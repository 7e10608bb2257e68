//! `gapreport serve`: serves the output folder, rebuilds on change, streams reload and error events,
//! refuses paths outside the output folder and stops cleanly on Ctrl-C.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{edit, fixture_with, gapreport};

/// A running `serve` on an ephemeral port, killed on drop.
struct Served {
    child: Child,
    addr: String,
    _dir: tempfile::TempDir,
    dir: std::path::PathBuf,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `serve` on the valid fixture.
fn serve() -> Served {
    serve_in(fixture_with(None))
}

/// `serve` on the inputs in `dir`, once it has printed its address.
fn serve_in(dir: tempfile::TempDir) -> Served {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gapreport"))
        .args(["serve", "--inputs", ".", "--out", "out", "--port", "0"])
        .current_dir(dir.path())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("serve prints its address").unwrap();
        if let Some(url) = line.split(" at http://").nth(1) {
            break url.split('/').next().unwrap().to_string();
        }
    };
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    let path = dir.path().to_path_buf();
    Served {
        child,
        addr,
        _dir: dir,
        dir: path,
    }
}

/// A raw HTTP/1.0 GET (the path is sent exactly as given): (status, body).
fn get(addr: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.split(' ').nth(1).unwrap().parse().unwrap();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// GETs `path` until its body contains `needle` or 2 s have passed.
fn eventually_contains(addr: &str, path: &str, needle: &str) -> Duration {
    let started = Instant::now();
    loop {
        if get(addr, path).1.contains(needle) {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{path} never showed {needle:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn serves_rebuilds_and_reports_errors_live() {
    let s = serve();
    let (status, body) = get(&s.addr, "/report.json");
    assert_eq!(status, 200);
    assert!(body.contains("DID-CORE"));
    let (status, page) = get(&s.addr, "/");
    assert_eq!(status, 200);
    assert!(
        page.contains("id=\"item-DID-CORE\""),
        "the root is the HTML report"
    );
    assert!(
        page.contains("/__gapreport/events"),
        "the served page has the live-reload script"
    );
    assert!(
        page.contains("connect-src &#39;self&#39;"),
        "its CSP allows the event stream"
    );
    assert!(
        !std::fs::read_to_string(s.dir.join("out/report.html"))
            .unwrap()
            .contains("__gapreport"),
        "the file on disk is untouched"
    );

    let mut events = subscribe(&s.addr);

    let ieee = s.dir.join("landscape/ieee.yaml");
    let text = std::fs::read_to_string(&ieee).unwrap();
    std::fs::write(
        &ieee,
        text.replace(
            "Consensus security requirements",
            "Consensus security EDITED",
        ),
    )
    .unwrap();
    eventually_contains(&s.addr, "/report.json", "Consensus security EDITED");

    let w3c = s.dir.join("landscape/w3c.md");
    let text = std::fs::read_to_string(&w3c).unwrap();
    std::fs::write(&w3c, text.replace("status: published", "status: publishd")).unwrap();
    let seen = events.until("event: errors");
    assert!(seen.contains("event: reload"), "{seen}");
    assert!(
        seen.contains(
            r#"landscape/w3c.md:7:5: error: invalid status `publishd`\n  help: did you mean `published`? use one of"#
        ),
        "{seen}"
    );
    // The last good report is still served.
    assert!(get(&s.addr, "/report.json")
        .1
        .contains("Consensus security EDITED"));

    // Fixed, with a warning left: the page is rebuilt and shows the warning in a panel that folds.
    std::fs::write(&w3c, text).unwrap();
    std::fs::write(s.dir.join("landscape/ieee.txt"), "org: IEEE\n").unwrap();
    eventually_contains(&s.addr, "/", "<summary>1 warning in the inputs");
    let (_, page) = get(&s.addr, "/");
    assert!(
        page.contains("landscape/ieee.txt: warning: not read"),
        "{page}"
    );
    assert!(!page.contains("<div id=\"gapreport-errors\""));
}

/// An open event stream, and what it has sent so far.
struct Events {
    stream: TcpStream,
    seen: String,
}

impl Events {
    /// Reads until what the stream has sent contains `needle` (within 3 s); returns all of it.
    fn until(&mut self, needle: &str) -> String {
        let mut buf = [0u8; 4096];
        while !self.seen.contains(needle) {
            let n = self
                .stream
                .read(&mut buf)
                .unwrap_or_else(|e| panic!("no {needle:?} within 3 s ({e}): {}", self.seen));
            assert!(n > 0, "the stream closed before {needle:?}: {}", self.seen);
            self.seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
        self.seen.clone()
    }

    /// Asserts that nothing more comes within `ms` milliseconds.
    fn quiet_for(&mut self, ms: u64, why: &str) {
        let before = self.seen.len();
        let mut buf = [0u8; 256];
        self.stream
            .set_read_timeout(Some(Duration::from_millis(ms)))
            .unwrap();
        if let Ok(n) = self.stream.read(&mut buf) {
            self.seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
        assert_eq!(self.seen.len(), before, "{why}: {}", &self.seen[before..]);
        self.stream
            .set_read_timeout(Some(Duration::from_secs(3)))
            .unwrap();
    }
}

/// Opens the event stream and waits for its head, so that the events of any later build reach it.
fn subscribe(addr: &str) -> Events {
    subscribe_at(addr, "/__gapreport/events")
}

/// [`subscribe`] to the stream at `path` (a page's, which names its build). What came with the
/// head (an event sent at once) is kept.
fn subscribe_at(addr: &str, path: &str) -> Events {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(3)))
        .unwrap();
    let mut events = Events {
        stream,
        seen: String::new(),
    };
    let head_and_more = events.until("\r\n\r\n");
    let (_, more) = head_and_more.split_once("\r\n\r\n").unwrap();
    events.seen = more.to_string();
    events
}

/// The address of the event stream the page's script opens.
fn events_path(page: &str) -> String {
    let (_, rest) = page
        .split_once("new EventSource(\"")
        .expect("the page has the live-reload script");
    rest.split('"').next().unwrap().to_string()
}

#[test]
fn a_page_whose_stream_connects_after_a_rebuild_still_reloads() {
    let s = serve();
    let (_, page) = get(&s.addr, "/");
    let stale = events_path(&page);
    edit(
        &s.dir,
        "landscape/ieee.yaml",
        "Consensus security requirements",
        "Consensus EDITED",
    );
    eventually_contains(&s.addr, "/report.json", "Consensus EDITED");
    // The rebuild's event has gone out; the page loaded before it connects only now.
    let mut events = subscribe_at(&s.addr, &stale);
    events.until("event: reload");
    // Once: writing the outputs into the output folder, which is inside the inputs folder
    // here, does not set off another build.
    events.quiet_for(700, "one build for one edit");

    // A page loaded now (the reload came, so the build has finished) has missed nothing: its
    // stream is quiet until the next build, which fails, and a page of the build before is
    // told that at once.
    let current = events_path(&get(&s.addr, "/").1);
    assert_ne!(current, stale, "the page names the new build");
    subscribe_at(&s.addr, &current).quiet_for(500, "no event for a page of the last build");
    edit(
        &s.dir,
        "landscape/w3c.md",
        "status: published",
        "status: publishd",
    );
    eventually_contains(&s.addr, "/", "gapreport-errors\" role");
    let mut events = subscribe_at(&s.addr, &current);
    events.until("event: errors");
}

#[test]
fn started_on_invalid_inputs_shows_the_errors_then_reloads_into_the_report() {
    let dir = fixture_with(None);
    let ieee = dir.path().join("landscape/ieee.yaml");
    let good = std::fs::read_to_string(&ieee).unwrap();
    edit(dir.path(), "landscape/ieee.yaml", "items:", "itmes:");
    let s = serve_in(dir);
    assert!(!s.dir.join("out/report.html").exists());

    for path in ["/", "/report.html"] {
        let (status, page) = get(&s.addr, path);
        assert_eq!(status, 200, "{path}: {page}");
        assert!(
            page.contains(
                "landscape/ieee.yaml:3:1: error: unknown key `itmes` in a landscape file"
            ),
            "{path} shows the diagnostic: {page}"
        );
        assert!(page.contains("there is no report yet"), "{page}");
        assert!(
            page.contains("new EventSource(\"/__gapreport/events?after=1\")"),
            "{path} has the live-reload script: {page}"
        );
    }
    assert_eq!(
        get(&s.addr, "/report.json").0,
        404,
        "other files are not found"
    );

    let mut events = subscribe(&s.addr);
    std::fs::write(&ieee, good).unwrap();
    events.until("event: reload");
    let (status, page) = get(&s.addr, "/");
    assert_eq!(status, 200);
    assert!(
        page.contains("id=\"item-DID-CORE\""),
        "the page is the report: {page}"
    );
    assert!(!page.contains("gapreport-errors\" role"), "{page}");
}

#[test]
fn a_port_in_use_is_a_usage_error_before_anything_is_built() {
    let dir = fixture_with(None);
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let run = gapreport(
        dir.path(),
        &["serve", "--inputs", ".", "--out", "out", "--port", &port],
    );
    run.assert_error(
        2,
        &format!("error: port {port} on 127.0.0.1 is in use\n  help: choose another with --port"),
    );
    assert!(!dir.path().join("out").exists(), "nothing was written");
}

#[test]
fn refuses_paths_outside_the_output_folder() {
    let s = serve();
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2e%2e%2fCargo.toml",
        "/..%2f..%2fetc%2fpasswd",
        "/out/../report.yaml",
        "/%2Freport.yaml",
        "/nothing.html",
    ] {
        assert_eq!(get(&s.addr, path).0, 404, "{path}");
    }
    assert_eq!(get(&s.addr, "/coverage.csv").0, 200);
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly() {
    let mut s = serve();
    let pid = s.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let started = Instant::now();
    loop {
        if let Some(status) = s.child.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "serve did not stop on SIGINT"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
