//! Decoding a parsed mapping into the loader's typed structs, with every unknown key, missing or
//! blank required key and wrongly typed value reported at its line.

use super::*;

/// A kind of YAML mapping the loader decodes into a typed struct: what to call it in messages and
/// which keys it requires. Allowed keys are the struct's serde fields.
pub trait Shape: DeserializeOwned {
    /// What a user calls this mapping ("landscape item", "report.yaml").
    const WHAT: &'static str;
    /// Keys that must be present.
    const REQUIRED: &'static [&'static str];
    /// Keys whose values are prose (`title`, `summary`, `notes`): a value cut short by a ` #`
    /// on its line is warned of. Not codes, names or dates, after which a comment is common.
    const PROSE: &'static [&'static str];
    /// Every key the struct accepts.
    fn allowed() -> &'static [&'static str] {
        crate::load::fields::of::<Self>()
    }
}

/// Decodes the mapping at `path` of a document into `T`, reporting every unknown key (with the
/// nearest allowed key), every missing required key and every wrongly typed value. Returns `None`
/// when the mapping cannot be used or had any of these errors.
pub fn decode<T: Shape>(
    value: &Value,
    index: &LineIndex,
    path: &str,
    diags: &mut Diagnostics,
) -> Option<T> {
    decode_partly::<T>(value, index, path, diags)
        .and_then(|(value, broken)| broken.is_empty().then_some(value))
}

/// Like [`decode`], but a mapping with a missing required key or a wrongly typed value is still
/// decoded (each error reported): the keys in the returned list are not as written (a missing
/// required key holds an empty placeholder, a wrongly typed one a placeholder or nothing), so
/// that the other values can still be checked and every problem of the mapping is reported in
/// one run. `None` when the mapping cannot be decoded at all.
pub fn decode_partly<T: Shape>(
    value: &Value,
    index: &LineIndex,
    path: &str,
    diags: &mut Diagnostics,
) -> Option<(T, Vec<String>)> {
    let Value::Mapping(mapping) = value else {
        diags.push(
            Diagnostic::error(
                index.loc(path),
                format!(
                    "a {} must be a mapping of keys to values, found {}",
                    T::WHAT,
                    kind_of(value)
                ),
            )
            .with_help(format!(
                "write it as `key: value` lines; keys: {}",
                T::allowed().join(", ")
            )),
        );
        return None;
    };
    if !index.cut.is_empty() {
        for key in T::PROSE {
            index.warn_if_cut(path, key, diags);
        }
    }
    let blank = report_blank_keys::<T>(mapping, index, path, diags);
    // The common case, a correct mapping, is decoded without copying it.
    if let Ok(value) = T::deserialize(value) {
        return Some((value, blank));
    }
    let mut mapping = mapping.clone();
    report_unknown_keys::<T>(&mut mapping, index, path, diags);
    let missing = report_missing_keys::<T>(&mapping, index, path, diags);
    for key in &missing {
        mapping.insert(Value::from(key.as_str()), Value::from(""));
    }
    let (value, mut broken) =
        deserialize_reporting_types::<T>(mapping, missing, index, path, diags)?;
    broken.extend(blank);
    Some((value, broken))
}

/// Reports each required key whose text is empty or only spaces, and an `id` with spaces around
/// it (`"  X.1401  "` would be another id than `X.1401`, hiding a duplicate); returns those keys.
fn report_blank_keys<T: Shape>(
    mapping: &Mapping,
    index: &LineIndex,
    path: &str,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let mut blank = Vec::new();
    for key in T::REQUIRED {
        let Some(Value::String(text)) = mapping.get(*key) else {
            continue;
        };
        let trimmed = text.trim();
        let (message, help) = if trimmed.is_empty() {
            (
                format!("`{key}` of {} must not be empty", with_article(T::WHAT)),
                format!(
                    "give `{key}` a value; required keys: {}",
                    T::REQUIRED.join(", ")
                ),
            )
        } else if *key == "id" && trimmed != text {
            (
                format!("id `{text}` has spaces around it"),
                format!("write `{trimmed}`: with the spaces it would be another id"),
            )
        } else {
            continue;
        };
        diags.push(Diagnostic::error(index.loc(&join(path, key)), message).with_help(help));
        blank.push(key.to_string());
    }
    blank
}

