//! How a message travels between the page and the engine's worker: as JSON
//! text, written from and read through a [`serde_json::Value`].
//!
//! Why text and why through a `Value`: the page reads every lab document
//! (a file, a share link, the autosave) as JSON through a `Value`, since
//! the document's migrations work on it. Messages that take the same road
//! compile each type's `Serialize` and `Deserialize` once, for one
//! serializer and one deserializer: carried as JS objects built and read
//! field by field (`serde-wasm-bindgen`), every document type, and the
//! tagged enums' buffering, was compiled a second and third time into the
//! page. And a message is then one string for the browser to copy, not an
//! object tree made and read by a call across the wasm boundary per field.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A message as the text the other side reads with [`decode`].
///
/// Fails only for a value JSON cannot hold (a map whose keys are not
/// strings or numbers); the message types have none, which the host's
/// tests check on every kind of message.
pub fn encode<T: Serialize>(message: &T) -> Result<String, String> {
    serde_json::to_value(message)
        .map(|v| v.to_string())
        .map_err(|e| e.to_string())
}

/// A message from the text [`encode`] wrote, or why it is not one.
pub fn decode<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    serde_json::from_value(value).map_err(|e| e.to_string())
}

/// [`encode`] written straight to text, without the `Value` in between
/// (the same text: `Value`s keep their fields' order). For the engine's
/// worker, which writes what it answers this way (6.7 KB brotli smaller
/// than through a `Value`) and reads commands with [`decode`]: the
/// document's tagged enums read through a `Value` anyway
/// (`lanlab_doc::tagged`), so reading the whole message from one compiles
/// each type once.
pub fn write<T: Serialize>(message: &T) -> Result<String, String> {
    serde_json::to_string(message).map_err(|e| e.to_string())
}

/// The number of an envelope that does not [`decode`] (its command is
/// unknown to this engine), so its sender can still be answered.
pub fn envelope_id(text: &str) -> Option<u64> {
    serde_json::from_str::<Value>(text)
        .ok()?
        .get("id")?
        .as_u64()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::message::{Envelope, Post};

    #[test]
    fn an_unreadable_envelope_still_gives_its_number() {
        let text = r#"{"id":12,"cmd":{"cmd":"warp_drive"},"watched":[]}"#;
        assert!(decode::<Envelope>(text).is_err());
        assert_eq!(envelope_id(text), Some(12));
        assert_eq!(envelope_id("not json"), None);
        assert_eq!(envelope_id(r#"{"id":"twelve"}"#), None);
    }

    #[test]
    fn large_numbers_keep_every_digit() {
        // Job ids, times and event counts are u64: JSON text keeps them
        // exactly (a JS number would not above 2^53).
        let text = r#"{"id":18446744073709551615,"cmd":{"cmd":"seek","event":9007199254740993},"watched":[]}"#;
        let e: Envelope = decode(text).unwrap();
        assert_eq!(e.id, u64::MAX);
        assert_eq!(decode::<Envelope>(&encode(&e).unwrap()).unwrap(), e);
    }

    #[test]
    fn each_road_reads_what_the_other_wrote() {
        use crate::host::message::Command;
        let lab = crate::host::tests::lab();
        let e = Envelope {
            id: 3,
            cmd: Command::Load { lab: Box::new(lab) },
            watched: vec![],
            riders: vec![],
        };
        // The page writes through a `Value`, the worker straight: the same
        // text. Both read through a `Value`; straight from the text reads
        // the same too.
        assert_eq!(encode(&e).unwrap(), write(&e).unwrap());
        assert_eq!(
            serde_json::from_str::<Envelope>(&encode(&e).unwrap()).unwrap(),
            e
        );
        assert_eq!(decode::<Envelope>(&write(&e).unwrap()).unwrap(), e);
        let mut host = crate::host::EngineHost::default();
        let post = Post::Response(Box::new(host.serve(e)));
        assert_eq!(encode(&post).unwrap(), write(&post).unwrap());
        assert_eq!(decode::<Post>(&write(&post).unwrap()).unwrap(), post);
        assert_eq!(
            serde_json::from_str::<Post>(&encode(&post).unwrap()).unwrap(),
            post
        );
        assert!(matches!(post, Post::Response(ref r) if r.state.is_some()));
    }

    #[test]
    fn what_the_loader_script_posts_is_read() {
        // public/lanlab-worker_loader.js posts this when the engine cannot load.
        assert_eq!(
            decode::<Post>(r#"{"failed":{"error":"TypeError: Failed to fetch"}}"#).unwrap(),
            Post::Failed {
                error: "TypeError: Failed to fetch".into()
            }
        );
        assert!(decode::<Post>("{\"post\":").is_err());
    }
}
