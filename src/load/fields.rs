//! The keys a serde struct accepts, read from its `Deserialize` implementation, so that the list
//! of allowed keys in messages can never drift from the structs themselves.

use serde::de::{self, Deserialize, Deserializer, Visitor};
use std::fmt;

/// The field names `T` declares to serde (empty for types that are not structs).
pub fn of<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(FieldsProbe {
        fields: &mut fields,
    });
    fields
}

struct FieldsProbe<'a> {
    fields: &'a mut &'static [&'static str],
}

#[derive(Debug)]
struct Stop;

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("probe")
    }
}

impl std::error::Error for Stop {}

impl de::Error for Stop {
    fn custom<M: fmt::Display>(_: M) -> Self {
        Stop
    }
}

impl<'de> Deserializer<'de> for FieldsProbe<'_> {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
        Err(Stop)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Stop> {
        *self.fields = fields;
        Err(Stop)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Sample {
        id: String,
        #[serde(rename = "type")]
        kind: Option<String>,
    }

    #[test]
    fn reads_serde_field_names() {
        assert_eq!(super::of::<Sample>(), &["id", "type"]);
        assert!(super::of::<String>().is_empty());
    }
}
