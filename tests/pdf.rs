//! `report.pdf`, read back: its text (every item), its tables (headers repeated over 1000 rows),
//! its geometry (A4, nothing outside the text box), its metadata and outline, identical bytes for
//! identical inputs; and real PDF readers (qpdf, poppler) when installed. With
//! `GAPREPORT_REAL_READERS=1` (CI) a missing reader is a failure, not a skip.

mod common;

use std::path::Path;
use std::process::Command;

use common::{fixture_with, gapreport};
use lopdf::content::Content;
use lopdf::{Document, Object};

/// A4 in points.
const A4: (f32, f32) = (595.2756, 841.8898);
/// The box every mark must stay in: the body margins (20 mm) left and right, and between the
/// running header and the footer.
const BOX: (f32, f32, f32, f32) = (56.0, 539.3, 30.0, 812.0);

/// Builds `dir` (all formats) into `dir/out` and returns the PDF's bytes.
fn build(dir: &Path) -> Vec<u8> {
    let run = gapreport(dir, &["build", "--inputs", ".", "--out", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::read(dir.join("out/report.pdf")).expect("report.pdf is written")
}

/// The text of each page, whitespace removed (cells and lines wrap anywhere).
fn page_texts(doc: &Document) -> Vec<String> {
    doc.get_pages()
        .keys()
        .map(|&n| {
            let text = doc.extract_text(&[n]).unwrap_or_default();
            text.split_whitespace().collect()
        })
        .collect()
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect()
}

/// Every (id, title) of the items of report.json.
fn items(dir: &Path) -> Vec<(String, String)> {
    let json = std::fs::read_to_string(dir.join("out/report.json")).unwrap();
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap().to_string(),
                i["title"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_item_id_and_title_is_in_the_text() {
    let dir = fixture_with(None);
    let doc = Document::load_mem(&build(dir.path())).unwrap();
    let text = page_texts(&doc).concat();
    let items = items(dir.path());
    assert!(items.len() >= 7, "{items:?}");
    for (id, title) in items {
        assert!(text.contains(&squash(&id)), "id {id} missing");
        assert!(text.contains(&squash(&title)), "title {title} missing");
    }
    for clause in [
        "Contents",
        "Summary",
        "Workprogramme",
        "Coveragematrix",
        "AnnexA",
    ] {
        assert!(text.contains(clause), "{clause} missing");
    }
}

#[test]
fn the_summary_counts_the_topics_of_each_status() {
    let dir = fixture_with(None);
    let doc = Document::load_mem(&build(dir.path())).unwrap();
    let text = page_texts(&doc).concat();
    // The valid fixture has one gap (identity management): one topic, not "1 topics".
    assert!(text.contains("gap(1topic):Identitymanagement"), "{text}");
    assert!(!text.contains("(1topics)"), "{text}");
}

#[test]
fn every_value_of_an_item_the_html_shows_is_in_the_pdf_too() {
    let dir = fixture_with(None);
    let edit = |file: &str, after: &str, added: &str| {
        common::edit(dir.path(), file, after, &format!("{after}\n{added}"));
    };
    edit(
        "work-programme.yaml",
        "    editors: [Alice Example]",
        "    summary: Draft text agreed at the Geneva meeting.\n    notes: Editor change pending.",
    );
    edit(
        "landscape/iso/tc307.yaml",
        "    body: ISO/TC 307/WG 2",
        "    type: TR\n    summary: Compares ledger designs.\n    notes: Listed under WG 2.",
    );
    // A summary of blanks adds no empty line and no stray emphasis marks.
    edit(
        "landscape/ieee.yaml",
        "    date: 2019-05",
        "    summary: \"   \"",
    );
    let doc = Document::load_mem(&build(dir.path())).unwrap();
    let text = page_texts(&doc).concat();
    assert!(!text.contains("**"), "{text}");
    // Nor in the HTML: only the two real summaries get a paragraph.
    let html = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    assert_eq!(html.matches(r#"<p class="summary">"#).count(), 2);
    for shown in [
        "Rec,AAP,high",
        "Basetext:TD0001",
        "DrafttextagreedattheGenevameeting.",
        "Notes:Editorchangepending.",
        "(TR)",
        "ByISO/TC307/WG2",
        "Comparesledgerdesigns.",
        "Notes:ListedunderWG2.",
    ] {
        assert!(text.contains(shown), "{shown} missing from {text}");
    }
}

/// The valid fixture plus a landscape file of `n` IEEE items.
fn with_bulk(n: usize) -> tempfile::TempDir {
    let dir = fixture_with(None);
    let mut yaml = String::from("org: IEEE\nbody: IEEE\nitems:\n");
    for i in 1..=n {
        yaml.push_str(&format!(
            "  - id: BULK-{i:04}\n    title: Bulk item {i} on widget interchange\n    \
             status: proposed\n    stage: PAR\n"
        ));
    }
    std::fs::write(dir.path().join("landscape/bulk.yaml"), yaml).unwrap();
    dir
}

#[test]
fn a_1000_row_table_repeats_its_header_on_every_page() {
    let dir = with_bulk(1000);
    let doc = Document::load_mem(&build(dir.path())).unwrap();
    let pages = page_texts(&doc);
    // Pages with rows of the landscape table (status and stage follow the title).
    let bulk: Vec<&String> = pages
        .iter()
        .filter(|t| t.contains("widgetinterchangeproposedPAR"))
        .collect();
    assert!(bulk.len() >= 15, "1000 rows on {} pages", bulk.len());
    for (i, page) in bulk.iter().enumerate() {
        assert!(
            page.contains("ItemTitleStatusStageTopicsSec."),
            "page {i} of the table has no header row"
        );
    }
    let text = pages.concat();
    for i in [1, 500, 1000] {
        assert!(text.contains(&format!("BULK-{i:04}Bulkitem{i}onwidgetinterchange")));
    }
}

/// Numbers of an operation's operands.
fn numbers(op: &lopdf::content::Operation) -> Vec<f32> {
    op.operands
        .iter()
        .filter_map(|o| match o {
            Object::Integer(i) => Some(*i as f32),
            Object::Real(r) => Some(*r),
            _ => None,
        })
        .collect()
}

fn inside(x: f32, y: f32) -> bool {
    let top = A4.1 - y;
    (BOX.0..=BOX.1).contains(&x) && (BOX.2..=BOX.3).contains(&top)
}

#[test]
fn nothing_is_drawn_outside_the_text_box() {
    let dir = with_bulk(120);
    let doc = Document::load_mem(&build(dir.path())).unwrap();
    let mut checked = 0;
    for (n, id) in doc.get_pages() {
        let content = Content::decode(&doc.get_page_content(id)).unwrap();
        // `Td` moves the text line start relative to the previous one, from (0, 0) at `BT`.
        let mut line = (0.0f32, 0.0f32);
        for op in &content.operations {
            let v = numbers(op);
            let points: Vec<(f32, f32)> = match op.operator.as_str() {
                "BT" => {
                    line = (0.0, 0.0);
                    continue;
                }
                "Td" => {
                    line = (line.0 + v[0], line.1 + v[1]);
                    vec![line]
                }
                "m" | "l" => vec![(v[0], v[1])],
                "re" => vec![(v[0], v[1]), (v[0] + v[2], v[1] + v[3])],
                _ => continue,
            };
            for (x, y) in points {
                checked += 1;
                assert!(inside(x, y), "page {n}: {} at ({x}, {y})", op.operator);
            }
        }
        for annot in annotations(&doc, id) {
            let rect = annot.get(b"Rect").unwrap().as_array().unwrap();
            let r: Vec<f32> = rect.iter().map(|o| o.as_float().unwrap()).collect();
            assert!(
                inside(r[0], r[1]) && inside(r[2], r[3]),
                "page {n}: link {r:?}"
            );
        }
    }
    assert!(checked > 1000);
}

fn annotations(doc: &Document, page: lopdf::ObjectId) -> Vec<&lopdf::Dictionary> {
    let page = doc.get_dictionary(page).unwrap();
    let Ok(annots) = page.get(b"Annots") else {
        return Vec::new();
    };
    let annots = match annots {
        Object::Reference(r) => doc.get_object(*r).unwrap().as_array().unwrap(),
        other => other.as_array().unwrap(),
    };
    annots
        .iter()
        .map(|a| match a {
            Object::Reference(r) => doc.get_dictionary(*r).unwrap(),
            other => other.as_dict().unwrap(),
        })
        .collect()
}

#[test]
fn two_builds_give_the_same_bytes() {
    let dir = fixture_with(None);
    let first = build(dir.path());
    let second = build(dir.path());
    assert!(first == second, "report.pdf differs between two builds");
}

/// The built-in template sets text only in the five faces `build` parses ahead, while the inputs
/// are checked (`Fonts::USUAL` in src/render/pdf/fonts.rs); a face it starts to use beyond them
/// would be parsed on the PDF's own thread, after the analysis. Base font names carry a subset tag
/// (`ABCDEF+DejaVuSansCondensed`).
#[test]
fn the_built_in_template_sets_text_only_in_the_faces_parsed_ahead() {
    let dir = fixture_with(None);
    let doc = Document::load_mem(&build(dir.path())).unwrap();
    let faces: std::collections::BTreeSet<String> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Type").and_then(Object::as_name).ok() == Some(b"Font".as_slice()))
        .filter_map(|d| d.get(b"BaseFont").and_then(Object::as_name).ok())
        .map(|name| {
            let name = String::from_utf8_lossy(name);
            name.split_once('+')
                .map_or(name.to_string(), |(_, face)| face.to_string())
        })
        .collect();
    let ahead = [
        "DejaVuSerifCondensed",
        "DejaVuSerifCondensed-Bold",
        "DejaVuSerifCondensed-Italic",
        "DejaVuSansCondensed",
        "DejaVuSansCondensed-Bold",
    ];
    assert!(faces.contains("DejaVuSerifCondensed"), "{faces:?}");
    for face in &faces {
        assert!(
            ahead.contains(&face.as_str()),
            "{face} is not parsed ahead: {faces:?}"
        );
    }
}

#[test]
fn characters_the_fonts_lack_are_warned_about_at_their_item() {
    let dir = fixture_with(Some("unshowable"));
    // The fonts have Hebrew letters, but the layout would print them left to right.
    common::edit(
        dir.path(),
        "landscape/ieee.yaml",
        "Привет)",
        "Привет, שלום)",
    );
    let run = gapreport(dir.path(), &["build", "--inputs", ".", "--out", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": warning:"))
        .collect();
    assert_eq!(
        warnings,
        [
            "landscape/ieee.yaml:17:5: warning: item P1.3 has characters the PDF cannot show: \
          `ו` (U+05D5), `ל` (U+05DC), `ם` (U+05DD), `ש` (U+05E9), \
          `区` (U+533A), `块` (U+5757), `链` (U+94FE)"
        ],
        "{}",
        run.stderr
    );
    assert!(run
        .stderr
        .contains("help: report.pdf prints them as empty boxes"));
    let html = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    assert!(html.contains("区块链 smart grid widgets"));
    assert!(run
        .stderr
        .contains("for a script written right to left, as separate letters"));
    // The characters the fonts have are drawn; the others are not silently dropped from the
    // page either (they stay in the text, as boxes).
    let doc = Document::load(dir.path().join("out/report.pdf")).unwrap();
    let text = page_texts(&doc).concat();
    assert!(text.contains("smartgridwidgets(Ωμέγα,Привет,"), "{text}");
}

#[test]
fn the_shipped_and_valid_inputs_give_no_font_warning() {
    let dir = fixture_with(None);
    let run = gapreport(dir.path(), &["build", "--inputs", ".", "--out", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("cannot show"), "{}", run.stderr);
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs");
    let out = tempfile::tempdir().unwrap();
    let run = gapreport(
        out.path(),
        &[
            "build",
            "--inputs",
            shipped.to_str().unwrap(),
            "--out",
            "out",
            "--format",
            "pdf",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("cannot show"), "{}", run.stderr);
}

fn info_string(doc: &Document, key: &[u8]) -> String {
    let info = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    match doc.get_dictionary(info).unwrap().get(key) {
        Ok(value @ Object::String(..)) => lopdf::decode_text_string(value).unwrap_or_default(),
        _ => String::new(),
    }
}

#[test]
fn a4_pages_metadata_outline_and_links() {
    let dir = fixture_with(None);
    let doc = Document::load_mem(&build(dir.path())).unwrap();
    let pages = doc.get_pages();
    assert!(pages.len() > 1, "{} pages", pages.len());
    for id in pages.values() {
        let page = doc.get_dictionary(*id).unwrap();
        let media: Vec<f32> = page
            .get(b"MediaBox")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o.as_float().unwrap())
            .collect();
        assert!((media[2] - A4.0).abs() < 0.5 && (media[3] - A4.1).abs() < 0.5);
    }
    assert_eq!(info_string(&doc, b"Title"), "Hand-worked gap analysis");
    assert_eq!(info_string(&doc, b"Author"), "Alice Example; Bob Example");
    assert!(info_string(&doc, b"Keywords").contains("Q99/17"));
    assert!(info_string(&doc, b"CreationDate").starts_with("D:20200901"));
    let catalog = doc.catalog().unwrap();
    let outlines = catalog.get(b"Outlines").unwrap().as_reference().unwrap();
    let count = doc.get_dictionary(outlines).unwrap().get(b"Count").unwrap();
    assert!(count.as_i64().unwrap() >= 8, "top-level outline entries");
    let links: Vec<_> = pages
        .values()
        .flat_map(|&p| annotations(&doc, p))
        .filter_map(|a| a.get(b"A").ok())
        .collect();
    let goto = links
        .iter()
        .filter(|a| format!("{a:?}").contains("GoTo"))
        .count();
    assert!(goto > 20, "{goto} internal links (contents, items, topics)");
}

/// The XMP packet the catalog names, as text.
fn xmp(doc: &Document) -> String {
    let id = doc
        .catalog()
        .unwrap()
        .get(b"Metadata")
        .expect("the catalog names an XMP stream")
        .as_reference()
        .unwrap();
    let stream = doc.get_object(id).unwrap().as_stream().unwrap();
    assert_eq!(
        stream.dict.get(b"Subtype").unwrap().as_name().unwrap(),
        b"XML"
    );
    assert!(
        stream.dict.get(b"Filter").is_err(),
        "XMP stays uncompressed"
    );
    String::from_utf8(stream.content.clone()).unwrap()
}

#[test]
fn xmp_metadata_repeats_the_document_information() {
    let dir = fixture_with(None);
    common::edit(
        dir.path(),
        "report.yaml",
        "title: Hand-worked gap analysis",
        "title: Hand-worked gap analysis <of R&D>",
    );
    let doc = Document::load_mem(&build(dir.path())).unwrap();
    let xmp = xmp(&doc);
    for part in [
        "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">Hand-worked gap analysis &lt;of R&amp;D&gt;</rdf:li>",
        "<dc:creator><rdf:Seq><rdf:li>Alice Example</rdf:li><rdf:li>Bob Example</rdf:li></rdf:Seq></dc:creator>",
        "<dc:identifier>TEST-TD0001</dc:identifier>",
        "<rdf:li>Q99/17</rdf:li>",
        "<xmp:CreateDate>2020-09-01T00:00:00Z</xmp:CreateDate>",
        "<xmp:CreatorTool>gapreport</xmp:CreatorTool>",
    ] {
        assert!(xmp.contains(part), "{part} not in {xmp}");
    }
    assert_eq!(
        info_string(&doc, b"Title"),
        "Hand-worked gap analysis <of R&D>"
    );
    let catalog = doc.catalog().unwrap();
    assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"en");
    let prefs = catalog
        .get(b"ViewerPreferences")
        .unwrap()
        .as_dict()
        .unwrap();
    assert!(prefs.get(b"DisplayDocTitle").unwrap().as_bool().unwrap());
    // Its ids are the trailer's content hash, so the same inputs give the same packet.
    let Object::String(id, _) = &doc.trailer.get(b"ID").unwrap().as_array().unwrap()[0] else {
        panic!("no trailer id")
    };
    let id = String::from_utf8(id.clone()).unwrap();
    assert!(
        xmp.contains(&format!(
            "<xmpMM:DocumentID>xmp.did:{id}</xmpMM:DocumentID>"
        )),
        "{xmp}"
    );
}

#[test]
fn source_date_epoch_sets_the_creation_date() {
    let dir = fixture_with(None);
    let out = Command::new(env!("CARGO_BIN_EXE_gapreport"))
        .args(["build", "--inputs", ".", "--out", "out", "--format", "pdf"])
        .current_dir(dir.path())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc =
        Document::load_mem(&std::fs::read(dir.path().join("out/report.pdf")).unwrap()).unwrap();
    assert!(info_string(&doc, b"CreationDate").starts_with("D:20231114"));
    assert!(xmp(&doc).contains("<xmp:CreateDate>2023-11-14T22:13:20Z</xmp:CreateDate>"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("warning"), "{stderr}");
    // A value that is not such a time is warned of, and the report date stands in.
    for wrong in ["abc", "1.5", "99999999999999"] {
        let run = common::gapreport_with(
            dir.path(),
            &["build", "--inputs", ".", "--out", "out", "--format", "pdf"],
            &[("SOURCE_DATE_EPOCH", wrong)],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        let expected = format!("SOURCE_DATE_EPOCH: warning: `{wrong}` is not a number of seconds");
        assert!(run.stderr.starts_with(&expected), "{}", run.stderr);
        let pdf = std::fs::read(dir.path().join("out/report.pdf")).unwrap();
        let doc = Document::load_mem(&pdf).unwrap();
        assert!(info_string(&doc, b"CreationDate").starts_with("D:20200901"));
    }
}

/// Runs a real reader on `pdf`; `None` (with the reason printed) when it is not installed,
/// unless GAPREPORT_REAL_READERS=1.
fn reader(tool: &str, args: &[&str], pdf: &Path) -> Option<(bool, String)> {
    match Command::new(tool).args(args).arg(pdf).output() {
        Ok(out) => Some((
            out.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )),
        Err(e) => {
            if std::env::var("GAPREPORT_REAL_READERS").as_deref() == Ok("1") {
                panic!("{tool} is required (GAPREPORT_REAL_READERS=1): {e}");
            }
            eprintln!("SKIP: {tool} not installed ({e}); apt-get install poppler-utils qpdf");
            None
        }
    }
}

fn built_fixture() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = fixture_with(None);
    build(dir.path());
    let pdf = dir.path().join("out/report.pdf");
    (dir, pdf)
}

#[test]
fn qpdf_finds_no_errors() {
    let (_dir, pdf) = built_fixture();
    if let Some((ok, out)) = reader("qpdf", &["--check"], &pdf) {
        assert!(ok, "{out}");
        assert!(out.contains("No syntax or stream encoding errors"), "{out}");
    }
}

#[test]
fn pdffonts_lists_only_embedded_fonts() {
    let (_dir, pdf) = built_fixture();
    if let Some((ok, out)) = reader("pdffonts", &[], &pdf) {
        assert!(ok, "{out}");
        let fonts: Vec<&str> = out
            .lines()
            .skip(2)
            .filter(|l| !l.trim().is_empty())
            .collect();
        assert!(!fonts.is_empty(), "{out}");
        for line in fonts {
            // Columns: name type encoding emb sub uni object ID; `emb` is the 4th from the end.
            let cols: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(cols[cols.len() - 5], "yes", "not embedded: {line}");
            assert!(line.contains("DejaVu"), "{line}");
        }
    }
}

#[test]
fn pdfinfo_reads_a4_and_the_title() {
    let (_dir, pdf) = built_fixture();
    if let Some((ok, out)) = reader("pdfinfo", &[], &pdf) {
        assert!(ok, "{out}");
        assert!(out.contains("(A4)"), "{out}");
        assert!(
            out.contains("Title:") && out.contains("Hand-worked gap analysis"),
            "{out}"
        );
    }
}

#[test]
fn pdftotext_extracts_the_items() {
    let (dir, pdf) = built_fixture();
    let txt = dir.path().join("out/report.txt");
    if let Some((ok, out)) = reader("pdftotext", &[], &pdf) {
        assert!(ok, "{out}");
        let text = squash(&std::fs::read_to_string(&txt).unwrap());
        for (id, title) in items(dir.path()) {
            assert!(
                text.contains(&squash(&id)) && text.contains(&squash(&title)),
                "{id}"
            );
        }
        assert!(text.contains("Page2of"), "footer");
    }
}

/// An element of the structure tree as `pdfinfo -struct-text` prints it.
#[derive(Debug, Default)]
struct Element {
    role: String,
    /// Its own text and its children, in reading order.
    parts: Vec<Part>,
}

#[derive(Debug)]
enum Part {
    Text(String),
    Child(Element),
    /// An annotation (a link's) tied to the element.
    Object,
}

impl Element {
    /// Its text and its children's (each on a line of its own, but links), in reading order,
    /// whitespace trimmed.
    fn text(&self) -> String {
        let text: String = self
            .parts
            .iter()
            .map(|part| match part {
                Part::Text(text) => text.clone(),
                Part::Child(child) if child.role == "Link" => child.text(),
                Part::Child(child) => format!("\n{}\n", child.text()),
                Part::Object => String::new(),
            })
            .collect();
        text.trim().to_string()
    }

    fn children(&self) -> impl Iterator<Item = &Element> {
        self.parts.iter().filter_map(|part| match part {
            Part::Child(child) => Some(child),
            _ => None,
        })
    }

    /// Every element below, depth first, in reading order.
    fn descendants(&self) -> Vec<&Element> {
        let mut out = Vec::new();
        for child in self.children() {
            out.push(child);
            out.extend(child.descendants());
        }
        out
    }
}

/// Parses the indented tree `pdfinfo -struct-text` prints (two spaces a level; an element's
/// role first on its line, its text in quotes, its attributes after a slash, its annotations
/// as `Object N 0`).
fn structure_tree(printed: &str) -> Element {
    // The open elements, each with the depth its own lines are printed at.
    let mut stack: Vec<(usize, Element)> = vec![(0, Element::default())];
    for line in printed.lines().filter(|l| !l.trim().is_empty()) {
        let depth = (line.len() - line.trim_start().len()) / 2;
        let content = line.trim();
        // A line less indented than an open element's lines ends it.
        while stack.len() > 1 && stack.last().unwrap().0 > depth {
            let (_, done) = stack.pop().unwrap();
            stack.last_mut().unwrap().1.parts.push(Part::Child(done));
        }
        let parts = &mut stack.last_mut().unwrap().1.parts;
        if let Some(text) = content.strip_prefix('"') {
            let text = text.strip_suffix('"').unwrap_or(text).to_string();
            parts.push(Part::Text(text));
        } else if content.starts_with("Object ") {
            parts.push(Part::Object);
        } else if content.starts_with(|c: char| c.is_ascii_uppercase()) {
            let role = content.split([' ', ':']).next().unwrap().to_string();
            let element = Element {
                role,
                parts: Vec::new(),
            };
            stack.push((depth + 1, element));
        }
    }
    while stack.len() > 1 {
        let (_, done) = stack.pop().unwrap();
        stack.last_mut().unwrap().1.parts.push(Part::Child(done));
    }
    let (_, mut top) = stack.pop().unwrap();
    match top.parts.pop() {
        Some(Part::Child(document)) => document,
        other => panic!("no structure tree: {other:?}"),
    }
}

/// The structure tree of `pdf`, as poppler reads it; `None` when poppler is not installed.
fn read_structure(pdf: &Path) -> Option<Element> {
    let (ok, out) = reader("pdfinfo", &["-struct-text"], pdf)?;
    assert!(ok, "{out}");
    Some(structure_tree(&out))
}

/// The rows of `table`, each as the texts of its cells, and whether it is a header row.
fn rows(table: &Element) -> Vec<(bool, Vec<String>)> {
    table
        .children()
        .filter(|e| e.role == "TR")
        .map(|tr| {
            let header = tr.children().all(|c| c.role == "TH");
            (header, tr.children().map(|c| c.text()).collect())
        })
        .collect()
}

#[test]
fn screen_readers_find_headings_tables_lists_and_links() {
    let (dir, pdf) = built_fixture();
    let Some(document) = read_structure(&pdf) else {
        return;
    };
    assert_eq!(document.role, "Document");
    let all = document.descendants();
    let headings: Vec<String> = (all.iter())
        .filter(|e| e.role == "H1")
        .map(|e| e.text().replace('\u{2002}', " "))
        .collect();
    assert_eq!(
        headings[..5],
        [
            "Hand-worked gap analysis",
            "Contents",
            "1 Summary",
            "2 The Question",
            "3 Work programme of Q99/17"
        ]
    );
    assert!(all
        .iter()
        .any(|e| e.role == "H2" && e.text() == "2.1\u{2002}Study items"));

    // Table 1: its caption first, the header row, then one row per work item, its id first.
    let table = (all.iter())
        .find(|e| {
            e.role == "Table"
                && e.children().next().is_some_and(|first| {
                    first.role == "Caption" && first.text().contains("Work items of")
                })
        })
        .expect("the work programme's table, its caption first");
    let rows = rows(table);
    assert!(rows[0].0, "{:?}", rows[0]);
    assert_eq!(rows[0].1[..2], ["Work item", "Title"]);
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out/report.json")).unwrap())
            .unwrap();
    let work_items: Vec<&str> = (report["items"].as_array().unwrap().iter())
        .filter(|i| i["origin"] == "work-item")
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert!(!work_items.is_empty());
    let ids: Vec<&str> = rows[1..]
        .iter()
        .map(|(_, cells)| cells[0].as_str())
        .collect();
    assert_eq!(ids, work_items);

    // A link inside a sentence is read in its place.
    assert!(
        all.iter().any(|e| e.role == "P"
            && e.text()
                .contains("no work item on it (Identity management).")),
        "{:?}",
        all.iter()
            .filter(|e| e.role == "P")
            .map(|e| e.text())
            .collect::<Vec<_>>()
    );

    // Lists have labelled items; every link is tied to its annotation.
    let item = all.iter().find(|e| e.role == "LI").expect("a list item");
    let roles: Vec<&str> = item.children().map(|c| c.role.as_str()).collect();
    assert_eq!(roles, ["Lbl", "LBody"]);
    let links: Vec<&&Element> = all.iter().filter(|e| e.role == "Link").collect();
    assert!(links.len() > 10);
    for link in links {
        assert!(
            link.parts.iter().any(|p| matches!(p, Part::Object)),
            "{link:?}"
        );
        assert!(!link.text().trim().is_empty(), "{link:?}");
    }
}

#[test]
fn every_word_on_the_pages_is_in_the_structure_but_the_page_furniture() {
    let (dir, pdf) = built_fixture();
    let Some(document) = read_structure(&pdf) else {
        return;
    };
    let Some((ok, out)) = reader("pdftotext", &[], &pdf) else {
        return;
    };
    assert!(ok, "{out}");
    let tagged = document.text();
    let tagged_words: std::collections::BTreeSet<&str> = tagged.split_whitespace().collect();
    let page_text = std::fs::read_to_string(dir.path().join("out/report.txt")).unwrap();
    let missing: Vec<&str> = page_text
        .lines()
        .filter(|l| {
            !l.starts_with("Page ") && *l != "TEST-TD0001" && *l != "Hand-worked gap analysis"
        })
        .flat_map(str::split_whitespace)
        // A word too long for its cell is cut over lines on the page, whole in the structure.
        .filter(|w| *w != "." && !tagged_words.iter().any(|t| t.contains(w)))
        .collect();
    assert!(
        missing.is_empty(),
        "words outside the structure: {missing:?}"
    );
    // The running header and footer and the dot leaders are artifacts.
    assert!(!tagged.contains("Page 2 of"), "footer in the structure");
    assert!(!tagged.contains(" . ."), "leaders in the structure");
    assert_eq!(tagged.matches("TEST-TD0001").count(), 1, "only the cover's");
}

#[test]
fn a_table_over_many_pages_is_one_table_with_its_header_once() {
    let dir = with_bulk(1000);
    build(dir.path());
    let Some(document) = read_structure(&dir.path().join("out/report.pdf")) else {
        return;
    };
    let bulk = document
        .descendants()
        .into_iter()
        .find(|e| e.role == "Table" && e.text().contains("BULK-0001"))
        .expect("the landscape table of IEEE");
    let rows = rows(bulk);
    assert_eq!(rows.iter().filter(|(header, _)| *header).count(), 1);
    assert!(rows[0].0);
    let bulk_rows: Vec<&String> = rows
        .iter()
        .map(|(_, cells)| &cells[0])
        .filter(|id| id.starts_with("BULK-"))
        .collect();
    assert_eq!(bulk_rows.len(), 1000);
    assert_eq!(bulk_rows[999], "BULK-1000");
}

/// The object `object` refers to, or itself.
fn resolve<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    match object {
        Object::Reference(id) => doc.get_object(*id).unwrap(),
        other => other,
    }
}

#[test]
fn every_marked_content_and_link_is_tied_both_ways_to_its_structure_element() {
    let dir = fixture_with(None);
    let doc = Document::load_mem(&build(dir.path())).unwrap();
    let catalog = doc.catalog().unwrap();
    let marked = catalog.get(b"MarkInfo").unwrap().as_dict().unwrap();
    assert!(marked.get(b"Marked").unwrap().as_bool().unwrap());
    let root = resolve(&doc, catalog.get(b"StructTreeRoot").unwrap())
        .as_dict()
        .unwrap();
    // The parent tree: from a page's MCID, or an annotation, to its element.
    let nums = resolve(&doc, root.get(b"ParentTree").unwrap())
        .as_dict()
        .unwrap();
    let nums = nums.get(b"Nums").unwrap().as_array().unwrap();
    let parent_tree: std::collections::BTreeMap<i64, &Object> = nums
        .chunks(2)
        .map(|pair| (pair[0].as_i64().unwrap(), &pair[1]))
        .collect();
    // Walk the tree from the root: every MCR and OBJR must lead back to its element.
    let mut claimed = 0;
    let mut annotations = 0;
    let mut todo = vec![root.get(b"K").unwrap().as_reference().unwrap()];
    while let Some(element_id) = todo.pop() {
        let element = doc.get_dictionary(element_id).unwrap();
        let kids = match element.get(b"K").unwrap() {
            Object::Array(kids) => kids.clone(),
            only => vec![only.clone()],
        };
        for kid in &kids {
            // The element owning marked content `mcid` on `page`, by the parent tree.
            let owner_of = |page: &lopdf::Dictionary, mcid: i64| {
                let key = page.get(b"StructParents").unwrap().as_i64().unwrap();
                let by_mcid = resolve(&doc, parent_tree[&key]).as_array().unwrap();
                by_mcid[mcid as usize].as_reference().unwrap()
            };
            let kid = match kid {
                Object::Reference(child) => {
                    let parent = doc.get_dictionary(*child).unwrap().get(b"P").unwrap();
                    assert_eq!(parent.as_reference().unwrap(), element_id);
                    todo.push(*child);
                    continue;
                }
                // Marked content on the element's own page.
                Object::Integer(mcid) => {
                    claimed += 1;
                    let page = element.get(b"Pg").unwrap().as_reference().unwrap();
                    let page = doc.get_dictionary(page).unwrap();
                    assert_eq!(owner_of(page, *mcid), element_id);
                    continue;
                }
                other => other.as_dict().unwrap(),
            };
            let page = doc
                .get_dictionary(kid.get(b"Pg").unwrap().as_reference().unwrap())
                .unwrap();
            let owner = match kid.get(b"Type").unwrap().as_name().unwrap() {
                b"MCR" => {
                    claimed += 1;
                    owner_of(page, kid.get(b"MCID").unwrap().as_i64().unwrap())
                }
                b"OBJR" => {
                    annotations += 1;
                    let annotation = kid.get(b"Obj").unwrap().as_reference().unwrap();
                    let annotation = doc.get_dictionary(annotation).unwrap();
                    assert!(annotation.get(b"Contents").is_ok(), "a link has its text");
                    let key = annotation.get(b"StructParent").unwrap().as_i64().unwrap();
                    parent_tree[&key].as_reference().unwrap()
                }
                other => panic!("unexpected kid {}", String::from_utf8_lossy(other)),
            };
            assert_eq!(owner, element_id);
        }
    }
    // Every marked-content sequence of every page is some element's, once.
    let mut sequences = 0;
    for (_, page_id) in doc.get_pages() {
        let content = Content::decode(&doc.get_page_content(page_id)).unwrap();
        let mcids = (content.operations.iter())
            .filter(|op| op.operator == "BDC")
            .count();
        let key = doc
            .get_dictionary(page_id)
            .unwrap()
            .get(b"StructParents")
            .unwrap();
        let by_mcid = resolve(&doc, parent_tree[&key.as_i64().unwrap()])
            .as_array()
            .unwrap();
        assert_eq!(mcids, by_mcid.len());
        sequences += mcids;
    }
    assert!(sequences > 100);
    assert_eq!(claimed, sequences);
    assert!(annotations > 10);
}

#[test]
fn a_row_taller_than_a_page_is_read_whole_from_one_cell() {
    let dir = fixture_with(None);
    let words: Vec<String> = (1..=1500).map(|i| format!("w{i:04}")).collect();
    let yaml = format!(
        "org: IEEE\nbody: IEEE\nitems:\n  - id: TALL-1\n    title: {}\n    status: proposed\n",
        words.join(" ")
    );
    std::fs::write(dir.path().join("landscape/tall.yaml"), yaml).unwrap();
    build(dir.path());
    let Some(document) = read_structure(&dir.path().join("out/report.pdf")) else {
        return;
    };
    // The cell's text lies on several pages (its content there named by MCR dictionaries), and
    // is read in one piece, in order.
    let cell = (document.descendants().into_iter())
        .filter(|e| e.role == "TD")
        .find(|e| e.text().starts_with("w0001"))
        .expect("the tall title's cell");
    let text = cell.text();
    let read: Vec<&str> = text.split_whitespace().take(words.len()).collect();
    assert_eq!(read, words);
    let pages = std::fs::read(dir.path().join("out/report.pdf")).unwrap();
    let doc = Document::load_mem(&pages).unwrap();
    // The title's first and last words are on different pages where it first appears.
    let texts = page_texts(&doc);
    let first_page = |word: &str| texts.iter().position(|text| text.contains(word)).unwrap();
    assert!(
        first_page("w1500") > first_page("w0001"),
        "the title fits on one page"
    );
}

/// Every web address the link annotations of `doc` open.
fn uris(doc: &Document) -> Vec<String> {
    let pages = doc.get_pages();
    let annotations = pages.values().flat_map(|&page| annotations(doc, page));
    annotations
        .filter_map(|a| {
            let action = resolve(doc, a.get(b"A").ok()?).as_dict().ok()?;
            let uri = action.get(b"URI").ok()?.as_str().ok()?;
            Some(String::from_utf8_lossy(uri).into_owned())
        })
        .collect()
}

#[test]
fn an_item_link_that_is_not_a_web_address_is_text_as_in_the_html() {
    let dir = fixture_with(None);
    common::edit(
        dir.path(),
        "landscape/w3c.md",
        "links: [https://www.w3.org/TR/did-core/]",
        "links: [https://www.w3.org/TR/did-core/, www.w3.org/TR/vc-data-model/]",
    );
    let doc = Document::load_mem(&build(dir.path())).unwrap();
    let uris = uris(&doc);
    assert!(
        uris.contains(&"https://www.w3.org/TR/did-core/".to_string()),
        "{uris:?}"
    );
    assert!(
        !uris.iter().any(|u| u.contains("vc-data-model")),
        "{uris:?}"
    );
    assert!(page_texts(&doc)
        .concat()
        .contains("www.w3.org/TR/vc-data-model/"));
    let html = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    assert!(html.contains("<span class=\"ext\">www.w3.org/TR/vc-data-model/</span>"));
}

/// The titles of the outline (bookmarks), in reading order.
fn outline_titles(doc: &Document) -> Vec<String> {
    fn walk(doc: &Document, item: Option<&Object>, titles: &mut Vec<String>) {
        let mut next = item.and_then(|o| o.as_reference().ok());
        while let Some(id) = next {
            let entry = doc.get_dictionary(id).unwrap();
            let title = entry.get(b"Title").unwrap();
            titles.push(lopdf::decode_text_string(title).unwrap());
            walk(doc, entry.get(b"First").ok(), titles);
            next = entry.get(b"Next").ok().and_then(|o| o.as_reference().ok());
        }
    }
    let root = doc.catalog().unwrap().get(b"Outlines").unwrap();
    let root = doc.get_dictionary(root.as_reference().unwrap()).unwrap();
    let mut titles = Vec::new();
    walk(doc, root.get(b"First").ok(), &mut titles);
    titles
}

/// The clause numbers of the HTML page's headings (`<span class="num">4.6.1</span>`), in order.
fn html_clause_numbers(html: &str) -> Vec<String> {
    let heading = regex::Regex::new(r#"<h[1-6][^>]*><span class="num">([0-9.]+)</span>"#).unwrap();
    (heading.captures_iter(html))
        .map(|c| c[1].to_string())
        .collect()
}

#[test]
fn a_narrative_is_read_on_its_own_and_as_the_web_page_reads_it() {
    let dir = fixture_with(None);
    common::edit(
        dir.path(),
        "landscape/w3c.md",
        "The DID Working Group standardises *decentralized identifiers*.",
        "The DID Working Group standardises *decentralized identifiers*.\n\n\
         # Background {#work-programme}\n\n\
         Text with <script>alert(5)</script> a [script link](javascript:alert(6)), \
         a [file](../notes.html) and a [site](https://example.org/ok).\n\n\
         <!-- pagebreak -->\n\n\
         | Col A | Col B |\n| --- | --- |\n| cell one | cell two |\n\n\
         ```text\nnever closed\n",
    );
    let doc = Document::load_mem(&build(dir.path())).unwrap();
    let text = page_texts(&doc).concat();
    // Its heading is not a clause: the clauses are numbered as in the web page.
    let html = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    let numbered: Vec<String> = outline_titles(&doc)
        .iter()
        .filter_map(|t| t.split(char::is_whitespace).next())
        .filter(|n| n.starts_with(|c: char| c.is_ascii_digit()))
        .map(str::to_string)
        .collect();
    assert_eq!(numbered, html_clause_numbers(&html));
    assert!(text.contains("Background"), "{text}");
    // Script content is dropped, links the reports do not keep are text, the table is a table.
    assert!(
        text.contains("Textwithascriptlink,afileandasite."),
        "{text}"
    );
    assert!(!text.contains("alert"), "{text}");
    let uris = uris(&doc);
    assert!(
        uris.contains(&"https://example.org/ok".to_string()),
        "{uris:?}"
    );
    assert!(
        !uris
            .iter()
            .any(|u| u.contains("javascript") || u.contains("notes")),
        "{uris:?}"
    );
    assert!(text.contains("ColAColBcellonecelltwo"), "{text}");
    // Its unclosed code fence ends with it: the body's items and the clauses after it follow.
    let fence = text.find("neverclosed").expect("the code is shown");
    let item = text.rfind("Decentralized Identifiers".replace(' ', "").as_str());
    assert!(item.is_some_and(|i| i > fence), "{text}");
    assert!(text[fence..].contains("Coveragematrix"), "{text}");
    // The web page reads it the same way.
    assert!(html.contains("<th scope=\"col\">Col A</th>"), "{html}");
    assert!(!html.contains("alert(5)") && !html.contains("javascript:"));
    assert!(
        !html.contains("notes.html\""),
        "a relative link keeps no href"
    );
}

#[test]
fn the_changes_clause_names_topics_by_their_labels() {
    let dir = fixture_with(Some("with-baseline"));
    let doc = Document::load_mem(&build(dir.path())).unwrap();
    let text = page_texts(&doc).concat();
    assert!(
        text.contains("CoveragebeforeCoverageafterIdentitymanagementuntouchedgap"),
        "{text}"
    );
}
