//! The document's tagged enums and flattened fields keep their JSON form
//! (`lanlab_doc::tagged`): each kind reads from and writes back to exactly
//! the text older versions wrote, and the mistakes are still refused.

use lanlab_doc::action::{Action, ScriptedAction};
use lanlab_doc::activity::CheckKind;
use lanlab_doc::config::IpConfig;
use lanlab_doc::mail_op::MailOp;
use lanlab_doc::services::Services;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Reads `text` (as the page and the worker do, through a `Value`) and
/// checks that it writes back the same, both straight and through a `Value`.
fn same<T: Serialize + DeserializeOwned + std::fmt::Debug + PartialEq>(text: &str) -> T {
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    let t: T = serde_json::from_value(v).unwrap_or_else(|e| panic!("{text}: {e}"));
    assert_eq!(serde_json::to_string(&t).unwrap(), text);
    assert_eq!(serde_json::to_value(&t).unwrap().to_string(), text);
    // Straight from text too (the fuzzers and tests read that way).
    assert_eq!(serde_json::from_str::<T>(text).unwrap(), t);
    t
}

fn refused<T: DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    serde_json::from_value::<T>(v).unwrap_err().to_string()
}

#[test]
fn ip_configs_keep_their_mode_field() {
    assert_eq!(same::<IpConfig>(r#"{"mode":"none"}"#), IpConfig::None);
    assert_eq!(same::<IpConfig>(r#"{"mode":"dhcp"}"#), IpConfig::Dhcp);
    let s = same::<IpConfig>(
        r#"{"mode":"static","address":"10.0.0.2","mask":"255.255.255.0","gateway":"10.0.0.1","dns":["10.0.0.53"]}"#,
    );
    assert_eq!(s.as_static().unwrap().address.to_string(), "10.0.0.2");
    // A unit variant ignores fields beside its tag, as serde's tag did.
    let v = serde_json::json!({"mode": "dhcp", "address": "10.0.0.2"});
    assert_eq!(
        serde_json::from_value::<IpConfig>(v).unwrap(),
        IpConfig::Dhcp
    );
}

#[test]
fn actions_keep_their_do_field_and_mail_buttons_beside_the_device() {
    same::<Action>(r#"{"do":"ping","device":"PC0","target":"10.0.0.1"}"#);
    same::<Action>(r#"{"do":"ping","device":"PC0","target":"10.0.0.1","count":2}"#);
    let mail = same::<Action>(r#"{"do":"mail","device":"PC0","op":"read","id":3}"#);
    assert_eq!(
        mail,
        Action::Mail {
            device: "PC0".into(),
            op: MailOp::Read { id: 3 },
        }
    );
    let s = same::<ScriptedAction>(
        r#"{"at_ms":500,"do":"mail","device":"PC0","op":"read","id":3,"expect":"failure"}"#,
    );
    assert_eq!(s.at_ms, 500);
    assert_eq!(s.action, mail);
    let s = same::<ScriptedAction>(r#"{"at_ms":0,"do":"ping","device":"PC0","target":"x"}"#);
    assert!(matches!(s.action, Action::Ping { .. }));
}

#[test]
fn mail_buttons_and_checks_keep_their_tags() {
    assert_eq!(
        same::<MailOp>(r#"{"op":"read","id":7}"#),
        MailOp::Read { id: 7 }
    );
    assert_eq!(
        same::<CheckKind>(r#"{"t":"uses_dhcp","d":"PC0"}"#),
        CheckKind::UsesDhcp { d: "PC0".into() }
    );
}

#[test]
fn services_keep_their_settings_beside_enabled() {
    // S1's server: a DHCP pool, DNS zones, web and mail, as its file has them.
    let file = format!(
        "{}/../../public/labs/s1-one-server.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let lab: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let server = lab["devices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["services"].get("dhcp").is_some())
        .unwrap();
    let text = server["services"].to_string();
    let s = same::<Services>(&text);
    assert!(s.dhcp.unwrap().enabled);
    assert!(text.contains(r#"{"enabled":true,"pools":[{"name":"LAN""#));
}

#[test]
fn mistakes_are_still_refused_in_words() {
    assert!(refused::<Action>(r#"{"device":"PC0"}"#).contains("missing field `do`"));
    assert!(
        refused::<Action>(r#"{"do":"warp","device":"PC0"}"#).contains("unknown variant `warp`")
    );
    assert!(
        refused::<Action>(r#"{"do":"ping","device":"PC0"}"#).contains("missing field `target`")
    );
    assert!(refused::<IpConfig>(r#"{"mode":7}"#).contains("invalid type"));
    assert!(refused::<IpConfig>(r#""dhcp""#).contains("invalid type"));
}
