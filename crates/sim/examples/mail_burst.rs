//! Runs the mail-burst bench's lab (`benches/mail_burst.rs`) once, all
//! 1000 messages at once (`paced` as the first argument: paced), for
//! callgrind and perf:
//! `cargo build --profile bench -p lanlab-sim --example mail_burst`.

#[allow(dead_code)]
#[path = "../benches/mail_burst.rs"]
mod bench;

fn main() {
    let paced = std::env::args().nth(1).as_deref() == Some("paced");
    let (fetched, events) = bench::burst(&bench::lab_n(10), paced);
    println!("mail-burst (paced: {paced}): {fetched} messages, {events} events");
}
