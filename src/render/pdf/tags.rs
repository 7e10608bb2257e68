//! The tagged PDF (ISO 32000-1, 14.8): the layout's structure tree written as structure elements,
//! each text run's marked content and each link annotation tied to its element, and the catalog
//! marked as tagged. Screen readers, reflowing viewers and text extraction then read headings,
//! lists, table cells and links in order, and skip the artifacts (running header and footer, dot
//! leaders, repeated table headers, rules and shading).

use std::collections::BTreeMap;

use lopdf::{dictionary, Dictionary, Object, ObjectId};

use super::layout::{Document, Draw, Role, Structure};

/// Where a piece of content comes in the document: page, then order on the page.
type Place = (usize, usize);

/// What a page's content stream and annotations hold of the structure.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PageMarks {
    /// The node of each marked-content sequence, by MCID, with its place.
    pub sequences: Vec<(usize, Place)>,
    /// The node of each link annotation, in the page's order, with its place (none for a link
    /// outside the structure).
    pub links: Vec<Option<(usize, Place)>>,
}

/// A structure element's content: a marked-content sequence or an annotation.
enum Content {
    Sequence { page: usize, mcid: usize },
    Annotation { page: usize, annotation: ObjectId },
}

/// Writes the structure tree of `doc` into `lo` (already holding its pages in order) and marks
/// the document as tagged.
pub fn add(lo: &mut lopdf::Document, doc: &Document, marks: &[PageMarks]) {
    let structure = &doc.structure;
    let pages: Vec<ObjectId> = lo.get_pages().into_values().collect();
    let root = lo.new_object_id();
    let elements: Vec<ObjectId> = structure.nodes.iter().map(|_| lo.new_object_id()).collect();
    let mut contents: Vec<Vec<(Place, Content)>> =
        structure.nodes.iter().map(|_| Vec::new()).collect();
    let mut parent_tree: BTreeMap<i64, Object> = BTreeMap::new();
    let link_texts = link_texts(doc);
    // Pages take the parent tree's first keys, annotations those after.
    let mut next_annotation_key = pages.len() as i64;
    for (page, (marks, &page_id)) in marks.iter().zip(&pages).enumerate() {
        let by_mcid = marks
            .sequences
            .iter()
            .map(|&(node, _)| Object::Reference(elements[node]))
            .collect::<Vec<_>>();
        parent_tree.insert(page as i64, Object::Array(by_mcid));
        for (mcid, &(node, place)) in marks.sequences.iter().enumerate() {
            contents[node].push((place, Content::Sequence { page, mcid }));
        }
        if let Ok(dict) = lo.get_dictionary_mut(page_id) {
            dict.set("StructParents", page as i64);
            dict.set("Tabs", "S");
        }
        let annotations = tie_annotations(lo, page_id, &marks.links, &link_texts);
        for (annotation, (node, place)) in annotations {
            let key = next_annotation_key;
            next_annotation_key += 1;
            if let Ok(dict) = lo.get_dictionary_mut(annotation) {
                dict.set("StructParent", key);
            }
            parent_tree.insert(key, Object::Reference(elements[node]));
            contents[node].push((place, Content::Annotation { page, annotation }));
        }
    }
    let kids = ordered_kids(structure, contents);
    for (node, kids) in kids.into_iter().enumerate() {
        let parent = structure.nodes[node].parent.map_or(root, |p| elements[p]);
        // The element's page is that of its first content: content there is named by its MCID
        // alone (most elements lie on one page), content elsewhere by a reference with its page.
        let home = kids.iter().find_map(|kid| match kid {
            Kid::Content(Content::Sequence { page, .. }) => Some(*page),
            _ => None,
        });
        let kids: Vec<Object> = kids
            .into_iter()
            .map(|kid| match kid {
                Kid::Element(child) => Object::Reference(elements[child]),
                Kid::Content(Content::Sequence { page, mcid }) if Some(page) == home => {
                    Object::Integer(mcid as i64)
                }
                Kid::Content(Content::Sequence { page, mcid }) => Object::Dictionary(dictionary! {
                    "Type" => "MCR",
                    "Pg" => pages[page],
                    "MCID" => mcid as i64,
                }),
                Kid::Content(Content::Annotation { page, annotation }) => {
                    Object::Dictionary(dictionary! {
                        "Type" => "OBJR",
                        "Pg" => pages[page],
                        "Obj" => annotation,
                    })
                }
            })
            .collect();
        let element = element(
            structure.nodes[node].role,
            parent,
            kids,
            home.map(|p| pages[p]),
        );
        lo.objects
            .insert(elements[node], Object::Dictionary(element));
    }
    let next_key = parent_tree.keys().last().map_or(0, |k| k + 1);
    let nums: Vec<Object> = parent_tree
        .into_iter()
        .flat_map(|(key, value)| [Object::Integer(key), value])
        .collect();
    let parent_tree = lo.add_object(dictionary! { "Nums" => nums });
    lo.objects.insert(
        root,
        Object::Dictionary(dictionary! {
            "Type" => "StructTreeRoot",
            "K" => elements[0],
            "ParentTree" => parent_tree,
            "ParentTreeNextKey" => next_key,
        }),
    );
    if let Ok(catalog) = lo.catalog_mut() {
        catalog.set("StructTreeRoot", root);
        catalog.set("MarkInfo", dictionary! { "Marked" => true });
    }
}

