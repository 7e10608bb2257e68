//! Work items and landscape files: statuses, priorities, dates, body names and topic ids, and item
//! ids unique across all files.

use super::{FirstSeen, Validator, APPROVAL, DATE_HELP, PRIORITY};
use crate::diagnostic::{Diagnostic, SourceLoc};
use crate::load::raw::{RawLandscapeFile, RawLandscapeItem, RawWorkItem};
use crate::load::{LandscapeSource, Located, Sources};
use crate::model::*;

impl Validator<'_> {
    /// A work item of `work-programme.yaml`; `None` when a required value is invalid, or a value
    /// was missing or wrongly typed (the others are checked all the same).
    pub(super) fn work_item(
        &mut self,
        w: &Located<RawWorkItem>,
        bodies: &Bodies,
        taxonomy: &Taxonomy,
    ) -> Option<WorkItem> {
        let raw = &w.value;
        let status = self.status(w, &raw.status);
        let priority =
            (raw.priority.as_deref()).and_then(|p| self.one_of(w, "priority", p, &PRIORITY));
        let approval =
            (raw.approval.as_deref()).and_then(|a| self.one_of(w, "approval", a, &APPROVAL));
        let timing = self.date(
            raw.timing.as_ref().map(|t| t.0.as_str()),
            || w.loc_of("timing"),
            "timing",
            DATE_HELP,
        );
        let liaisons = raw
            .liaisons
            .iter()
            .enumerate()
            .filter_map(|(i, name)| {
                let body = self.body_ref(bodies, w, &format!("liaisons[{i}]"), name, "liaison")?;
                Some(Liaison {
                    as_written: name.clone(),
                    body,
                })
            })
            .collect();
        self.topic_refs(taxonomy, w, &raw.topics, &raw.exclude_topics);
        if !w.is_complete() {
            return None;
        }
        Some(WorkItem {
            id: raw.id.0.clone(),
            title: raw.title.clone(),
            status: status?,
            stage: raw.stage.clone(),
            kind: raw.kind.clone(),
            approval,
            priority,
            timing,
            liaisons,
            base_text: raw.base_text.as_ref().map(|b| b.0.clone()),
            editors: raw.editors.clone(),
            summary: raw.summary.clone(),
            notes: raw.notes.clone(),
            topics: raw.topics.clone(),
            exclude_topics: raw.exclude_topics.clone(),
            source: w.loc(),
        })
    }

    /// A landscape file and its items; `None` when the file's body is unknown.
    pub(super) fn landscape_file(
        &mut self,
        f: &LandscapeSource,
        bodies: &Bodies,
        taxonomy: &Taxonomy,
    ) -> Option<LandscapeFile> {
        let raw = &f.file.value;
        if let Some(markdown) = &f.markdown {
            self.markdown(&f.file.loc().file, markdown);
        }
        let body = self.body_ref(bodies, &f.file, "body", &raw.body, "body");
        if let Some(body) = body {
            self.file_org(&f.file, bodies.get(body), bodies);
        }
        let items = f
            .items
            .iter()
            .filter_map(|i| self.landscape_item(i, &raw.org, body, bodies, taxonomy))
            .collect();
        Some(LandscapeFile {
            org: raw.org.clone(),
            body: body?,
            notes: raw.notes.clone(),
            narrative: f
                .markdown
                .as_ref()
                .map(|m| m.text.clone())
                .filter(|m| !m.trim().is_empty()),
            source: SourceLoc::file(f.file.loc().file),
            items,
        })
    }

    /// Warns when a landscape file's `org` is not the org bodies.yaml gives the file's body: its
    /// items would be filed, and counted in coverage.csv, under another organisation (`itu-t`
    /// beside `ITU-T`). The file's org is still the one used.
    fn file_org(&mut self, file: &Located<RawLandscapeFile>, body: &Body, bodies: &Bodies) {
        let org = &file.value.org;
        if *org == body.org {
            return;
        }
        // A known org written another way (`itu-t` for `ITU-T`).
        let spelt_otherwise =
            |known: &&Body| known.org != *org && normalise_name(&known.org) == normalise_name(org);
        let as_bodies = format!(
            "as bodies.yaml does for {}, or correct bodies.yaml",
            body.name
        );
        let help = match bodies.all().iter().find(spelt_otherwise) {
            Some(known) if known.org == body.org => {
                format!("did you mean `{}`? write it so, {as_bodies}", body.org)
            }
            Some(known) => format!(
                "write `{}`, {as_bodies} (did you mean `{}`, another org of bodies.yaml?)",
                body.org, known.org
            ),
            None => format!("write `{}`, {as_bodies}", body.org),
        };
        self.diags.push(
            Diagnostic::warning(
                file.loc_of("org"),
                format!(
                    "org `{org}` is not the org of {}: bodies.yaml gives `{}`",
                    body.name, body.org
                ),
            )
            .with_help(help),
        );
    }

    /// Warns when an item's own `body` is of another org than its file's: the item is filed, and
    /// counted in coverage.csv, under the file's org. (When the file's body is of that org too,
    /// the file's `org` is what is wrong, and [`Self::file_org`] says so.)
    fn item_org(
        &mut self,
        item: &Located<RawLandscapeItem>,
        body: &Body,
        org: &str,
        file_body: Option<&Body>,
    ) {
        if body.org == org || file_body.is_some_and(|f| f.org == body.org) {
            return;
        }
        self.diags.push(
            Diagnostic::warning(
                item.loc_of("body"),
                format!(
                    "body {} is of org `{}` (bodies.yaml), but this file's org is `{org}`: the item is filed and counted under `{org}`",
                    body.name, body.org
                ),
            )
            .with_help(format!(
                "move the item to a landscape file of {}, or correct the org of {} in bodies.yaml",
                body.org, body.name
            )),
        );
    }

    /// A landscape item; its body defaults to the file's. `None` as for a work item.
    fn landscape_item(
        &mut self,
        i: &Located<RawLandscapeItem>,
        org: &str,
        file_body: Option<BodyId>,
        bodies: &Bodies,
        taxonomy: &Taxonomy,
    ) -> Option<LandscapeItem> {
        let raw = &i.value;
        let status = self.status(i, &raw.status);
        let date = self.date(
            raw.date.as_ref().map(|d| d.0.as_str()),
            || i.loc_of("date"),
            "date",
            DATE_HELP,
        );
        let body = match &raw.body {
            Some(name) => {
                let body = self.body_ref(bodies, i, "body", name, "body");
                if let Some(b) = body {
                    let file_body = file_body.map(|f| bodies.get(f));
                    self.item_org(i, bodies.get(b), org, file_body);
                }
                body
            }
            None => file_body,
        };
        let joint_with = raw
            .joint_with
            .iter()
            .enumerate()
            .filter_map(|(k, name)| {
                self.body_ref(bodies, i, &format!("joint_with[{k}]"), name, "joint body")
            })
            .collect();
        self.topic_refs(taxonomy, i, &raw.topics, &raw.exclude_topics);
        self.links(i, &raw.links);
        if !i.is_complete() {
            return None;
        }
        Some(LandscapeItem {
            id: raw.id.0.clone(),
            title: raw.title.clone(),
            status: status?,
            stage: raw.stage.clone(),
            kind: raw.kind.clone(),
            date,
            summary: raw.summary.clone(),
            notes: raw.notes.clone(),
            org: org.to_string(),
            body: body?,
            joint_with,
            topics: raw.topics.clone(),
            exclude_topics: raw.exclude_topics.clone(),
            links: raw.links.clone(),
            source: i.loc(),
        })
    }

    /// Warns of a link the report cannot make clickable (only `http://` and `https://` addresses
    /// become links; any other is shown as text) and of a space in an address.
    fn links<T>(&mut self, i: &Located<T>, links: &[String]) {
        for (k, link) in links.iter().enumerate() {
            let web = crate::model::is_web_address(link);
            let (message, help) = if web && link.contains(char::is_whitespace) {
                (
                    format!("link `{link}` holds a space, where readers may cut the address"),
                    "write a space in an address as %20".to_string(),
                )
            } else if web {
                continue;
            } else {
                // `www.w3.org/TR/did-core/`: a host name, then perhaps a path.
                let host = link.split('/').next().unwrap_or("");
                let near = host.contains('.')
                    && host.starts_with(|c: char| c.is_ascii_alphanumeric())
                    && !link.contains([':', ' ']);
                (
                    format!("link `{link}` is not a web address, so the report shows it as text"),
                    if near {
                        format!("did you mean `https://{link}`?")
                    } else {
                        "write the full web address, starting with https://".to_string()
                    },
                )
            };
            self.diags.push(
                Diagnostic::warning(i.loc_of(&format!("links[{k}]")), message).with_help(help),
            );
        }
    }

    /// Item ids must be unique across the work programme and every landscape file, compared
    /// ignoring case and punctuation as body names are ([`normalise_name`]: `X 9999` and `X_9999`
    /// would share one anchor in the report). Checked on every item read with an id, including
    /// those the model leaves out for another problem, so that a repeated id is reported in the
    /// same run.
    pub(super) fn duplicate_item_ids(&mut self, sources: &Sources) {
        let mut seen = FirstSeen::default();
        let work_items = sources
            .work_items
            .iter()
            .map(|w| (w.is_broken("id"), &w.value.id.0, w.loc()));
        let landscape = (sources.landscape.iter().flat_map(|f| &f.items))
            .map(|i| (i.is_broken("id"), &i.value.id.0, i.loc()));
        for (_, id, loc) in work_items.chain(landscape).filter(|(broken, _, _)| !broken) {
            let Some((first_id, first)) = seen.repeat_by(normalise_name(id), id, || loc.clone())
            else {
                continue;
            };
            let fix =
                "give one of them another id (or merge them, using `joint_with` for joint work)";
            let (message, help) = if first_id == id {
                (
                    format!("duplicate item id `{id}`"),
                    format!(
                        "also defined at {first}; item ids must be unique across all files: {fix}"
                    ),
                )
            } else {
                (
                    format!("duplicate item id `{id}`: `{first_id}` differs only in case or punctuation"),
                    format!("`{first_id}` is defined at {first}; item ids are compared ignoring case and punctuation, as body names are: {fix}"),
                )
            };
            self.error(loc, message, help);
        }
    }
}
