//! Layout on A4: marks inside the text box, the structure of long tables, numbering, and
//! what is kept together across a page break.

use super::*;
use crate::render::pdf::blocks::parse;

/// A document with what tends to overflow: long words, a wide table, a long table.
fn stress() -> String {
    let mut md = String::from("<!-- cover -->\n\n# Title\n\n<!-- /cover -->\n\n<!-- toc -->\n\n");
    md.push_str(
        "# Long words\n\nSee https://www.itu.int/ITU-T/workprog/wp_search.aspx?sp=17&sg=17&q=",
    );
    md.push_str(&"x".repeat(300));
    md.push_str("\n\n| a | b | c | d | e | f | g | h | i | j |\n|---|---|---|---|---|---|---|---|---|---|\n");
    md.push_str(&format!(
        "| {} | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 |\n",
        "y".repeat(200)
    ));
    md.push_str("\n# Long table\n\n| Id | Title |\n| --- | --- |\n");
    for i in 0..400 {
        md.push_str(&format!("| id-{i} | Title of item {i} with some words |\n"));
    }
    md.push_str(&format!("| tall | {} |\n", "word ".repeat(2500)));
    // Markers of two and three digits are wider than the usual list indent.
    md.push_str("\n# Long list\n\n");
    for i in 95..112 {
        md.push_str(&format!("{i}. Item {i}\n"));
    }
    md
}

/// `md` laid out on A4, with "DOC-1" as the running header.
fn a4_layout(md: &str) -> Document {
    a4_layout_blocks(&parse(md, &[]))
}

/// `blocks` laid out on A4, with "DOC-1" as the running header.
fn a4_layout_blocks(blocks: &[Block]) -> Document {
    let fonts = Fonts::new();
    let options = LayoutOptions {
        page: PageSetup::a4(),
        fonts: &fonts,
        header: ("DOC-1".into(), "A title".into()),
        toc_depth: 2,
    };
    layout(blocks, &options)
}

#[test]
fn a_table_too_wide_for_the_page_is_laid_out_in_parts_that_each_repeat_its_first_column() {
    // Twenty organisation columns whose names cannot be cut to fit one A4 width.
    let orgs: Vec<String> = (0..20).map(|i| format!("Organisation{i:02}")).collect();
    let mut md = format!("| Topic | {} | Total |\n|---|", orgs.join(" | "));
    md.push_str(&"---|".repeat(21));
    for t in 0..3 {
        md.push_str(&format!(
            "\n| Topic{t} | {} | 290 |",
            ["123"; 20].join(" | ")
        ));
    }
    let doc = a4_layout(&format!("{md}\n"));
    let texts: Vec<&str> = (doc.pages.iter().flatten())
        .filter_map(|d| match d {
            Draw::Text { text, .. } => Some(text.trim()),
            _ => None,
        })
        .collect();
    for name in orgs
        .iter()
        .map(String::as_str)
        .chain(["Total", "290", "123"])
    {
        assert!(texts.contains(&name), "{name} is drawn whole: {texts:?}");
    }
    let parts = texts.iter().filter(|t| **t == "Topic").count();
    assert!(parts >= 2, "laid out in {parts} parts");
    for t in 0..3 {
        let row = format!("Topic{t}");
        assert_eq!(
            texts.iter().filter(|x| **x == row).count(),
            parts,
            "{row} in every part"
        );
    }
    let drawn = |name: &str| texts.iter().filter(|t| **t == name).count();
    assert!(orgs.iter().all(|o| drawn(o) == 1), "each other column once");
}

