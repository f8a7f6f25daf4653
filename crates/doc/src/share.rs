//! Share links: a lab document in a URL fragment.
//!
//! `#v1.<data>` where data is the lab's lean JSON ([`Lab::to_json_lean`]:
//! derivable port names and MACs and default values left out), compressed with raw
//! DEFLATE and written in URL-safe base64 without padding. The `v1.` prefix
//! versions the *encoding*; the document inside carries its own schema
//! `version` and is migrated by [`Lab::from_json`]. Decoding caps the inflated
//! size, so a decompression bomb is refused, and never panics.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::lab::{Lab, LabError};

/// The encoding version this build writes.
pub const LINK_ENCODING: u32 = 1;

/// The largest document a link may inflate to.
pub const MAX_INFLATED: usize = 4 << 20;

/// The longest link text accepted, before decoding.
pub const MAX_LINK_CHARS: usize = 2 << 20;

/// Above this many characters a link is unwieldy: suggest saving a file.
pub const LONG_LINK_CHARS: usize = 32 * 1024;

/// Why a share link cannot be opened, worded so the user knows what to do.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ShareError {
    /// No lab in the link.
    #[error("the link holds no lab")]
    Empty,
    /// Not a lanlab link.
    #[error("this is not a lanlab lab link")]
    NotALink,
    /// Made by a newer lanlab.
    #[error(
        "this link was made with a newer lanlab (link format {0}); open it there or ask for a file"
    )]
    NewerEncoding(u32),
    /// The link is longer than any real lab.
    #[error("the link is too long ({0} characters)")]
    TooLong(usize),
    /// Characters that are not URL-safe base64: mangled when copied.
    #[error("the link is damaged (it has characters a lanlab link never has); copy it again")]
    BadText,
    /// The compressed data is cut short or corrupt.
    #[error("the link is damaged or cut short; copy the whole link again")]
    Corrupt,
    /// The data inflates past [`MAX_INFLATED`].
    #[error("the link's lab is larger than {limit} bytes, more than any lab needs")]
    TooLarge {
        /// The cap.
        limit: usize,
    },
    /// The data is a damaged or invalid lab.
    #[error("{0}")]
    Lab(#[from] LabError),
}

/// The link fragment (without `#`) for a lab.
pub fn encode(lab: &Lab) -> String {
    let json = lab.to_json_lean();
    let packed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 10);
    format!("v{LINK_ENCODING}.{}", URL_SAFE_NO_PAD.encode(packed))
}

