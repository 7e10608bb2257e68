//! The shipped `inputs/` against the two source documents in `../shared/seeds/` (present beside
//! the repository on the team's machines and in CI): every item title is the source's own text,
//! and every designation in the roadmap's tables is an item. Without the seeds the test says so
//! and passes.

use std::collections::BTreeSet;
use std::path::Path;

/// Items whose title the source does not give (commented in the inputs).
const SYNTHETIC_TITLES: [&str; 1] = ["Q10/17-Q3/17 decentralized identity"];

/// Designations transcribed under a normalised id (commented in the inputs).
const RENAMED: [(&str, &str); 1] = [("Y2342 (Y.NGNe-BC-reqts)", "Y.2342")];

fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn seeds() -> Option<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).ok();
    Some((
        read("000_1336216583d321f3.txt")?,
        read("001_8153aa15fbc62f85.txt")?,
    ))
}

fn shipped() -> gapreport::model::Model {
    let inputs = Path::new(env!("CARGO_MANIFEST_DIR")).join("inputs");
    gapreport::check(&inputs)
        .expect("shipped inputs are valid")
        .model
}

/// (id, title) of every item of the shipped inputs.
fn items(model: &gapreport::model::Model) -> Vec<(String, String)> {
    let work = model
        .work_items
        .iter()
        .map(|w| (w.id.clone(), w.title.clone()));
    let landscape = model
        .landscape_items()
        .map(|i| (i.id.clone(), i.title.clone()));
    work.chain(landscape).collect()
}

#[test]
fn every_title_is_the_sources_own_text() {
    let Some((roadmap, question)) = seeds() else {
        eprintln!("skipped: ../shared/seeds not found beside the repository");
        return;
    };
    let source = normalise(&format!("{roadmap}\n{question}"));
    for (id, title) in items(&shipped()) {
        if SYNTHETIC_TITLES.contains(&id.as_str()) {
            continue;
        }
        assert!(
            source.contains(&normalise(&title)),
            "{id}: title {title:?} is not in the seeds"
        );
    }
}

#[test]
fn every_designation_of_the_roadmap_tables_is_an_item() {
    let Some((roadmap, _)) = seeds() else {
        eprintln!("skipped: ../shared/seeds not found beside the repository");
        return;
    };
    let ids: BTreeSet<String> = items(&shipped()).into_iter().map(|(id, _)| id).collect();
    let designation =
        regex::Regex::new(r"^(X\.|Y\.?\d|Y\.|F\.|H\.|M\.|ISO |TR |P\d{3}|D\d\.\d)").unwrap();
    let cells: Vec<String> = roadmap
        .lines()
        .filter(|l| l.starts_with('\t'))
        .map(normalise)
        .filter(|c| designation.is_match(c) && !c.contains(", "))
        .collect();
    assert!(
        cells.len() > 70,
        "only {} designations found: has the seed changed?",
        cells.len()
    );
    for cell in cells {
        let id = RENAMED
            .iter()
            .find(|(from, _)| *from == cell)
            .map_or(cell.as_str(), |(_, to)| *to);
        let found = ids.contains(id)
            || ids
                .iter()
                .any(|i| i.ends_with(&format!(" {id}")) || i.starts_with(&format!("{id} ")));
        assert!(
            found,
            "{cell:?} of the roadmap's tables is not an item id in inputs/"
        );
    }
}
