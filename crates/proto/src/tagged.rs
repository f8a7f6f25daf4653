//! Internally and adjacently tagged enums and flattened fields, read and
//! written through a [`serde_json::Value`] instead of serde's private buffer.
//!
//! serde's own `#[serde(tag = "…")]`, `#[serde(flatten)]` and
//! `#[serde(untagged)]` read their input first into a buffer of their own
//! (`Content`) and then every type inside again from that buffer: each such
//! type's `Deserialize` was compiled once more for the buffer, and the
//! engine's worker, which read the whole lab document inside such an enum,
//! carried hundreds of KB of it. The types here keep the same JSON (files,
//! share links and messages read and write exactly as before) but are
//! derived in serde's plain forms with `#[serde(remote = "Self")]` (the
//! derive then makes inherent `serialize`/`deserialize` functions, not the
//! traits); their trait impls move the tag or the flattened fields between
//! the file's form and the plain one on a `Value`. Everything that reads
//! documents and messages reads them from a `Value` already
//! (`lanlab_doc::Lab::from_value`, `lanlab_sim::host::wire::decode`), so each type is
//! compiled for that one deserializer.

use serde::de::Error as DeError;
use serde::ser::Error as SerError;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// The JSON error type the plain derives read and write with.
type JsonError = serde_json::Error;

/// Reads an internally tagged enum (`{"<tag>": "ping", …fields}`) with
/// `plain`, the enum read in serde's default form (`{"ping": {…}}`, a unit
/// variant `"ping"`).
pub fn read<'de, D: Deserializer<'de>, T>(
    d: D,
    tag: &'static str,
    plain: impl Fn(Value) -> Result<T, JsonError>,
) -> Result<T, D::Error> {
    from_tagged(Value::deserialize(d)?, tag, plain).map_err(<D::Error as DeError>::custom)
}

/// An object's variant name, taken out of its `tag` field, and its other
/// fields.
fn take_tag(v: Value, tag: &'static str) -> Result<(String, Map<String, Value>), JsonError> {
    let Value::Object(mut fields) = v else {
        return Err(<JsonError as DeError>::custom(format_args!(
            "invalid type: {}, expected a map with a `{tag}` field",
            kind(&v)
        )));
    };
    match fields.shift_remove(tag) {
        Some(Value::String(name)) => Ok((name, fields)),
        Some(other) => Err(<JsonError as DeError>::custom(format_args!(
            "invalid type: {}, expected a variant name in `{tag}`",
            kind(&other)
        ))),
        None => Err(<JsonError as DeError>::missing_field(tag)),
    }
}

/// [`read`] from a `Value`.
pub fn from_tagged<T>(
    v: Value,
    tag: &'static str,
    plain: impl Fn(Value) -> Result<T, JsonError>,
) -> Result<T, JsonError> {
    let (name, fields) = take_tag(v, tag)?;
    let mut one = Map::new();
    one.insert(name.clone(), Value::Object(fields));
    match plain(Value::Object(one)) {
        Ok(t) => Ok(t),
        // A unit variant: other fields beside its tag are ignored, as
        // serde's tagged form ignores them.
        Err(e) => plain(Value::String(name)).map_err(|_| e),
    }
}

/// Writes an internally tagged enum: `plain` writes it in serde's default
/// form, which becomes `{"<tag>": "ping", …fields}`.
pub fn write<S: Serializer, T: ?Sized>(
    t: &T,
    s: S,
    tag: &str,
    plain: impl Fn(&T, serde_json::value::Serializer) -> Result<Value, JsonError>,
) -> Result<S::Ok, S::Error> {
    let v = plain(t, serde_json::value::Serializer).map_err(<S::Error as SerError>::custom)?;
    to_tagged(v, tag)
        .map_err(<S::Error as SerError>::custom)?
        .serialize(s)
}

/// A value in serde's default enum form, tagged as [`write`] writes it.
pub fn to_tagged(v: Value, tag: &str) -> Result<Value, String> {
    let mut out = Map::new();
    match v {
        Value::String(name) => {
            out.insert(tag.to_string(), Value::String(name));
        }
        Value::Object(one) if one.len() == 1 => {
            let (name, inner) = one.into_iter().next().expect("one entry");
            let Value::Object(fields) = inner else {
                return Err(format!("variant `{name}` holds no fields to tag"));
            };
            out.insert(tag.to_string(), Value::String(name));
            out.extend(fields);
        }
        other => return Err(format!("{} is not an enum's value", kind(&other))),
    }
    Ok(Value::Object(out))
}