/// Reads a link fragment (with or without the leading `#`).
///
/// # Errors
/// A [`ShareError`] naming what is wrong; nothing is changed.
pub fn decode(fragment: &str) -> Result<Lab, ShareError> {
    let text = fragment.trim().trim_start_matches('#');
    if text.is_empty() {
        return Err(ShareError::Empty);
    }
    if text.len() > MAX_LINK_CHARS {
        return Err(ShareError::TooLong(text.len()));
    }
    let (prefix, data) = text.split_once('.').ok_or(ShareError::NotALink)?;
    let version: u32 = prefix
        .strip_prefix('v')
        .and_then(|v| v.parse().ok())
        .ok_or(ShareError::NotALink)?;
    if version > LINK_ENCODING {
        return Err(ShareError::NewerEncoding(version));
    }
    if version == 0 {
        return Err(ShareError::NotALink);
    }
    if data.is_empty() {
        return Err(ShareError::Empty);
    }
    let packed = URL_SAFE_NO_PAD
        .decode(data.trim_end_matches('='))
        .map_err(|e| match e {
            // A character no link has: mangled when copied.
            base64::DecodeError::InvalidByte(..) => ShareError::BadText,
            // A length or last symbol no whole link has: cut short.
            _ => ShareError::Corrupt,
        })?;
    let json =
        miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_INFLATED).map_err(|e| {
            match e.status {
                miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::TooLarge {
                    limit: MAX_INFLATED,
                },
                _ => ShareError::Corrupt,
            }
        })?;
    let json = std::str::from_utf8(&json).map_err(|_| ShareError::Corrupt)?;
    Ok(Lab::from_json(json)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::{DeviceKind, Point};

    fn small_lab() -> Lab {
        let mut lab = Lab::new("Kelas 12 TKJ");
        let pc = lab.add_device(DeviceKind::Pc, Point::new(100.0, 100.0));
        let sw = lab.add_device(DeviceKind::Switch, Point::new(300.0, 100.0));
        lab.connect(pc, sw).unwrap();
        lab
    }

    #[test]
    fn round_trip() {
        let lab = small_lab();
        let link = encode(&lab);
        assert!(link.starts_with("v1."));
        assert!(
            link.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        );
        assert_eq!(decode(&link).unwrap(), lab);
        assert_eq!(decode(&format!("#{link}")).unwrap(), lab);
    }

    #[test]
    fn a_multilayer_switch_with_svis_round_trips() {
        let mut lab = small_lab();
        let mls = lab.add_device(DeviceKind::MultilayerSwitch, Point::new(500.0, 100.0));
        let d = lab.device_mut(mls).unwrap();
        assert_eq!(d.name, "MLS0");
        assert_eq!(d.ports.len(), 26);
        d.ios.vlan.create_vlan(10);
        d.ios.vlan.ip_routing = true;
        let svi = d.ios.vlan.svi_mut(10);
        svi.address = Some((
            "192.168.10.1".parse().unwrap(),
            "255.255.255.0".parse().unwrap(),
        ));
        svi.helpers.push("192.168.20.10".parse().unwrap());
        let link = encode(&lab);
        let back = decode(&link).unwrap();
        assert_eq!(back, lab);
        assert_eq!(back.device(mls).unwrap().kind, DeviceKind::MultilayerSwitch);
        let json = lab.to_json_pretty();
        assert!(json.contains("\"kind\": \"mls\""), "{json}");
        assert_eq!(Lab::from_json(&json).unwrap(), lab);
    }

    #[test]
    fn bad_links_say_why() {
        let link = encode(&small_lab());
        assert_eq!(decode(""), Err(ShareError::Empty));
        assert_eq!(decode("#"), Err(ShareError::Empty));
        assert_eq!(decode("hello"), Err(ShareError::NotALink));
        assert_eq!(decode("x1.abc"), Err(ShareError::NotALink));
        assert_eq!(decode("v7.abc"), Err(ShareError::NewerEncoding(7)));
        assert_eq!(decode("v1.ab$c"), Err(ShareError::BadText));
        for cut in [2, 3, 4, 5] {
            let cut = &link[..link.len() / 2 + cut];
            assert_eq!(decode(cut), Err(ShareError::Corrupt), "cut short: {cut}");
        }
        let mut flipped = link.clone().into_bytes();
        let mid = flipped.len() / 2;
        flipped[mid] = if flipped[mid] == b'A' { b'B' } else { b'A' };
        assert!(decode(std::str::from_utf8(&flipped).unwrap()).is_err());
    }

    #[test]
    fn decompression_bomb_is_refused() {
        let zeros = vec![b' '; MAX_INFLATED + 1];
        let packed = miniz_oxide::deflate::compress_to_vec(&zeros, 10);
        let link = format!("v1.{}", URL_SAFE_NO_PAD.encode(&packed));
        assert!(link.len() < 20_000, "the bomb is small: {}", link.len());
        assert_eq!(
            decode(&link),
            Err(ShareError::TooLarge {
                limit: MAX_INFLATED
            })
        );
    }

    #[test]
    fn a_newer_schema_inside_is_reported() {
        let json = small_lab().to_json_pretty().replacen(
            &format!("\"version\": {}", crate::lab::LAB_VERSION),
            "\"version\": 42",
            1,
        );
        let packed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 10);
        let link = format!("v1.{}", URL_SAFE_NO_PAD.encode(&packed));
        assert!(matches!(
            decode(&link),
            Err(ShareError::Lab(LabError::TooNew { found: 42, .. }))
        ));
    }

    proptest::proptest! {
        #[test]
        fn decode_never_panics(s in ".{0,400}") {
            let _ = decode(&s);
        }

        #[test]
        fn decode_never_panics_on_valid_base64(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = decode(&format!("v1.{}", URL_SAFE_NO_PAD.encode(&bytes)));
        }
    }
}