#[test]
fn struck_text_has_a_rule_through_its_words_and_no_further() {
    use crate::render::pdf::blocks::{narrative_reference, Narrative};
    let narrative = Narrative {
        markdown: "Kept ~~gone *words*~~ kept.".to_string(),
        shift: 0,
    };
    let doc = a4_layout_blocks(&parse(&narrative_reference(0), &[narrative]));
    let page = &doc.pages[0];
    let texts: Vec<(f32, f32, f32, &str)> = (page.iter())
        .filter_map(|d| match d {
            Draw::Text {
                x, y, width, text, ..
            } => Some((*x, *y, *width, text.as_str())),
            _ => None,
        })
        .collect();
    let rules: Vec<(f32, f32, f32)> = (page.iter())
        .filter_map(|d| match d {
            Draw::Rule { x1, y1, x2, .. } => Some((*x1, *x2, *y1)),
            _ => None,
        })
        .filter(|&(_, _, y)| y > 60.0) // not the running header's rule
        .collect();
    let word = |w: &str| *texts.iter().find(|t| t.3.trim().starts_with(w)).unwrap();
    let (gone, words, after) = (word("gone"), word("words"), word("kept."));
    // One rule through both faces (roman "gone ", italic "words"), none under the rest.
    assert_eq!(rules.len(), 1, "{rules:?} {texts:?}");
    let (from, to, _) = rules[0];
    assert!(
        (from - gone.0).abs() < 0.01,
        "starts at the first struck word"
    );
    assert!(
        (to - (words.0 + words.2)).abs() < 0.01,
        "ends with the last struck word"
    );
    assert!(to <= after.0 + 0.01, "the space after it is not struck");
    for (_, _, y) in &rules {
        assert!(
            *y < gone.1 && *y > gone.1 - 10.0 * 0.55,
            "through the letters: {y}"
        );
    }
}

/// [`stress`] laid out on A4.
fn stress_layout() -> Document {
    a4_layout(&stress())
}

#[test]
fn every_mark_stays_inside_the_text_box() {
    let doc = stress_layout();
    let p = PageSetup::a4();
    let (left, right) = (p.margin_x - 0.01, p.right() + 0.01);
    let (top, bottom) = (p.header_y - 10.0, p.footer_y + 0.01);
    assert!(doc.pages.len() > 10);
    for (n, page) in doc.pages.iter().enumerate() {
        for draw in page {
            let (x1, y1, x2, y2) = match draw {
                Draw::Text { x, y, width, .. } => (*x, *y, x + width, *y),
                Draw::Fill { x, y, w, h, .. } | Draw::Link { x, y, w, h, .. } => {
                    (*x, *y, x + w, y + h)
                }
                Draw::Rule { x1, y1, x2, y2, .. } => (*x1, *y1, *x2, *y2),
            };
            assert!(x1 >= left && x2 <= right, "page {n}: {draw:?}");
            assert!(y1 >= top && y2 <= bottom, "page {n}: {draw:?}");
        }
    }
}

#[test]
fn the_structure_reads_a_long_table_once_and_leaves_the_furniture_out() {
    let doc = stress_layout();
    let nodes = &doc.structure.nodes;
    let children = doc.structure.children();
    let texts = |wanted: &str| -> Vec<(usize, Option<usize>)> {
        let pages = doc.pages.iter().enumerate();
        pages
            .flat_map(|(n, page)| page.iter().map(move |d| (n, d)))
            .filter_map(|(n, d)| match d {
                Draw::Text { text, node, .. } if text.trim() == wanted => Some((n, *node)),
                _ => None,
            })
            .collect()
    };
    // The long table: one header row and 401 body rows, although it spans many pages.
    let table = (0..nodes.len())
        .find(|&n| nodes[n].role == Role::Table && children[n].len() > 400)
        .expect("the long table");
    assert_eq!(children[table].len(), 402);
    // Its header is drawn on every page but read once; the rest are artifacts.
    let headers = texts("Id");
    assert!(headers.len() > 10);
    assert_eq!(headers.iter().filter(|(_, node)| node.is_some()).count(), 1);
    // The row taller than a page is one row, its cell's text on several pages.
    let tall = *children[table].last().unwrap();
    let cell = children[tall][1];
    let pages = (doc.pages.iter())
        .filter(|page| {
            (page.iter()).any(|d| matches!(d, Draw::Text { node, .. } if *node == Some(cell)))
        })
        .count();
    assert!(pages >= 2, "{pages}");
    // The running header and footer are artifacts.
    assert!(texts("DOC-1").iter().all(|(_, node)| node.is_none()));
    let footers = doc.pages.iter().flatten().filter(|d| {
        matches!(d, Draw::Text { text, node, .. } if text.starts_with("Page ") && node.is_some())
    });
    assert_eq!(footers.count(), 0);
    // Every list item is a label and a body.
    for (n, node) in nodes.iter().enumerate() {
        if node.role == Role::ListItem {
            let roles: Vec<Role> = children[n].iter().map(|&c| nodes[c].role).collect();
            assert_eq!(roles, [Role::Label, Role::ListBody]);
        }
    }
}

