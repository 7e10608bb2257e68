//! The laid-out pages as a PDF: printpdf operations for text (each run marked as content of its
//! structure element, or as an artifact), fills, rules and links, the subset-embedded fonts, the
//! structure tree ([`super::tags`]), the document information (metadata), the outline, and a
//! document id derived from the content so the same inputs give the same bytes.

use std::collections::{BTreeMap, BTreeSet};

use lopdf::ObjectId;

use printpdf::{
    Actions, BorderArray, Color, Destination, DictItem, FontId, Line as PdfLine, LinePoint,
    LinkAnnotation, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point,
    Pt, Rect, TextItem,
};

use super::fonts::{FontKey, Fonts};
use super::layout::{Document, Draw, Structure};
use super::outline;
use super::style::Rgb;
use super::tags::{self, PageMarks};

/// The document information dictionary.
#[derive(Debug, Clone)]
pub struct Metadata {
    /// Title.
    pub title: String,
    /// Authors.
    pub authors: Vec<String>,
    /// The document number, e.g. `SG17-TD1234`.
    pub document: String,
    /// Subject.
    pub subject: String,
    /// Keywords.
    pub keywords: Vec<String>,
    /// Creation date, seconds since 1970 (UTC).
    pub created: i64,
}

/// Serialises `doc` as PDF bytes.
pub fn write(doc: &Document, meta: &Metadata, fonts: &Fonts) -> Vec<u8> {
    let mut pdf = PdfDocument::new(&meta.title);
    let ids: BTreeMap<FontKey, FontId> = used_fonts(doc)
        .into_iter()
        .map(|k| (k, pdf.add_font(fonts.face(k))))
        .collect();
    let height = Pt::from(Mm(297.0)).0;
    let mut marks = Vec::with_capacity(doc.pages.len());
    let pages = (doc.pages.iter().enumerate())
        .map(|(page, draws)| {
            let (ops, page_marks) = page_ops(page, draws, &ids, doc, height);
            marks.push(page_marks);
            PdfPage::new(Mm(210.0), Mm(297.0), ops)
        })
        .collect();
    pdf.with_pages(pages);
    set_info(&mut pdf, meta);
    let mut warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&PdfSaveOptions::default(), &mut warnings);
    let id = set_id(&mut lo, meta);
    // The streams (pages, fonts) are compressed while the rest is added, which adds none.
    let streams = take_compressible_streams(&mut lo);
    let compressed = std::thread::scope(|scope| {
        let compressed = scope.spawn(|| compress(streams));
        outline::add(&mut lo, &doc.headings, height);
        tags::add(&mut lo, doc, &marks);
        // printpdf writes 1.3; the structure tree's `Tabs`, the catalog's `Lang`, `MarkInfo`
        // and `DisplayDocTitle` and the XMP metadata are of PDF 1.4 and 1.5.
        lo.version = "1.7".to_string();
        drop_false_claims(&mut lo);
        add_xmp(&mut lo, meta, &id);
        crate::parallel::joined(compressed)
    });
    lo.objects.extend(compressed);
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes)
        .expect("writing to memory cannot fail");
    crate::parallel::drop_aside((pdf, lo));
    bytes
}

fn used_fonts(doc: &Document) -> BTreeSet<FontKey> {
    doc.pages
        .iter()
        .flatten()
        .filter_map(|d| match d {
            Draw::Text { font, .. } => Some(*font),
            _ => None,
        })
        .collect()
}

fn set_info(pdf: &mut PdfDocument, meta: &Metadata) {
    let date = printpdf::OffsetDateTime::from_unix_timestamp(meta.created)
        .unwrap_or_else(|_| printpdf::OffsetDateTime::from_unix_timestamp(0).expect("epoch"));
    let info = &mut pdf.metadata.info;
    info.document_title = meta.title.clone();
    info.author = meta.authors.join("; ");
    info.subject = meta.subject.clone();
    info.keywords = meta.keywords.clone();
    info.creator = "gapreport".to_string();
    info.producer = producer();
    info.creation_date = date;
    info.modification_date = date;
    info.metadata_date = date;
}

/// The trailer's document id: a hash of the title, the date and every stream (page contents,
/// font subsets), before compression. Returns it in hexadecimal.
fn set_id(lo: &mut lopdf::Document, meta: &Metadata) -> String {
    let mut hash = Fnv::default();
    hash.add(meta.title.as_bytes());
    hash.add(&meta.created.to_be_bytes());
    for object in lo.objects.values() {
        if let lopdf::Object::Stream(stream) = object {
            hash.add(&stream.content);
        }
    }
    let hex = format!("{:016x}", hash.0);
    let id = lopdf::Object::String(hex.clone().into_bytes(), lopdf::StringFormat::Hexadecimal);
    lo.trailer.set("ID", vec![id.clone(), id]);
    hex
}

