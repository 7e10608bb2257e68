//! `bodies.yaml`: unique ids, names and aliases that name one body each, parents that exist
//! and form no cycle.

use std::collections::HashMap;

use super::{FirstSeen, Validator};
use crate::diagnostic::nearest;
use crate::load::Sources;
use crate::model::{Bodies, Body, BodyId};

impl Validator<'_> {
    /// The bodies of `bodies.yaml`, parents resolved; repeated ids, clashing names, unknown
    /// parents and parent cycles are errors.
    pub(super) fn bodies(&mut self, sources: &Sources) -> Bodies {
        let mut seen = FirstSeen::default();
        let mut list = Vec::new();
        let mut located = Vec::new();
        for b in &sources.bodies {
            if let Some(first) = seen.repeat_of(&b.value.id, || b.loc()) {
                self.error(
                    b.loc_of("id"),
                    format!("duplicate body id `{}`", b.value.id),
                    format!("the id is already used at {first}; give each body its own id"),
                );
                continue;
            }
            list.push(Body {
                id: b.value.id.clone(),
                name: b.value.name.clone(),
                org: b.value.org.clone(),
                title: b.value.title.clone(),
                parent: None,
                aliases: b.value.aliases.clone(),
                source: b.loc(),
            });
            located.push(b);
        }
        let (mut bodies, clashes) = Bodies::new(list);
        for (body, name, other) in clashes {
            let other = bodies.get(other);
            self.error(
                bodies.get(body).source.clone(),
                format!("body name or alias `{name}` also names `{}`", other.name),
                format!("names are compared ignoring case and punctuation; remove or change one of them (the other is at {})", other.source),
            );
        }
        let ids: HashMap<String, BodyId> = bodies
            .all()
            .iter()
            .enumerate()
            .map(|(i, b)| (b.id.clone(), BodyId(i)))
            .collect();
        for (i, b) in located.iter().enumerate() {
            let Some(parent) = &b.value.parent else {
                continue;
            };
            match ids.get(parent) {
                Some(&p) => bodies.set_parent(BodyId(i), p),
                None => {
                    let help = match nearest(parent, ids.keys().map(String::as_str)) {
                        Some(n) => format!(
                            "`parent` takes a body id from bodies.yaml; did you mean `{n}`?"
                        ),
                        None => "`parent` takes a body id from bodies.yaml".to_string(),
                    };
                    self.error(
                        b.loc_of("parent"),
                        format!("unknown parent body `{parent}`"),
                        help,
                    );
                }
            }
        }
        for (i, b) in located.iter().enumerate() {
            if is_in_parent_cycle(&bodies, BodyId(i)) {
                self.error(
                    b.loc_of("parent"),
                    format!("body `{}` is its own ancestor through `parent`", b.value.id),
                    "remove the `parent` that closes the cycle",
                );
            }
        }
        bodies
    }
}

/// True when following `parent` from `body` comes back to `body`.
fn is_in_parent_cycle(bodies: &Bodies, body: BodyId) -> bool {
    let mut at = bodies.get(body).parent;
    for _ in 0..bodies.all().len() {
        match at {
            Some(p) if p == body => return true,
            Some(p) => at = bodies.get(p).parent,
            None => return false,
        }
    }
    false
}
