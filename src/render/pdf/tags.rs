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
#[derive(Clone, Copy)]
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
    let mut parent_tree = ParentTree::new(pages.len());
    let link_texts = link_texts(doc);
    for (page, (marks, &page_id)) in marks.iter().zip(&pages).enumerate() {
        parent_tree.page(
            page,
            marks.sequences.iter().map(|&(node, _)| elements[node]),
        );
        for (mcid, &(node, place)) in marks.sequences.iter().enumerate() {
            contents[node].push((place, Content::Sequence { page, mcid }));
        }
        if let Ok(dict) = lo.get_dictionary_mut(page_id) {
            dict.set("StructParents", page as i64);
            dict.set("Tabs", "S");
        }
        for (annotation, (node, place)) in tie_annotations(lo, page_id, &marks.links, &link_texts) {
            let key = parent_tree.annotation(elements[node]);
            if let Ok(dict) = lo.get_dictionary_mut(annotation) {
                dict.set("StructParent", key);
            }
            contents[node].push((place, Content::Annotation { page, annotation }));
        }
    }
    // A report has thousands of elements: their dictionaries are made on every core.
    let kids: Vec<(usize, Vec<Kid>)> = ordered_kids(structure, contents)
        .into_iter()
        .enumerate()
        .collect();
    let made = crate::parallel::map_balanced(
        &kids,
        || (),
        |(), (node, kids)| {
            let parent = structure.nodes[*node].parent.map_or(root, |p| elements[p]);
            element(structure.nodes[*node].role, parent, kids, &elements, &pages)
        },
    );
    for (id, element) in elements.iter().zip(made) {
        lo.objects.insert(*id, Object::Dictionary(element));
    }
    let parent_tree = parent_tree.write(lo);
    lo.objects.insert(
        root,
        Object::Dictionary(dictionary! {
            "Type" => "StructTreeRoot",
            "K" => elements[0],
            "ParentTree" => parent_tree.0,
            "ParentTreeNextKey" => parent_tree.1,
        }),
    );
    if let Ok(catalog) = lo.catalog_mut() {
        catalog.set("StructTreeRoot", root);
        catalog.set("MarkInfo", dictionary! { "Marked" => true });
    }
}

/// The parent tree: from each page's marked content (by MCID) and from each annotation to its
/// element. Pages take the first keys (their index), annotations those after.
struct ParentTree {
    entries: BTreeMap<i64, Object>,
    next_annotation_key: i64,
}

impl ParentTree {
    fn new(pages: usize) -> ParentTree {
        ParentTree {
            entries: BTreeMap::new(),
            next_annotation_key: pages as i64,
        }
    }

    /// The elements of page `page`'s marked content, in MCID order.
    fn page(&mut self, page: usize, elements: impl Iterator<Item = ObjectId>) {
        let by_mcid = elements.map(Object::Reference).collect();
        self.entries.insert(page as i64, Object::Array(by_mcid));
    }

    /// An annotation of `element`; returns its key (the annotation's `StructParent`).
    fn annotation(&mut self, element: ObjectId) -> i64 {
        let key = self.next_annotation_key;
        self.next_annotation_key += 1;
        self.entries.insert(key, Object::Reference(element));
        key
    }

    /// Writes it as a number tree; returns it and the next free key.
    fn write(self, lo: &mut lopdf::Document) -> (ObjectId, i64) {
        let nums: Vec<Object> = (self.entries.into_iter())
            .flat_map(|(key, value)| [Object::Integer(key), value])
            .collect();
        (
            lo.add_object(dictionary! { "Nums" => nums }),
            self.next_annotation_key,
        )
    }
}

/// A structure element's dictionary, its `kids` given as objects: its page is that of its first
/// content, which is named there by its MCID alone (most elements lie on one page), elsewhere by
/// a reference with its page.
fn element(
    role: Role,
    parent: ObjectId,
    kids: &[Kid],
    elements: &[ObjectId],
    pages: &[ObjectId],
) -> Dictionary {
    let home = kids.iter().find_map(|kid| match kid {
        Kid::Content(Content::Sequence { page, .. }) => Some(*page),
        _ => None,
    });
    let kids: Vec<Object> = (kids.iter())
        .map(|kid| match *kid {
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
        home.map(|page| ("Pg", pages[page].into())),
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
    let annotations = match lo
        .get_dictionary_mut(page_id)
        .and_then(|page| page.get_mut(b"Annots"))
    {
        Ok(Object::Array(annotations)) => std::mem::take(annotations),
        _ => return Vec::new(),
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
#[derive(Clone, Copy)]
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