/// Reads an adjacently tagged enum (`{"<tag>": "A", "<content>": …}`, the
/// two in either order) with `plain`, the enum read in serde's default
/// form (`{"A": …}`; without content, a unit variant `"A"`).
pub fn read_adjacent<'de, D: Deserializer<'de>, T>(
    d: D,
    tag: &'static str,
    content: &'static str,
    plain: impl Fn(Value) -> Result<T, JsonError>,
) -> Result<T, D::Error> {
    from_adjacent(Value::deserialize(d)?, tag, content, plain)
        .map_err(<D::Error as DeError>::custom)
}

/// [`read_adjacent`] from a `Value`.
pub fn from_adjacent<T>(
    v: Value,
    tag: &'static str,
    content: &'static str,
    plain: impl Fn(Value) -> Result<T, JsonError>,
) -> Result<T, JsonError> {
    let (name, mut fields) = take_tag(v, tag)?;
    match fields.shift_remove(content) {
        Some(inner) => {
            let mut one = Map::new();
            one.insert(name, inner);
            plain(Value::Object(one))
        }
        None => plain(Value::String(name)),
    }
}

/// Writes an adjacently tagged enum: `plain` writes it in serde's default
/// form, which becomes `{"<tag>": "A", "<content>": …}`.
pub fn write_adjacent<S: Serializer, T: ?Sized>(
    t: &T,
    s: S,
    tag: &str,
    content: &str,
    plain: impl Fn(&T, serde_json::value::Serializer) -> Result<Value, JsonError>,
) -> Result<S::Ok, S::Error> {
    let v = plain(t, serde_json::value::Serializer).map_err(<S::Error as SerError>::custom)?;
    let mut out = Map::new();
    match v {
        Value::String(name) => {
            out.insert(tag.to_string(), Value::String(name));
        }
        Value::Object(one) if one.len() == 1 => {
            let (name, inner) = one.into_iter().next().expect("one entry");
            out.insert(tag.to_string(), Value::String(name));
            out.insert(content.to_string(), inner);
        }
        other => {
            return Err(<S::Error as SerError>::custom(format_args!(
                "{} is not an enum's value",
                kind(&other)
            )));
        }
    }
    Value::Object(out).serialize(s)
}

/// Reads a struct with a flattened field: every field of `v` except `own`
/// moves into an object under `field`, which `plain` (the struct without
/// `flatten`) reads as an ordinary field.
pub fn read_flat<'de, D: Deserializer<'de>, T>(
    d: D,
    own: &[&str],
    field: &str,
    plain: impl Fn(Value) -> Result<T, JsonError>,
) -> Result<T, D::Error> {
    plain(nest(Value::deserialize(d)?, own, field)).map_err(<D::Error as DeError>::custom)
}

/// Writes a struct with a flattened field: `plain` writes it with `field`
/// as an object, whose fields then take its place.
pub fn write_flat<S: Serializer, T: ?Sized>(
    t: &T,
    s: S,
    field: &str,
    plain: impl Fn(&T, serde_json::value::Serializer) -> Result<Value, JsonError>,
) -> Result<S::Ok, S::Error> {
    let v = plain(t, serde_json::value::Serializer).map_err(<S::Error as SerError>::custom)?;
    unnest(v, field).serialize(s)
}

/// `v`'s fields except `own` moved into an object under `field` (anything
/// but an object is left as it is, for the reader to refuse).
pub fn nest(v: Value, own: &[&str], field: &str) -> Value {
    let Value::Object(fields) = v else {
        return v;
    };
    let mut out = Map::new();
    let mut inner = Map::new();
    for (k, v) in fields {
        if own.contains(&k.as_str()) {
            out.insert(k, v);
        } else {
            inner.insert(k, v);
        }
    }
    out.insert(field.to_string(), Value::Object(inner));
    Value::Object(out)
}

/// `v` with the object under `field` replaced by its fields, in its place.
pub fn unnest(v: Value, field: &str) -> Value {
    let Value::Object(fields) = v else {
        return v;
    };
    let mut out = Map::new();
    for (k, v) in fields {
        match v {
            Value::Object(inner) if k == field => out.extend(inner),
            v => {
                out.insert(k, v);
            }
        }
    }
    Value::Object(out)
}

/// Reads a plain string, or anything else with `other`: a field with an
/// old form that was a string (serde's `untagged`, without its buffer).
pub fn read_string_or<'de, D: Deserializer<'de>, T>(
    d: D,
    string: impl FnOnce(String) -> T,
    other: impl FnOnce(Value) -> Result<T, JsonError>,
) -> Result<T, D::Error> {
    match Value::deserialize(d)? {
        Value::String(s) => Ok(string(s)),
        v => other(v).map_err(<D::Error as DeError>::custom),
    }
}

/// The kind of JSON value, for error messages.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "sequence",
        Value::Object(_) => "map",
    }
}
