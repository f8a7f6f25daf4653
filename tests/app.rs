//! Browser tests of the app: mount it in headless Chromium and use it.
#![cfg(target_arch = "wasm32")]

use lanlab_app::App;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Lets Leptos run its scheduled effects and DOM updates.
async fn tick() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}

/// A mounted app; unmounted and removed from the page when dropped.
struct Mounted {
    host: web_sys::HtmlElement,
    _handle: leptos::mount::UnmountHandle<
        <leptos::prelude::AnyView as leptos::tachys::view::Render>::State,
    >,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.host.remove();
    }
}

fn mount() -> Mounted {
    let doc = document();
    let host: web_sys::HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), || App().into_any());
    Mounted {
        host,
        _handle: handle,
    }
}

fn by_testid(root: &web_sys::HtmlElement, id: &str) -> Option<web_sys::Element> {
    root.query_selector(&format!("[data-testid=\"{id}\"]"))
        .unwrap()
}

fn click(el: &web_sys::Element) {
    el.unchecked_ref::<web_sys::HtmlElement>().click();
}

#[wasm_bindgen_test]
async fn palette_adds_devices_and_panel_shows_them() {
    let app = mount();
    let root = &app.host;
    tick().await;
    assert!(
        by_testid(root, "device-PC0").is_none(),
        "canvas starts empty"
    );

    // A keyboard-style activation (detail 0) places the device at once.
    click(&by_testid(root, "palette-pc").expect("PC in palette"));
    click(&by_testid(root, "palette-switch").expect("switch in palette"));
    tick().await;

    let pc = by_testid(root, "device-PC0").expect("PC0 drawn on the canvas");
    assert_eq!(pc.tag_name().to_lowercase(), "g");
    assert!(by_testid(root, "device-Switch0").is_some(), "Switch0 drawn");
    // The last placed device is selected and named in the side panel.
    let name = by_testid(root, "panel-device-name").expect("side panel shows a device");
    assert_eq!(name.text_content().unwrap(), "Switch0");

    // Cable tool: PC0 then Switch0.
    click(&by_testid(root, "tool-cable").unwrap());
    tick().await;
    let down_up = |el: &web_sys::Element| {
        for kind in ["pointerdown", "pointerup"] {
            let init = web_sys::PointerEventInit::new();
            init.set_bubbles(true);
            init.set_button(0);
            init.set_pointer_id(1);
            let r = el.get_bounding_client_rect();
            init.set_client_x((r.left() + r.width() / 2.0) as i32);
            init.set_client_y((r.top() + r.height() / 2.0) as i32);
            let ev = web_sys::PointerEvent::new_with_event_init_dict(kind, &init).unwrap();
            el.dispatch_event(&ev).unwrap();
        }
    };
    down_up(&by_testid(root, "device-PC0").unwrap());
    tick().await;
    down_up(&by_testid(root, "device-Switch0").unwrap());
    tick().await;

    let link = root
        .query_selector(".link")
        .unwrap()
        .expect("a cable is drawn");
    assert_eq!(link.get_attribute("data-ends").unwrap(), "PC0|Switch0");
    let status = by_testid(root, "status").unwrap().text_content().unwrap();
    assert!(
        status.contains("PC0 FastEthernet0"),
        "status names the ports: {status}"
    );
    assert!(
        status.contains("Switch0 FastEthernet0/1"),
        "status names the ports: {status}"
    );
}

#[wasm_bindgen_test]
async fn language_switch_translates_the_palette() {
    let app = mount();
    let root = &app.host;
    tick().await;
    let select: web_sys::HtmlSelectElement =
        by_testid(root, "lang-select").unwrap().unchecked_into();
    select.set_value("id");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    tick().await;
    let heading = root.query_selector("#palette-title").unwrap().unwrap();
    assert_eq!(heading.text_content().unwrap(), "Perangkat");
    assert_eq!(
        by_testid(root, "tagline").unwrap().text_content().unwrap(),
        "Lab jaringan"
    );
    select.set_value("en");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    tick().await;
    assert_eq!(heading.text_content().unwrap(), "Devices");
}