fn report_unknown_keys<T: Shape>(
    mapping: &mut Mapping,
    index: &LineIndex,
    path: &str,
    diags: &mut Diagnostics,
) {
    let allowed = T::allowed();
    let unknown: Vec<Value> = mapping
        .keys()
        .filter(|k| !k.as_str().is_some_and(|k| allowed.contains(&k)))
        .cloned()
        .collect();
    for key in unknown {
        mapping.remove(&key);
        let name = key_text(&key);
        let help = match nearest(&name, allowed.iter().copied()) {
            Some(near) => format!(
                "did you mean `{near}`? allowed keys: {}",
                allowed.join(", ")
            ),
            None => format!("remove it, or use one of: {}", allowed.join(", ")),
        };
        diags.push(
            Diagnostic::error(
                index.loc(&join(path, &name)),
                format!("unknown key `{name}` in {}", with_article(T::WHAT)),
            )
            .with_help(help),
        );
    }
}

/// Reports each required key the mapping lacks (or gives no value: `key:`), and returns them.
fn report_missing_keys<T: Shape>(
    mapping: &Mapping,
    index: &LineIndex,
    path: &str,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let mut missing = Vec::new();
    for key in T::REQUIRED {
        let present = mapping.get(*key).is_some_and(|v| !v.is_null());
        if !present {
            missing.push(key.to_string());
            diags.push(
                Diagnostic::error(
                    index.loc(path),
                    format!("missing required key `{key}` in {}", with_article(T::WHAT)),
                )
                .with_help(format!(
                    "add `{key}: ...`; required keys: {}",
                    T::REQUIRED.join(", ")
                )),
            );
        }
    }
    missing
}

/// Deserialises, and on a type error reports it at the offending key, drops that key (or, for a
/// required key, puts an empty placeholder in its place) and tries again, so that every badly
/// typed value of the mapping is reported in one run. `placeholders` are the keys already
/// filled in (missing required keys); the value comes with every key that is not as written.
fn deserialize_reporting_types<T: Shape>(
    mut mapping: Mapping,
    mut placeholders: Vec<String>,
    index: &LineIndex,
    path: &str,
    diags: &mut Diagnostics,
) -> Option<(T, Vec<String>)> {
    let mut broken = placeholders.clone();
    for _ in 0..=2 * mapping.len() {
        let result: Result<T, _> =
            serde_path_to_error::deserialize(Value::Mapping(mapping.clone()));
        let err = match result {
            Ok(v) => return Some((v, broken)),
            Err(err) => err,
        };
        let sub = err.path().to_string();
        let top = sub.split(['.', '[']).next().unwrap_or("").to_string();
        if placeholders.contains(&top) {
            // The text placeholder did not fit either: try an empty list once, then stop.
            if mapping.get(top.as_str()).is_some_and(Value::is_sequence) {
                return None;
            }
            mapping.insert(Value::from(top), Value::Sequence(Vec::new()));
            continue;
        }
        broken.push(top.clone());
        let full = if sub == "." {
            path.to_string()
        } else {
            join(path, &sub)
        };
        let what = if sub == "." { T::WHAT } else { &sub };
        diags.push(
            Diagnostic::error(index.loc(&full), format!("`{what}`: {}", err.inner()))
                .with_help(type_help(&err.inner().to_string())),
        );
        if T::REQUIRED.contains(&top.as_str()) {
            mapping.insert(Value::from(top.clone()), Value::from(""));
            placeholders.push(top);
        } else if mapping.remove(top.as_str()).is_none() {
            return None;
        }
    }
    None
}

fn type_help(message: &str) -> String {
    if message.contains("expected a sequence") {
        "write a list: `[a, b]` or one `- item` per line".to_string()
    } else if message.contains("expected a string") || message.contains("expected text") {
        "write plain text here (quote it if it contains `: ` or starts with a special character)"
            .to_string()
    } else {
        "change the value to the expected type".to_string()
    }
}

fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other)
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|_| "?".to_string()),
    }
}

/// `what` with its article: "a landscape item", "an item", but "report.yaml" (a file's name).
fn with_article(what: &str) -> String {
    if what.ends_with(".yaml") || what.ends_with(".md") {
        what.to_string()
    } else if what.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {what}")
    } else {
        format!("a {what}")
    }
}

/// A short name for the YAML type of `value`, for messages.
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}