/// The same metadata as XMP, the form archives and PDF/A validators read (the document
/// information dictionary is deprecated since PDF 2.0): an uncompressed stream named by the
/// catalog. Its document and instance ids are the trailer's, so it changes only with the content.
fn add_xmp(lo: &mut lopdf::Document, meta: &Metadata, id: &str) {
    let date = xmp_date(meta.created);
    let keywords = meta.keywords.join(", ");
    let producer = producer();
    let (document_id, instance_id) = (format!("xmp.did:{id}"), format!("xmp.iid:{id}"));
    let mut xmp = xmp_writer::XmpWriter::new();
    xmp.format("application/pdf")
        .title([(None, meta.title.as_str())])
        .description([(None, meta.subject.as_str())])
        .creator(meta.authors.iter().map(String::as_str))
        .identifier(&meta.document)
        .subject(meta.keywords.iter().map(String::as_str))
        .pdf_keywords(&keywords)
        .producer(&producer)
        .creator_tool("gapreport")
        .create_date(date)
        .modify_date(date)
        .metadata_date(date)
        .document_id(&document_id)
        .instance_id(&instance_id);
    let mut stream = lopdf::Stream::new(
        lopdf::dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
        xmp.finish(None).into_bytes(),
    );
    stream.allows_compression = false;
    let metadata = lo.add_object(stream);
    if let Ok(catalog) = lo.catalog_mut() {
        catalog.set("Metadata", metadata);
        // For screen readers (the report's text is English, as the HTML's `lang`), and for
        // viewers, which show the title rather than the file name.
        catalog.set("Lang", lopdf::Object::string_literal("en"));
        catalog.set(
            "ViewerPreferences",
            lopdf::dictionary! { "DisplayDocTitle" => true },
        );
    }
}

/// `created` (seconds since 1970, UTC) as an XMP date.
fn xmp_date(created: i64) -> xmp_writer::DateTime {
    let t = printpdf::OffsetDateTime::from_unix_timestamp(created)
        .unwrap_or_else(|_| printpdf::OffsetDateTime::from_unix_timestamp(0).expect("epoch"));
    xmp_writer::DateTime {
        year: t.year().clamp(0, 9999) as u16,
        month: Some(u8::from(t.month())),
        day: Some(t.day()),
        hour: Some(t.hour()),
        minute: Some(t.minute()),
        second: Some(t.second()),
        timezone: Some(xmp_writer::Timezone::Utc),
    }
}

fn producer() -> String {
    format!("gapreport {} (printpdf)", env!("CARGO_PKG_VERSION"))
}

/// printpdf writes `GTS_PDFXVersion` (a PDF/X claim the file does not meet) and an empty
/// `Identifier` into the document information; both go.
fn drop_false_claims(lo: &mut lopdf::Document) {
    let Ok(info) = lo
        .trailer
        .get(b"Info")
        .and_then(lopdf::Object::as_reference)
    else {
        return;
    };
    if let Ok(dict) = lo.get_dictionary_mut(info) {
        dict.remove(b"GTS_PDFXVersion");
        dict.remove(b"Identifier");
    }
}

/// FNV-1a, 64 bits: stable across Rust versions, unlike the standard hasher.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn add(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

fn color(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb {
        r: c.0,
        g: c.1,
        b: c.2,
        icc_profile: None,
    })
}

fn point(x: f32, y: f32, height: f32) -> Point {
    Point {
        x: Pt(x),
        y: Pt(height - y),
    }
}

/// The streams of `lo` that may be compressed and are not yet, taken out of it.
fn take_compressible_streams(lo: &mut lopdf::Document) -> Vec<(ObjectId, lopdf::Stream)> {
    let ids: Vec<ObjectId> = (lo.objects.iter())
        .filter(|(_, object)| {
            matches!(object, lopdf::Object::Stream(s)
                if s.allows_compression && s.dict.get(b"Filter").is_err())
        })
        .map(|(id, _)| *id)
        .collect();
    (ids.into_iter())
        .filter_map(|id| match lo.objects.remove(&id) {
            Some(lopdf::Object::Stream(s)) => Some((id, s)),
            _ => None,
        })
        .collect()
}