#[wasm_bindgen_test]
async fn document_edits_reach_the_running_engine_live() {
    use lanlab_app::sim_driver::Sim;
    use lanlab_sim::{DeviceKind, IpConfig, Lab, LinkEnd, Point};

    let mut lab = Lab::new("t");
    let pc0 = lab.add_device(DeviceKind::Pc, Point::new(0.0, 0.0));
    let pc1 = lab.add_device(DeviceKind::Pc, Point::new(100.0, 0.0));
    let sw = lab.add_device(DeviceKind::Switch, Point::new(50.0, 50.0));
    lab.connect(pc0, sw).unwrap();
    lab.connect(pc1, sw).unwrap();
    let owner = leptos::prelude::Owner::new();
    owner.with(|| {
        // Built with the `local-engine` feature: the host answers in the
        // page, at once (the app's worker files are not served here).
        let sim = Sim::new(&lab);
        // Addresses set after the engine started: applied live, not by a rebuild.
        for (id, addr) in [(pc0, "192.168.1.10"), (pc1, "192.168.1.11")] {
            let end = LinkEnd {
                device: id,
                port: 0,
            };
            lab.set_ip(
                end,
                IpConfig::static_ip(addr.parse().unwrap(), "255.255.255.0".parse().unwrap()),
            )
            .unwrap();
        }
        sim.tick(500.0);
        let before = sim.state.with_untracked(|s| s.now);
        sim.sync(&lab);
        assert_eq!(
            sim.state.with_untracked(|s| s.now),
            before,
            "a live edit keeps the clock"
        );
        sim.command(pc0, "PC0", "ping -n 1 192.168.1.11");
        for _ in 0..40 {
            sim.tick(100.0);
        }
        let out = sim
            .terminals
            .with_untracked(|ts| ts[&pc0].entries[0].clone());
        let (text, running) = sim.entry_output(&out);
        assert!(!running, "{text}");
        assert!(text.contains("Reply from 192.168.1.11"), "{text}");

        // Moving a device changes nothing in the simulation (and is not
        // even sent); adding one rebuilds.
        lab.move_device(pc0, Point::new(10.0, 10.0));
        let sent = sim.commands_sent();
        sim.sync(&lab);
        assert_eq!(sim.commands_sent(), sent, "a move is not sent");
        assert!(sim.state.with_untracked(|s| s.now) > before);
        lab.add_device(DeviceKind::Server, Point::new(0.0, 100.0));
        sim.sync(&lab);
        assert_eq!(sim.state.with_untracked(|s| s.now), 0);
        // What the prompt printed survives the rebuild.
        let kept = sim
            .terminals
            .with_untracked(|ts| ts[&pc0].entries[0].clone());
        assert!(
            kept.job.is_none() && kept.text.contains("Reply from"),
            "{kept:?}"
        );
    });
}

/// Sends a pointer event of `kind` at client (`x`, `y`) to `el`.
fn pointer_at(el: &web_sys::Element, kind: &str, x: f64, y: f64) {
    let init = web_sys::PointerEventInit::new();
    init.set_bubbles(true);
    init.set_button(0);
    init.set_pointer_id(1);
    init.set_client_x(x as i32);
    init.set_client_y(y as i32);
    let ev = web_sys::PointerEvent::new_with_event_init_dict(kind, &init).unwrap();
    el.dispatch_event(&ev).unwrap();
}

#[wasm_bindgen_test]
async fn a_drag_on_the_canvas_is_one_undo_step() {
    // Start from an empty lab whatever an earlier test autosaved.
    window().local_storage().unwrap().unwrap().clear().unwrap();
    let app = mount();
    let root = &app.host;
    tick().await;
    click(&by_testid(root, "palette-pc").expect("PC in palette"));
    tick().await;
    let pc = by_testid(root, "device-PC0").expect("PC0 drawn");
    let placed = pc.get_attribute("transform").unwrap();
    let r = pc.get_bounding_client_rect();
    let (x, y) = (r.left() + r.width() / 2.0, r.top() + r.height() / 2.0);
    // The press goes to the device; the canvas captures the pointer, so
    // the moves and the release go to the canvas (the dragged device is
    // drawn in the lifted layer meanwhile, a node of its own).
    let canvas = by_testid(root, "canvas").expect("canvas");
    let transform = || {
        by_testid(root, "device-PC0")
            .expect("PC0 drawn")
            .get_attribute("transform")
            .unwrap()
    };
    pointer_at(&pc, "pointerdown", x, y);
    for i in 1..=5 {
        let f = i as f64 * 12.0;
        pointer_at(&canvas, "pointermove", x + f, y + f);
        tick().await;
    }
    assert_ne!(transform(), placed, "the device follows the pointer");
    assert!(
        root.query_selector(".canvas-lifted [data-testid='device-PC0']")
            .unwrap()
            .is_some(),
        "lifted while it moves"
    );
    pointer_at(&canvas, "pointerup", x + 60.0, y + 60.0);
    tick().await;
    assert!(
        root.query_selector("svg.canvas [data-testid='device-PC0']")
            .unwrap()
            .is_some(),
        "back in the canvas at the drop"
    );
    let dropped = transform();
    assert_ne!(dropped, placed);
    click(&by_testid(root, "undo").expect("undo button"));
    tick().await;
    assert_eq!(transform(), placed, "one undo takes the whole drag back");
    click(&by_testid(root, "undo").unwrap());
    tick().await;
    assert!(
        by_testid(root, "device-PC0").is_none(),
        "the next undo removes the device"
    );
}
