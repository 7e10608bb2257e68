//! The document's logical structure, for a tagged PDF: headings, paragraphs, lists, tables and the
//! contents as a tree that screen readers, reflowing viewers and text extraction follow. The
//! layout opens a node for each block it lays out; every text run it draws belongs to the
//! innermost open node, or to none (an artifact: running header and footer, dot leaders, the
//! header row repeated on a new page).

use super::{Draw, Engine};

/// What a structure node is: the standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The whole document (the root).
    Document,
    /// A heading, level 1 to 6.
    Heading(u8),
    /// A paragraph (code blocks too).
    Paragraph,
    /// A table's caption.
    Caption,
    /// A list.
    List,
    /// A list item: its label and its body.
    ListItem,
    /// A list item's marker ("•", "3.").
    Label,
    /// A list item's content.
    ListBody,
    /// A table.
    Table,
    /// A table row.
    Row,
    /// A header cell (of a column).
    HeaderCell,
    /// A data cell.
    Cell,
    /// A block quote.
    Quote,
    /// The table of contents.
    Contents,
    /// An entry of the table of contents.
    ContentsEntry,
    /// A link: its text and its annotation.
    Link,
}

impl Role {
    /// The structure type as PDF names it.
    pub fn tag(self) -> &'static str {
        match self {
            Role::Document => "Document",
            Role::Heading(level) => match level {
                0 | 1 => "H1",
                2 => "H2",
                3 => "H3",
                4 => "H4",
                5 => "H5",
                _ => "H6",
            },
            Role::Paragraph => "P",
            Role::Caption => "Caption",
            Role::List => "L",
            Role::ListItem => "LI",
            Role::Label => "Lbl",
            Role::ListBody => "LBody",
            Role::Table => "Table",
            Role::Row => "TR",
            Role::HeaderCell => "TH",
            Role::Cell => "TD",
            Role::Quote => "BlockQuote",
            Role::Contents => "TOC",
            Role::ContentsEntry => "TOCI",
            Role::Link => "Link",
        }
    }
}

/// One node of the structure tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// What it is.
    pub role: Role,
    /// Its parent (none for the root), an index into [`Structure::nodes`].
    pub parent: Option<usize>,
}

/// The structure tree: nodes in document order, the root first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Structure {
    /// Every node; a node's children come after it, in reading order.
    pub nodes: Vec<Node>,
}

impl Default for Structure {
    fn default() -> Structure {
        Structure {
            nodes: vec![Node {
                role: Role::Document,
                parent: None,
            }],
        }
    }
}

impl Structure {
    /// The children of every node, in document order.
    pub fn children(&self) -> Vec<Vec<usize>> {
        let mut children = vec![Vec::new(); self.nodes.len()];
        for (i, node) in self.nodes.iter().enumerate() {
            if let Some(parent) = node.parent {
                children[parent].push(i);
            }
        }
        children
    }
}

/// Where new text goes in the structure while the layout runs.
#[derive(Debug, Default)]
pub(in crate::render::pdf) struct Tagging {
    /// The open nodes, innermost last (the root is always open).
    open: Vec<usize>,
    /// Above zero while drawing artifacts.
    artifact: usize,
    /// The last link drawn (its target, node and parent) while nothing else has been drawn
    /// since: a link broken over lines stays one link.
    last_link: Option<(String, usize, usize)>,
    /// A table made for the caption just drawn, for the table that follows it.
    captioned: Option<usize>,
}

impl Engine<'_> {
    /// Adds a node of `role` under the innermost open one, without opening it.
    pub(in crate::render::pdf) fn node(&mut self, role: Role) -> usize {
        let parent = Some(self.tagging.open.last().copied().unwrap_or(0));
        let nodes = &mut self.doc.structure.nodes;
        nodes.push(Node { role, parent });
        nodes.len() - 1
    }

    /// Opens `node`: what is drawn next belongs to it, until [`Engine::close`].
    pub(in crate::render::pdf) fn open(&mut self, node: usize) {
        self.tagging.open.push(node);
    }

    /// Closes the innermost open node.
    pub(in crate::render::pdf) fn close(&mut self) {
        self.tagging.open.pop();
    }

    /// Adds a node of `role` and opens it.
    pub(in crate::render::pdf) fn begin(&mut self, role: Role) -> usize {
        let node = self.node(role);
        self.open(node);
        node
    }

    /// Runs `f` inside a new node of `role`.
    pub(in crate::render::pdf) fn within<T>(
        &mut self,
        role: Role,
        f: impl FnOnce(&mut Self) -> T,
    ) -> T {
        let node = self.node(role);
        self.inside(node, f)
    }

    /// Runs `f` inside `node` (made earlier with [`Engine::node`]).
    pub(in crate::render::pdf) fn inside<T>(
        &mut self,
        node: usize,
        f: impl FnOnce(&mut Self) -> T,
    ) -> T {
        self.open(node);
        let out = f(self);
        self.close();
        out
    }

    /// A table for a caption about to be drawn: the caption goes in it, as its first child, and
    /// the table that follows takes it ([`Engine::table_node`]).
    pub(in crate::render::pdf) fn table_for_caption(&mut self) -> usize {
        let table = self.node(Role::Table);
        self.tagging.captioned = Some(table);
        table
    }

    /// The node of a table about to be laid out: its caption's, else a new one.
    pub(in crate::render::pdf) fn table_node(&mut self) -> usize {
        match self.tagging.captioned.take() {
            Some(table) => table,
            None => self.node(Role::Table),
        }
    }

    /// Opens the link node for a run linking to `target`: the one just drawn when it goes to
    /// the same target from the same parent (a link broken over lines), else a new one.
    pub(in crate::render::pdf) fn open_link(&mut self, target: &str) {
        let parent = self.tagging.open.last().copied().unwrap_or(0);
        let node = match &self.tagging.last_link {
            Some((t, node, p)) if t == target && *p == parent => *node,
            _ => self.node(Role::Link),
        };
        self.tagging.last_link = Some((target.to_string(), node, parent));
        self.open(node);
    }

    /// Something other than a link was drawn: the next link is a new one.
    pub(in crate::render::pdf) fn end_of_link(&mut self) {
        self.tagging.last_link = None;
    }

    /// Runs `f` with what it draws marked as an artifact (not part of the structure).
    pub(in crate::render::pdf) fn as_artifact(&mut self, f: impl FnOnce(&mut Self)) {
        self.tagging.artifact += 1;
        f(self);
        self.tagging.artifact -= 1;
    }

    /// `draw` with its node set to the innermost open one (none for an artifact).
    pub(super) fn tagged(&self, mut draw: Draw) -> Draw {
        let current =
            (self.tagging.artifact == 0).then(|| self.tagging.open.last().copied().unwrap_or(0));
        match &mut draw {
            Draw::Text { node, .. } | Draw::Link { node, .. } => *node = current,
            Draw::Fill { .. } | Draw::Rule { .. } => {}
        }
        draw
    }
}
