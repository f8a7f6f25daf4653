//! What a click (or Enter, or a tap) on a device does under the current tool.

use lanlab_sim::DeviceId;

use super::{Output, Scene};
use crate::i18n::Key;
use crate::state::{Selection, Status, Tool};

/// Activates a device: the select, place and hand tools select it; the
/// cable tool takes it as its first end, or as its second (cabling the two
/// on free ports, or opening the port chooser when "Choose ports" is on).
/// A device with no free port is refused at once, with the reason.
pub fn activate(id: DeviceId, s: &dyn Scene) -> Vec<Output> {
    let select = Output::SelectOnly(Some(Selection::Device(id)));
    match s.tool() {
        Tool::Select | Tool::Place(_) | Tool::Hand => vec![Output::SetTool(Tool::Select), select],
        Tool::Cable { from } if from != Some(id) => {
            if s.is_full(id) {
                return vec![Output::NoFreePort(id)];
            }
            match from {
                None => vec![
                    Output::SetTool(Tool::Cable { from: Some(id) }),
                    select,
                    Output::Status(Some(Status::Hint(Key::CableHelpSecond))),
                ],
                Some(a) if s.choose_ports() => vec![
                    Output::SetTool(Tool::Select),
                    select,
                    Output::PortPick(Some((a, id))),
                    Output::Status(Some(Status::Hint(Key::ChoosePortsHelp))),
                ],
                Some(a) => vec![Output::SetTool(Tool::Select), Output::Connect { a, b: id }],
            }
        }
        Tool::Cable { .. } => Vec::new(),
    }
}
