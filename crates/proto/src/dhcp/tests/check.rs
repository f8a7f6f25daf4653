//! `Message::check_bytes` gives `Message::from_bytes`'s verdict.

use proptest::prelude::*;

use crate::dhcp::Message;
use crate::dhcp::message::MAGIC_COOKIE;
use crate::dhcp::message::tests::arb_message;

/// An options area of known and unknown codes with lengths right, wrong,
/// cut short, and Pads and Ends between them.
fn arb_options() -> impl Strategy<Value = Vec<u8>> {
    let code = prop_oneof![
        Just(0u8),
        Just(1),
        Just(3),
        Just(6),
        Just(12),
        Just(15),
        Just(50),
        Just(51),
        Just(53),
        Just(54),
        Just(55),
        Just(56),
        Just(58),
        Just(59),
        Just(61),
        Just(255),
        any::<u8>(),
    ];
    let opt = (
        code,
        0usize..10,
        proptest::collection::vec(any::<u8>(), 0..10),
        any::<bool>(),
    );
    proptest::collection::vec(opt, 0..8).prop_map(|opts| {
        let mut out = Vec::new();
        for (code, len, value, honest) in opts {
            out.push(code);
            let n = if honest { value.len() } else { len };
            out.push(n as u8);
            out.extend_from_slice(&value);
        }
        out
    })
}

fn with_cookie(opts: &[u8]) -> Vec<u8> {
    let mut bytes = vec![0u8; 240];
    bytes[236..240].copy_from_slice(&MAGIC_COOKIE.to_be_bytes());
    bytes.extend_from_slice(opts);
    bytes
}

proptest! {
    #[test]
    fn check_agrees_with_parse_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        prop_assert_eq!(Message::check_bytes(&bytes), Message::from_bytes(&bytes).map(|_| ()));
    }

    #[test]
    fn check_agrees_with_parse_on_options(opts in arb_options(), cut in 0usize..80) {
        let bytes = with_cookie(&opts);
        prop_assert_eq!(Message::check_bytes(&bytes), Message::from_bytes(&bytes).map(|_| ()));
        let short = &bytes[..bytes.len().saturating_sub(cut)];
        prop_assert_eq!(Message::check_bytes(short), Message::from_bytes(short).map(|_| ()));
    }

    #[test]
    fn check_takes_every_message(m in arb_message()) {
        prop_assert_eq!(Message::check_bytes(&m.to_bytes()), Ok(()));
    }
}
