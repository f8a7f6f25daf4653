//! The IOS console of a router and a switch: arbitrary text, line by line,
//! through `Console::exec` (and `?`, Tab, the prompt) never panics; a
//! refused line never changes the configuration; what the console leaves
//! renders as a running configuration and reads back through `reload`.
#![no_main]

use lanlab_sim::shell::ios::{Console, render, startup_device};
use lanlab_sim::{DeviceKind, Lab, Point};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lab = Lab::new("");
    let kind = if data.first().is_some_and(|b| b & 1 == 1) {
        DeviceKind::Switch
    } else {
        DeviceKind::Router
    };
    let id = lab.add_device(kind, Point::default());
    let mut d = lab.device(id).expect("just added").clone();
    let mut c = Console::new();
    for line in text.lines().take(200) {
        let _ = c.prompt(&d);
        let _ = c.help(&d, line);
        let _ = c.complete(&d, line);
        let r = c.exec(&d, line);
        assert!(r.ok || r.config.is_none(), "a refused line changed the configuration");
        if let Some(cfg) = r.config {
            d = cfg;
        }
    }
    let _ = render::running_config(&d);
    let mut saved = d.clone();
    saved.ios.startup = Some(render::running_config(&d));
    let _ = startup_device(&saved);
});
