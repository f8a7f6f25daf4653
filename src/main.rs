//! Entry point of the web app.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(lanlab_app::App);
}
