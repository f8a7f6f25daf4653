//! The engine's words in the user's language: the devices' decisions (trace
//! notes) in English or Bahasa Indonesia. They live with the engine, so a
//! view gets them worded in the language it asks for, without the page
//! holding every protocol's note types.

mod notes;
mod protocols;

use serde::{Deserialize, Serialize};

pub use notes::note_text;
pub use protocols::{firewall_note_id, mail_note_id, ospf_note_id, rip_note_id, stp_note_id};

/// A language the notes are worded in.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Bahasa Indonesia.
    Id,
}
