//! The PDF outline (bookmarks), nested like the headings, added to the document printpdf built
//! (printpdf's own bookmarks are flat and sorted by name).

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::layout::Heading;

/// Adds the outline of `headings` to `doc`; `page_height` turns tops into PDF coordinates.
pub fn add(doc: &mut Document, headings: &[Heading], page_height: f32) {
    if headings.is_empty() {
        return;
    }
    let pages = doc.get_pages();
    let root = doc.new_object_id();
    let ids: Vec<ObjectId> = headings.iter().map(|_| doc.new_object_id()).collect();
    let parents = parents(headings);
    let children = |p: Option<usize>| -> Vec<usize> {
        (0..headings.len()).filter(|&i| parents[i] == p).collect()
    };
    for (i, h) in headings.iter().enumerate() {
        let siblings = children(parents[i]);
        let pos = siblings.iter().position(|&s| s == i).unwrap_or(0);
        let mut item = Dictionary::new();
        item.set("Title", text_string(&h.label()));
        item.set("Parent", parents[i].map(|p| ids[p]).unwrap_or(root));
        if pos > 0 {
            item.set("Prev", ids[siblings[pos - 1]]);
        }
        if let Some(&next) = siblings.get(pos + 1) {
            item.set("Next", ids[next]);
        }
        let kids = children(Some(i));
        if let (Some(&first), Some(&last)) = (kids.first(), kids.last()) {
            item.set("First", ids[first]);
            item.set("Last", ids[last]);
            item.set("Count", -(kids.len() as i64));
        }
        if let Some(&page) = pages.get(&(h.at.0 as u32 + 1)) {
            let top = Object::Real(page_height - h.at.1 + 4.0);
            item.set(
                "Dest",
                vec![page.into(), "XYZ".into(), Object::Null, top, Object::Null],
            );
        }
        doc.set_object(ids[i], item);
    }
    let top = children(None);
    let mut outlines = Dictionary::new();
    outlines.set("Type", "Outlines");
    outlines.set("First", ids[top[0]]);
    outlines.set("Last", ids[*top.last().unwrap_or(&top[0])]);
    outlines.set("Count", top.len() as i64);
    doc.set_object(root, outlines);
    if let Ok(catalog) = doc.catalog_mut() {
        catalog.set("Outlines", root);
        catalog.set("PageMode", "UseOutlines");
    }
}

/// For each heading, the index of the nearest earlier heading of a lower level.
fn parents(headings: &[Heading]) -> Vec<Option<usize>> {
    let mut stack: Vec<usize> = Vec::new();
    headings
        .iter()
        .enumerate()
        .map(|(i, h)| {
            while stack.last().is_some_and(|&s| headings[s].level >= h.level) {
                stack.pop();
            }
            let parent = stack.last().copied();
            stack.push(i);
            parent
        })
        .collect()
}

/// A PDF text string: UTF-16BE with a byte-order mark.
pub fn text_string(text: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(bytes, lopdf::StringFormat::Hexadecimal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(level: u8) -> Heading {
        Heading {
            level,
            number: None,
            title: String::new(),
            anchor: String::new(),
            at: (0, 0.0),
        }
    }

    #[test]
    fn parents_follow_levels() {
        let hs = [h(1), h(2), h(3), h(2), h(1), h(3)];
        assert_eq!(
            parents(&hs),
            vec![None, Some(0), Some(1), Some(0), None, Some(4)]
        );
    }
}
