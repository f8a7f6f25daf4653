//! `lanlab`: runs a lab headless (`lanlab run`), checks a lab file
//! (`lanlab check`), and serves a device's engines on real loopback
//! sockets (`lanlab serve`).

use std::process::ExitCode;

mod run;
mod serve;

fn usage() -> String {
    format!(
        "usage: lanlab check LAB.json\n       lanlab run LAB.json [--until 60s] [--seed N] [--trace] [--pcap FILE]\n{}",
        serve::USAGE
    )
}

fn check(path: &str) -> ExitCode {
    match std::fs::read_to_string(path) {
        Ok(text) => match lanlab_doc::Lab::from_json(&text) {
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
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [cmd, path] if cmd == "check" => check(path),
        [cmd, rest @ ..] if cmd == "run" => {
            let opts = match run::parse_args(rest) {
                Ok(o) => o,
                Err(e) => {
                    eprintln!("lanlab run: {e}");
                    eprint!("{}", usage());
                    return ExitCode::from(2);
                }
            };
            match run::run(&opts) {
                Ok(report) => {
                    print!("{}", report.stdout);
                    if report.failures.is_empty() {
                        ExitCode::SUCCESS
                    } else {
                        for f in &report.failures {
                            eprintln!("lanlab run: {f}");
                        }
                        ExitCode::FAILURE
                    }
                }
                Err(e) => {
                    eprintln!("lanlab run: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        [cmd, rest @ ..] if cmd == "serve" => match serve::parse_args(rest) {
            Ok(opts) => match serve::run(&opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("lanlab serve: {e}");
                    ExitCode::FAILURE
                }
            },
            Err(e) => {
                eprintln!("lanlab serve: {e}");
                eprint!("{}", usage());
                ExitCode::from(2)
            }
        },
        _ => {
            eprint!("{}", usage());
            ExitCode::from(2)
        }
    }
}