#[test]
fn headings_are_numbered_and_found_in_the_contents() {
    let md = "# A\n\n## B\n\n## C {.unnumbered}\n\n# D { #d }\n\n### E\n";
    let headings = outline(&parse(md, &[]));
    let numbers: Vec<Option<&str>> = headings.iter().map(|h| h.number.as_deref()).collect();
    assert_eq!(
        numbers,
        vec![Some("1"), Some("1.1"), None, Some("2"), Some("2.0.1")]
    );
    assert_eq!(headings[3].anchor, "d");
}

/// The page on which a text starting with `wanted` is first drawn.
fn page_of(doc: &Document, wanted: &str) -> usize {
    let pages = doc.pages.iter().enumerate();
    pages
        .flat_map(|(n, page)| page.iter().map(move |d| (n, d)))
        .find_map(|(n, d)| match d {
            Draw::Text { text, .. } if text.trim_start().starts_with(wanted) => Some(n),
            _ => None,
        })
        .expect(wanted)
}

#[test]
fn a_heading_is_not_left_at_a_page_foot_above_its_first_subclause_nor_a_lead_in_above_its_list() {
    // Filler pushes the blocks down a line at a time, past the foot of the first page.
    for filler in 30..75 {
        let mut md: String = (0..filler)
            .map(|i| format!("Filler line {i}.\n\n"))
            .collect();
        md.push_str("# Clause\n\n## Subclause\n\n**Table 1 – Caption**\n\n| Headcol | Other |\n| --- | --- |\n");
        md.push_str(&format!("| Firstrow | {} |\n\n", "word ".repeat(60)));
        md.push_str(&"Filler again. ".repeat(40));
        md.push_str("\n\nThe goals are as follows:\n\n- Firstgoal\n- Secondgoal\n");
        let doc = a4_layout(&md);
        let clause = page_of(&doc, "1\u{2002}Clause");
        assert_eq!(
            clause,
            page_of(&doc, "1.1\u{2002}Subclause"),
            "filler {filler}"
        );
        assert_eq!(clause, page_of(&doc, "Firstrow"), "filler {filler}");
        assert_eq!(
            page_of(&doc, "The goals are"),
            page_of(&doc, "Firstgoal"),
            "filler {filler}"
        );
    }
}

#[test]
fn a_tables_header_is_on_the_page_of_its_first_row_wherever_the_table_starts() {
    // Filler pushes the table down a line at a time, past the foot of the first page; its
    // first row is ten lines tall.
    for filler in 30..75 {
        let mut md: String = (0..filler)
            .map(|i| format!("Filler line {i}.\n\n"))
            .collect();
        md.push_str("**Table 1 – Caption**\n\n| Headcol | Other |\n| --- | --- |\n");
        md.push_str(&format!("| Firstrow | {} |\n", "word ".repeat(120)));
        md.push_str("| Secondrow | x |\n");
        let doc = a4_layout(&md);
        let head = page_of(&doc, "Headcol");
        assert_eq!(head, page_of(&doc, "Firstrow"), "filler {filler}");
        assert_eq!(head, page_of(&doc, "Table 1"), "filler {filler}");
    }
}