/// Compresses `streams` with deflate level 3 (lopdf's own compression uses the slowest level,
/// which took a third of the build for 3 % smaller files), on two threads; returns them as
/// objects.
fn compress(mut streams: Vec<(ObjectId, lopdf::Stream)>) -> Vec<(ObjectId, lopdf::Object)> {
    let total: usize = streams.iter().map(|(_, s)| s.content.len()).sum();
    let mut seen = 0;
    let half = streams
        .iter()
        .position(|(_, s)| {
            seen += s.content.len();
            seen >= total / 2
        })
        .map_or(streams.len(), |i| i + 1);
    let (first, second) = streams.split_at_mut(half);
    let deflate_all = |streams: &mut [(ObjectId, lopdf::Stream)]| {
        let mut encoder = Encoder::new(Vec::new(), flate2::Compression::new(3));
        streams
            .iter_mut()
            .for_each(|(_, s)| deflate(s, &mut encoder));
    };
    std::thread::scope(|scope| {
        scope.spawn(|| deflate_all(first));
        deflate_all(second);
    });
    (streams.into_iter())
        .map(|(id, s)| (id, lopdf::Object::Stream(s)))
        .collect()
}

/// A deflate encoder, used for one stream after another: its state (some 300 KB of tables) is
/// made once per thread rather than once per stream.
type Encoder = flate2::write::ZlibEncoder<Vec<u8>>;

/// Deflates one stream's content, unless that would not make it smaller.
fn deflate(stream: &mut lopdf::Stream, encoder: &mut Encoder) {
    use std::io::Write;
    let compressed = encoder
        .write_all(&stream.content)
        .and_then(|()| encoder.reset(Vec::new()));
    if let Ok(compressed) = compressed {
        if compressed.len() < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
}

/// The operations of page number `page`: fills and rules (artifacts), then all text in one text
/// object (font and colour set only when they change, positions as relative moves), each run
/// marked as content of its structure node or as an artifact, then the links. Returns them with
/// what the page holds of the structure.
fn page_ops(
    page: usize,
    draws: &[Draw],
    fonts: &BTreeMap<FontKey, FontId>,
    doc: &Document,
    height: f32,
) -> (Vec<Op>, PageMarks) {
    let mut ops: Vec<Op> = vec![artifact()];
    let mut graphics = GraphicsState::default();
    for draw in draws {
        graphics.draw(draw, height, &mut ops);
    }
    ops.push(Op::EndMarkedContent);
    ops.push(Op::StartTextSection);
    let mut state = TextState::default();
    let mut marking = Marking::default();
    for (i, draw) in draws.iter().enumerate() {
        if let Draw::Text { node, text, .. } = draw {
            if !text.is_empty() {
                marking.switch(*node, (page, i), &doc.structure, &mut ops);
            }
        }
        state.text(draw, fonts, height, &mut ops);
    }
    let mut marks = marking.finish(&mut ops);
    ops.push(Op::EndTextSection);
    for (i, draw) in draws.iter().enumerate() {
        if let Draw::Link {
            x,
            y,
            w,
            h,
            target,
            node,
        } = draw
        {
            if let Some(link) = link(*x, *y, *w, *h, target, doc, height) {
                ops.push(Op::LinkAnnotation { link });
                marks.links.push(node.map(|node| (node, (page, i))));
            }
        }
    }
    (ops, marks)
}

/// `/Artifact BMC`: what follows, to its end, is not content of the structure.
fn artifact() -> Op {
    Op::BeginMarkedContent {
        tag: "Artifact".to_string(),
    }
}

/// The marked-content sequence open in a page's text object.
#[derive(Default)]
struct Marking {
    /// The node of the open sequence (`Some(None)`: an artifact), none before the first text.
    open: Option<Option<usize>>,
    marks: PageMarks,
}

impl Marking {
    /// Makes sure the next text is marked as content of `node` (none: an artifact), which
    /// comes at `place`.
    fn switch(
        &mut self,
        node: Option<usize>,
        place: (usize, usize),
        structure: &Structure,
        ops: &mut Vec<Op>,
    ) {
        if self.open == Some(node) {
            return;
        }
        if self.open.is_some() {
            ops.push(Op::EndMarkedContent);
        }
        self.open = Some(node);
        ops.push(match node {
            None => artifact(),
            Some(node) => {
                let mcid = self.marks.sequences.len() as i64;
                self.marks.sequences.push((node, place));
                Op::BeginMarkedContentWithProperties {
                    tag: structure.nodes[node].role.tag().to_string(),
                    properties: DictItem::Dict {
                        map: [("MCID".to_string(), DictItem::Int(mcid))].into(),
                    },
                }
            }
        });
    }

    /// Closes the open sequence; returns what the page marked.
    fn finish(self, ops: &mut Vec<Op>) -> PageMarks {
        if self.open.is_some() {
            ops.push(Op::EndMarkedContent);
        }
        self.marks
    }
}

/// What the text object has set so far.
#[derive(Default)]
struct TextState {
    font: Option<(FontKey, u32)>,
    color: Option<(u32, u32, u32)>,
    line_start: (f32, f32),
}

impl TextState {
    fn text(
        &mut self,
        draw: &Draw,
        fonts: &BTreeMap<FontKey, FontId>,
        height: f32,
        ops: &mut Vec<Op>,
    ) {
        let Draw::Text {
            x,
            y,
            text,
            font,
            size,
            color: c,
            ..
        } = draw
        else {
            return;
        };
        let font_key = (*font, size.to_bits());
        if self.font != Some(font_key) {
            self.font = Some(font_key);
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(fonts[font].clone()),
                size: Pt(*size),
            });
        }
        if self.color.replace(color_key(*c)) != Some(color_key(*c)) {
            ops.push(Op::SetFillColor { col: color(*c) });
        }
        let (px, py) = (*x, height - y);
        ops.push(Op::SetTextCursor {
            pos: Point {
                x: Pt(px - self.line_start.0),
                y: Pt(py - self.line_start.1),
            },
        });
        self.line_start = (px, py);
        ops.push(Op::ShowText {
            items: vec![TextItem::Text(text.clone())],
        });
    }
}

