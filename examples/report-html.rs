//! A stand-in `report.html` for `scripts/bench-pdf` while the real HTML report is not there: the
//! PDF's own Markdown (the `report.md` template) converted by pulldown-cmark, with print CSS.
//!
//! Usage: `cargo run --release --example report-html -- INPUTS OUT.html`

use gapreport::render::{pdf, templates::Templates, view::ReportView};

const STYLE: &str = "@page{size:A4;margin:20mm}body{font-family:'DejaVu Serif',serif;\
font-size:10pt}table{border-collapse:collapse;width:100%;font-size:8pt}\
th,td{border:1px solid #9aa;padding:2px 3px;vertical-align:top}thead{display:table-header-group}\
tr{break-inside:avoid}h1,h2,h3{font-family:'DejaVu Sans',sans-serif;color:#003873}";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (inputs, out) = match args.as_slice() {
        [_, inputs, out] => (inputs, out),
        _ => {
            eprintln!("usage: report-html INPUTS OUT.html");
            std::process::exit(2);
        }
    };
    let checked = gapreport::check(inputs.as_ref()).unwrap_or_else(|e| {
        eprintln!("invalid inputs: {e:?}");
        std::process::exit(1);
    });
    let analysis = gapreport::analyse::analyse(&checked.model);
    let templates = Templates::load(None).expect("built-in templates load");
    let view = ReportView::build(&checked.model, &analysis, &pdf::nest_headings);
    let markdown = templates
        .render(pdf::TEMPLATE, &view)
        .expect("template renders");
    let options =
        pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_HEADING_ATTRIBUTES;
    let mut body = String::new();
    pulldown_cmark::html::push_html(
        &mut body,
        pulldown_cmark::Parser::new_ext(&markdown, options),
    );
    let html = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{}</title>\
         <style>{STYLE}</style></head><body>{body}</body></html>",
        checked.model.report.title
    );
    std::fs::write(out, html).expect("the stand-in HTML is written");
}