/// A structure element's dictionary.
/// A structure element's dictionary; `page` is where its content is, when it has some.
fn element(role: Role, parent: ObjectId, kids: Vec<Object>, page: Option<ObjectId>) -> Dictionary {
    // `Type` (optional) is left out, and the entries are made at once (sized once): a report
    // has thousands of elements.
    let scope = (role == Role::HeaderCell).then(|| {
        (
            "A",
            dictionary! { "O" => "Table", "Scope" => "Column" }.into(),
        )
    });
    let entries = [
        Some(("S", Object::Name(role.tag().into()))),
        Some(("P", parent.into())),
        Some(("K", only_or_all(kids))),
        page.map(|page| ("Pg", page.into())),
        scope,
    ];
    entries.into_iter().flatten().collect()
}

/// A single kid as itself (most elements have one: a paragraph's text, a cell's), else the array.
fn only_or_all(mut kids: Vec<Object>) -> Object {
    match kids.len() {
        1 => kids.remove(0),
        _ => Object::Array(kids),
    }
}

/// Moves the page's link annotations that belong to the structure into objects of their own (an
/// element refers to them), each with its link's text as its description. Returns them with
/// their node and place.
fn tie_annotations(
    lo: &mut lopdf::Document,
    page_id: ObjectId,
    links: &[Option<(usize, Place)>],
    link_texts: &BTreeMap<usize, String>,
) -> Vec<(ObjectId, (usize, Place))> {
    let Ok(Object::Array(annotations)) = lo
        .get_dictionary(page_id)
        .and_then(|page| page.get(b"Annots"))
        .cloned()
    else {
        return Vec::new();
    };
    let mut tied = Vec::new();
    let mut kept = Vec::with_capacity(annotations.len());
    for (annotation, link) in annotations
        .into_iter()
        .zip(links.iter().chain(std::iter::repeat(&None)))
    {
        match (annotation, link) {
            (Object::Dictionary(mut dict), Some((node, place))) => {
                if let Some(text) = link_texts.get(node) {
                    dict.set("Contents", Object::string_literal(text.as_str()));
                }
                let id = lo.add_object(dict);
                tied.push((id, (*node, *place)));
                kept.push(Object::Reference(id));
            }
            (other, _) => kept.push(other),
        }
    }
    if let Ok(page) = lo.get_dictionary_mut(page_id) {
        page.set("Annots", kept);
    }
    tied
}

/// The text of every link node.
fn link_texts(doc: &Document) -> BTreeMap<usize, String> {
    let mut texts: BTreeMap<usize, String> = BTreeMap::new();
    for draw in doc.pages.iter().flatten() {
        if let Draw::Text {
            text,
            node: Some(node),
            ..
        } = draw
        {
            if doc.structure.nodes[*node].role == Role::Link && !text.is_empty() {
                let entry = texts.entry(*node).or_default();
                if !entry.is_empty() {
                    entry.push(' ');
                }
                entry.push_str(text.trim());
            }
        }
    }
    texts
}

/// A structure element's kid.
enum Kid {
    Element(usize),
    Content(Content),
}

/// Every node's kids in reading order: its child elements and its own content merged by where
/// each first appears (a child with no content stays after its elder sibling).
fn ordered_kids(structure: &Structure, mut contents: Vec<Vec<(Place, Content)>>) -> Vec<Vec<Kid>> {
    let children = structure.children();
    let mut first: Vec<Option<Place>> = contents
        .iter()
        .map(|c| c.iter().map(|(place, _)| *place).min())
        .collect();
    for node in (1..structure.nodes.len()).rev() {
        if let (Some(parent), Some(place)) = (structure.nodes[node].parent, first[node]) {
            first[parent] = Some(first[parent].map_or(place, |p| p.min(place)));
        }
    }
    children
        .iter()
        .zip(contents.iter_mut())
        .map(|(children, contents)| {
            contents.sort_by_key(|(place, _)| *place);
            let mut own = std::mem::take(contents).into_iter().peekable();
            let mut kids = Vec::with_capacity(children.len() + own.len());
            for &child in children {
                if let Some(at) = first[child] {
                    while let Some((_, content)) = own.next_if(|(place, _)| *place < at) {
                        kids.push(Kid::Content(content));
                    }
                }
                kids.push(Kid::Element(child));
            }
            kids.extend(own.map(|(_, content)| Kid::Content(content)));
            kids
        })
        .collect()
}