/// What the fills and rules of a page have set so far: colours and line width are set only when
/// they change (a table draws thousands of rules in the same grey), with no save/restore.
#[derive(Default)]
struct GraphicsState {
    fill: Option<(u32, u32, u32)>,
    stroke: Option<(u32, u32, u32)>,
    width: Option<u32>,
}

fn color_key(c: Rgb) -> (u32, u32, u32) {
    (c.0.to_bits(), c.1.to_bits(), c.2.to_bits())
}

impl GraphicsState {
    /// The operations of a fill or a rule (`height`: the page's, to flip y); nothing for text
    /// and links.
    fn draw(&mut self, draw: &Draw, height: f32, ops: &mut Vec<Op>) {
        match draw {
            Draw::Fill {
                x,
                y,
                w,
                h,
                color: c,
            } => {
                if self.fill.replace(color_key(*c)) != Some(color_key(*c)) {
                    ops.push(Op::SetFillColor { col: color(*c) });
                }
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: Pt(*x),
                        y: Pt(height - y - h),
                        width: Pt(*w),
                        height: Pt(*h),
                        mode: Some(PaintMode::Fill),
                        winding_order: None,
                    },
                });
            }
            Draw::Rule {
                x1,
                y1,
                x2,
                y2,
                width,
                color: c,
            } => {
                if self.stroke.replace(color_key(*c)) != Some(color_key(*c)) {
                    ops.push(Op::SetOutlineColor { col: color(*c) });
                }
                if self.width.replace(width.to_bits()) != Some(width.to_bits()) {
                    ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                }
                ops.push(Op::DrawLine {
                    line: PdfLine {
                        points: vec![
                            LinePoint {
                                p: point(*x1, *y1, height),
                                bezier: false,
                            },
                            LinePoint {
                                p: point(*x2, *y2, height),
                                bezier: false,
                            },
                        ],
                        is_closed: false,
                    },
                });
            }
            Draw::Text { .. } | Draw::Link { .. } => {}
        }
    }
}

/// A borderless link annotation; `None` for an anchor that names nothing.
fn link(
    x: f32,
    y: f32,
    w: f32,
    h: f32,
    target: &str,
    doc: &Document,
    height: f32,
) -> Option<LinkAnnotation> {
    let action = match target.strip_prefix('#') {
        Some(anchor) => {
            let (page, top) = doc.anchors.get(anchor)?;
            Actions::go_to(Destination::Xyz {
                page: page + 1,
                left: None,
                top: Some(height - top + 4.0),
                zoom: None,
            })
        }
        None => Actions::uri(target.to_string()),
    };
    let rect = Rect {
        x: Pt(x),
        y: Pt(height - y - h),
        width: Pt(w),
        height: Pt(h),
        mode: None,
        winding_order: None,
    };
    Some(LinkAnnotation::new(
        rect,
        action,
        Some(BorderArray::Solid([0.0; 3])),
        None,
        None,
    ))
}
