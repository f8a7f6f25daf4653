//! `lanlab`: runs a lab headless (`lanlab run`) and serves a device's engines
//! on real loopback sockets (`lanlab serve`).

use std::process::ExitCode;

fn usage() -> &'static str {
    "usage: lanlab check LAB.json\n"
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [cmd, path] if cmd == "check" => match std::fs::read_to_string(path) {
            Ok(text) => match lanlab_sim::Lab::from_json(&text) {
                Ok(lab) => {
                    println!(
                        "{path}: {} devices, {} cables",
                        lab.devices.len(),
                        lab.links.len()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{path}: {e}");
                    ExitCode::FAILURE
                }
            },
            Err(e) => {
                eprintln!("{path}: {e}");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprint!("{}", usage());
            ExitCode::from(2)
        }
    }
}
