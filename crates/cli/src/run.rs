//! `lanlab run`: runs a lab headless, prints each scripted action's output
//! (and the trace with `--trace`), writes a pcap with `--pcap`, and fails
//! when an action does not do what the lab expects.

use std::fmt::Write as _;

use lanlab_proto::SimTime;
use lanlab_sim::{Engine, Expect, JobStatus, Lab};

/// Options of `lanlab run`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunOptions {
    /// The lab file.
    pub path: String,
    /// Stop at this virtual time (default: when nothing is left to do, at most one hour).
    pub until: Option<SimTime>,
    /// Seed instead of the lab's.
    pub seed: Option<u64>,
    /// Print the trace.
    pub trace: bool,
    /// Write a pcap here.
    pub pcap: Option<String>,
}

/// Parses `60s`, `500ms`, `2m`, `1h` or a plain number of seconds.
///
/// # Errors
/// A message naming the bad value.
pub fn parse_duration(s: &str) -> Result<SimTime, String> {
    let bad = || format!("{s} is not a duration (write it like 60s, 500ms or 2m)");
    let (num, mul) = if let Some(n) = s.strip_suffix("ms") {
        (n, 1_000)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1_000_000)
    } else if let Some(n) = s.strip_suffix('m') {
        (n, 60_000_000)
    } else if let Some(n) = s.strip_suffix('h') {
        (n, 3_600_000_000)
    } else {
        (s, 1_000_000)
    };
    let v: u64 = num.parse().map_err(|_| bad())?;
    Ok(SimTime::from_micros(v.checked_mul(mul).ok_or_else(bad)?))
}

/// Parses the arguments after `run`.
///
/// # Errors
/// A usage message.
pub fn parse_args(args: &[String]) -> Result<RunOptions, String> {
    let mut o = RunOptions::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match a.as_str() {
            "--until" => o.until = Some(parse_duration(&value("--until")?)?),
            "--seed" => {
                let v = value("--seed")?;
                o.seed = Some(v.parse().map_err(|_| format!("--seed {v}: not a number"))?);
            }
            "--trace" => o.trace = true,
            "--pcap" => o.pcap = Some(value("--pcap")?),
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            s if o.path.is_empty() => o.path = s.to_string(),
            s => return Err(format!("unexpected argument {s}")),
        }
    }
    if o.path.is_empty() {
        return Err("lanlab run needs a lab file".into());
    }
    Ok(o)
}

/// What a run printed and whether every action did what the lab expects.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Text for standard output.
    pub stdout: String,
    /// Problems, one per line, for standard error.
    pub failures: Vec<String>,
}

/// The default horizon when `--until` is not given.
pub const DEFAULT_HORIZON: SimTime = SimTime::from_secs(3600);

/// Runs a lab document.
///
/// # Errors
/// When the file cannot be read or the lab is invalid.
pub fn run(o: &RunOptions) -> Result<Report, String> {
    let text = std::fs::read_to_string(&o.path).map_err(|e| format!("{}: {e}", o.path))?;
    let lab = Lab::from_json(&text).map_err(|e| format!("{}: {e}", o.path))?;
    run_lab(&lab, o)
}

/// Runs a lab already loaded.
///
/// # Errors
/// When the pcap cannot be written or the lab is invalid.
pub fn run_lab(lab: &Lab, o: &RunOptions) -> Result<Report, String> {
    let mut e = Engine::with_seed(lab, o.seed.unwrap_or(lab.seed)).map_err(|e| e.to_string())?;
    let horizon = o.until.unwrap_or(DEFAULT_HORIZON);
    while e.next_event_time().is_some_and(|t| t <= horizon) {
        e.step();
    }
    if o.until.is_some() {
        e.run_until(horizon);
    }
    let mut r = Report::default();
    if o.trace {
        for ev in e.trace().events() {
            let _ = writeln!(r.stdout, "{}", e.describe(ev));
        }
        r.stdout.push('\n');
    }
    for (i, a) in lab.actions.iter().enumerate() {
        let label = format!("action {} ({})", i + 1, a.action);
        let _ = writeln!(
            r.stdout,
            "=== {} {}",
            SimTime::from_millis(a.at_ms),
            a.action
        );
        let ok = match &e.scripted_outcomes()[i] {
            None => {
                r.failures
                    .push(format!("{label} did not run before {horizon}"));
                continue;
            }
            Some(Err(err)) => {
                let _ = writeln!(r.stdout, "error: {err}");
                false
            }
            Some(Ok(None)) => true,
            Some(Ok(Some(job))) => {
                let j = e.job(*job).expect("job exists");
                r.stdout.push_str(&j.output);
                match j.status {
                    JobStatus::Running => {
                        r.failures
                            .push(format!("{label} was still running at {horizon}"));
                        continue;
                    }
                    JobStatus::Succeeded => true,
                    JobStatus::Failed => false,
                }
            }
        };
        match (a.expect, ok) {
            (Expect::Success, false) => r.failures.push(format!("{label} failed")),
            (Expect::Failure, true) => r
                .failures
                .push(format!("{label} succeeded but the lab expects it to fail")),
            _ => {}
        }
    }
    if let Some(path) = &o.pcap {
        let mut f = std::io::BufWriter::new(
            std::fs::File::create(path).map_err(|err| format!("{path}: {err}"))?,
        );
        let n = lanlab_sim::pcap::write(e.trace(), lab.start_unix, None, &mut f)
            .map_err(|err| format!("{path}: {err}"))?;
        let _ = writeln!(r.stdout, "wrote {n} frames to {path}");
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_args() {
        assert_eq!(parse_duration("60s"), Ok(SimTime::from_secs(60)));
        assert_eq!(parse_duration("500ms"), Ok(SimTime::from_millis(500)));
        assert_eq!(parse_duration("2m"), Ok(SimTime::from_secs(120)));
        assert_eq!(parse_duration("7"), Ok(SimTime::from_secs(7)));
        assert!(parse_duration("soon").is_err());
        let a: Vec<String> = ["lab.json", "--seed", "3", "--trace", "--until", "10s"]
            .iter()
            .map(ToString::to_string)
            .collect();
        let o = parse_args(&a).unwrap();
        assert_eq!(o.seed, Some(3));
        assert!(o.trace);
        assert_eq!(o.until, Some(SimTime::from_secs(10)));
        assert!(parse_args(&["--bogus".to_string()]).is_err());
        assert!(parse_args(&[]).is_err());
    }
}
