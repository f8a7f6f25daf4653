//! The lab's title in both languages, written the old way when it has one.
//!
//! Labs made before titles were translatable carry `"name": "S1 — …"`;
//! bilingual ones carry `"name": {"en": "…", "id": "…"}`. Both read; a title
//! with only one language is written back as a plain string, so such a lab's
//! file and link stay exactly what older versions wrote and read.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::activity::Text;

/// Writes the title: a plain string when it has no Indonesian.
pub(crate) fn serialize<S: Serializer>(t: &Text, s: S) -> Result<S::Ok, S::Error> {
    if t.id.is_empty() {
        s.serialize_str(&t.en)
    } else {
        t.serialize(s)
    }
}

/// Reads a plain-string (old) or two-language title.
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
    crate::tagged::read_string_or(
        d,
        |en| Text {
            en,
            id: String::new(),
        },
        Text::deserialize,
    )
}
