//! Applying actions to the running engine: commands at a prompt, power,
//! cables, configuration. Configuration changes apply live at the current
//! virtual time; nothing else resets.

use crate::action::{Action, PortRef};
use crate::device::Node;
use crate::job::{Job, JobId, JobStatus};
use crate::lab::{LabError, LinkEnd};
use crate::services::resolve::{Nslookup, ResolveThenRun, Then};
use crate::shell::{self, Command, ShellError, Target, run::Run};
use crate::trace::TraceKind;

use super::Engine;

/// Why an action could not be applied, worded for a student.
#[derive(Clone, Debug, PartialEq, thiserror::Error, serde::Serialize, serde::Deserialize)]
pub enum ActionError {
    /// No device with that name.
    #[error("there is no device named {0}")]
    NoDevice(String),
    /// No port with that name.
    #[error("{device} has no port {port}")]
    NoPort {
        /// Device.
        device: String,
        /// Port asked for.
        port: String,
    },
    /// This program needs a host.
    #[error("{0} cannot run this (only PCs, laptops and servers can)")]
    NoPrompt(String),
    /// The device is off.
    #[error("{0} is switched off")]
    PoweredOff(String),
    /// A `host:port` that does not parse.
    #[error("{0} is not an address and port (write it like 192.168.1.1:80)")]
    BadSocket(String),
    /// A socket operation failed.
    #[error("{0}")]
    Socket(lanlab_proto::net::NetError),
    /// The device has no IPv4 address to send from.
    #[error("{0} has no IPv4 address")]
    NoAddress(String),
    /// No running job that takes typed input.
    #[error("job {0} is not running or takes no typed input")]
    NoJob(u32),
    /// Unplugging a port without a cable.
    #[error("{0} has no cable to unplug")]
    NotCabled(String),
    /// The change breaks the document's rules.
    #[error(transparent)]
    Lab(#[from] LabError),
}

impl Engine {
    pub(super) fn dev_index(&self, name: &str) -> Result<usize, ActionError> {
        self.dev_by_name(name)
            .ok_or_else(|| ActionError::NoDevice(name.to_string()))
    }

    fn end(&self, r: &PortRef) -> Result<LinkEnd, ActionError> {
        let d = &self.lab.devices[self.dev_index(&r.device)?];
        let port = d.port_index(&r.port).ok_or_else(|| ActionError::NoPort {
            device: d.name.clone(),
            port: r.port.clone(),
        })?;
        Ok(LinkEnd { device: d.id, port })
    }

    /// Applies an action; records it in the trace with what the devices did.
    pub(super) fn apply(
        &mut self,
        action: &Action,
        scripted: Option<usize>,
    ) -> Result<Option<JobId>, ActionError> {
        self.cur_event = self.delivered;
        let result = self.apply_inner(action, scripted);
        // An injected frame is traced as the frame itself.
        let traced = !matches!(action, Action::Inject { .. });
        if self.tracing && result.is_ok() && traced {
            self.trace.push_notes(
                self.delivered,
                self.now,
                TraceKind::Action {
                    action: Box::new(action.clone()),
                },
                &mut self.notes,
            );
        }
        self.notes.clear();
        result
    }

    fn apply_inner(
        &mut self,
        action: &Action,
        scripted: Option<usize>,
    ) -> Result<Option<JobId>, ActionError> {
        if let Some(line) = action.command_line() {
            let dev = self.dev_index(action.device())?;
            return self.run_command(dev, &line, scripted).map(Some);
        }
        match action {
            Action::Power { device, on } => {
                let dev = self.dev_index(device)?;
                if self.powered[dev] == *on {
                    return Ok(None);
                }
                self.kill_jobs(dev);
                let d = self.lab.devices[dev].clone();
                self.nodes[dev] = Node::boot(&d, self.seed);
                self.refresh_router_names();
                self.powered[dev] = *on;
                self.timer_at[dev] = None;
                self.lab.devices[dev].powered = *on;
                self.sync_switch(dev, &self.bridge_names());
                self.flush(dev);
            }
            Action::Unplug { port } => {
                let end = self.end(port)?;
                let id = self
                    .lab
                    .link_at(end)
                    .map(|l| l.id)
                    .ok_or_else(|| ActionError::NotCabled(port.to_string()))?;
                self.lab.disconnect(id);
                for k in 0..self.links.len() {
                    if self.links[k].id == id && self.links[k].up {
                        self.links[k].up = false;
                        let (a, b) = (self.links[k].a, self.links[k].b);
                        for (d, p) in [a, b] {
                            self.port_link[d][p] = None;
                            self.cabled[d][p] = false;
                            self.nodes[d].port_unplugged(p);
                        }
                    }
                }
                self.refresh_lines();
            }
            Action::Tap { port } => {
                let end = self.end(port)?;
                if self.lab.link_at(end).is_some() {
                    return Err(ActionError::Lab(LabError::PortInUse {
                        device: port.device.clone(),
                        port: port.port.clone(),
                    }));
                }
                let dev = self.index[&end.device];
                self.taps.entry((dev, end.port)).or_default();
                self.cabled[dev][end.port] = true;
                self.refresh_lines();
            }
            Action::Inject { port, bytes } => {
                let end = self.end(port)?;
                let dev = self.index[&end.device];
                let frame: std::rc::Rc<[u8]> = bytes.as_slice().into();
                if self.powered[dev] {
                    self.run_device(dev, |node, ctx| {
                        node.handle_frame(ctx, end.port, &frame);
                    });
                }
                if self.tracing {
                    self.trace.push_notes(
                        self.delivered,
                        self.now,
                        TraceKind::Tapped {
                            at: end,
                            bytes: frame,
                            inbound: true,
                        },
                        &mut self.notes,
                    );
                }
                self.notes.clear();
                self.flush(dev);
            }
            Action::Plug { a, b } => {
                let (ea, eb) = (self.end(a)?, self.end(b)?);
                let id = self.lab.connect_ports(ea, eb)?;
                let l = self.lab.link(id).expect("just made").clone();
                for e in [l.a, l.b] {
                    let dev = self.index[&e.device];
                    self.taps.remove(&(dev, e.port));
                }
                self.add_live_link(l.id, l.a, l.b, l.latency_us, l.loss);
            }
            Action::SetIp { port, ip } => {
                let end = self.end(port)?;
                self.lab.set_ip(end, ip.clone())?;
                self.reconfigure(end.device);
            }
            Action::SendMail { .. } | Action::ReceiveMail { .. } | Action::Mail { .. } => {
                return self.apply_mail(action, scripted);
            }
            Action::Input { device, job, line } => {
                return self.apply_input(device, *job, line);
            }
            Action::SetServices { device, services } => {
                let dev = self.dev_index(device)?;
                let name = self.lab.devices[dev].name.clone();
                services.validate(&name)?;
                self.lab.devices[dev].services = (**services).clone();
                self.reconfigure(self.ids[dev]);
            }
            Action::OpenUrl { device, url } => {
                let dev = self.dev_index(device)?;
                let job = self.new_job(dev, &action.to_string(), scripted)?;
                let app = crate::services::browser::BrowserApp::new(job, url);
                self.mount_app(dev, Box::new(app));
                return Ok(Some(job));
            }
            Action::DhcpRenew { device } | Action::DhcpRelease { device } => {
                let dev = self.dev_index(device)?;
                let job = self.new_job(dev, &action.to_string(), scripted)?;
                let release = matches!(action, Action::DhcpRelease { .. });
                self.dhcp_command(dev, job, release);
                return Ok(Some(job));
            }
            Action::SetRoutes { device, routes } => {
                let dev = self.dev_index(device)?;
                for r in routes {
                    crate::config::check_route(device, r)?;
                }
                self.lab.devices[dev].routes = routes.clone();
                self.reconfigure(self.ids[dev]);
            }
            Action::Listen { device, port } => {
                let dev = self.dev_index(device)?;
                let Node::Host(h) = &mut self.nodes[dev] else {
                    return Err(ActionError::NoPrompt(device.clone()));
                };
                h.tcp.listen(*port);
            }
            Action::BindUdp { device, port } => {
                let dev = self.dev_index(device)?;
                let Node::Host(h) = &mut self.nodes[dev] else {
                    return Err(ActionError::NoPrompt(device.clone()));
                };
                h.udp.bind(*port).map_err(ActionError::Socket)?;
            }
            Action::Datagram { device, to, text } => {
                let dev = self.dev_index(device)?;
                let remote: std::net::SocketAddrV4 =
                    to.parse().map_err(|_| ActionError::BadSocket(to.clone()))?;
                if !self.powered[dev] {
                    return Err(ActionError::PoweredOff(device.clone()));
                }
                let Node::Host(h) = &mut self.nodes[dev] else {
                    return Err(ActionError::NoPrompt(device.clone()));
                };
                let src = h
                    .primary_address()
                    .ok_or_else(|| ActionError::NoAddress(device.clone()))?;
                let port = h.udp.bind_ephemeral().map_err(ActionError::Socket)?;
                h.udp
                    .send_to(
                        std::net::SocketAddrV4::new(src, port),
                        remote,
                        text.as_bytes(),
                    )
                    .map_err(ActionError::Socket)?;
                self.run_device(dev, |node, ctx| {
                    if let Node::Host(h) = node {
                        h.flush_udp(ctx);
                        h.udp.close(port);
                    }
                });
                self.flush(dev);
            }
            Action::Send { device, to, bytes } => {
                let dev = self.dev_index(device)?;
                let remote: std::net::SocketAddrV4 =
                    to.parse().map_err(|_| ActionError::BadSocket(to.clone()))?;
                let job = self.new_job(dev, &action.to_string(), scripted)?;
                let bytes = *bytes as usize;
                self.run_device(dev, |node, ctx| {
                    if let Node::Host(h) = node {
                        h.start_tcp_send(ctx, job, remote, bytes);
                    }
                });
                self.flush(dev);
                return Ok(Some(job));
            }
            Action::Configure { device, config } => {
                let dev = self.dev_index(device)?;
                self.configure(dev, config)?;
            }
            Action::Ping { .. } | Action::Tracert { .. } | Action::Command { .. } => {
                unreachable!("handled as command lines")
            }
        }
        Ok(None)
    }

    fn reconfigure(&mut self, id: crate::lab::DeviceId) {
        let Some(&dev) = self.index.get(&id) else {
            return;
        };
        self.refresh_lines();
        if let Some(d) = self.lab.device(id) {
            self.nodes[dev].reconfigure(self.now, d);
            if matches!(self.nodes[dev], Node::Router(_)) {
                self.refresh_router_names();
            }
            // Services and DHCP clients follow at a timer right now.
            self.flush(dev);
        }
    }

    /// Gives device `dev` a new configuration (a console line, an undone
    /// console change): checked against the whole lab, applied live.
    pub(super) fn configure(
        &mut self,
        dev: usize,
        config: &crate::lab::Device,
    ) -> Result<(), LabError> {
        let mut next = self.lab.devices[dev].clone();
        next.configure_from(config);
        if next == self.lab.devices[dev] {
            return Ok(());
        }
        let old = std::mem::replace(&mut self.lab.devices[dev], next);
        if let Err(e) = self.lab.validate() {
            self.lab.devices[dev] = old;
            return Err(e);
        }
        let name = self.lab.devices[dev].name.clone();
        if !old.name.eq_ignore_ascii_case(&name) {
            self.by_name.remove(&old.name.to_lowercase());
            self.by_name.insert(name.to_lowercase(), dev);
        }
        self.reconfigure(self.ids[dev]);
        Ok(())
    }

    /// A line typed at a router's or switch's IOS console.
    fn run_console(
        &mut self,
        dev: usize,
        line: &str,
        scripted: Option<usize>,
    ) -> Result<JobId, ActionError> {
        let name = self.lab.devices[dev].name.clone();
        if !self.powered[dev] {
            return Err(ActionError::PoweredOff(name));
        }
        // A scripted line that changes the configuration is handed to the
        // app like a telnet session's (`take_config_changes`): the document
        // must hold it, or the next edit would take it back out.
        let before = scripted.map(|_| self.lab.devices[dev].clone());
        let mut console = std::mem::take(&mut self.consoles[dev]);
        let reply = self.console_exec(dev, &mut console, line);
        self.consoles[dev] = console;
        if before.is_some_and(|b| b != self.lab.devices[dev]) {
            let id = self.ids[dev];
            if !self.config_changes.contains(&id) {
                self.config_changes.push(id);
            }
        }
        let id = self.push_job(dev, line, scripted);
        if let shell::ios::Effect::Ping(_) | shell::ios::Effect::Traceroute(_) = reply.effect {
            // The job runs while the router probes.
            self.jobs[id.0 as usize].output = reply.text;
            self.start_probe(dev, id, reply.effect);
            return Ok(id);
        }
        let job = &mut self.jobs[id.0 as usize];
        job.output = reply.text;
        job.finish(self.now, reply.ok);
        Ok(id)
    }

    /// Runs one line at `console` of device `dev` (its console port or a
    /// telnet session): a configuration change goes into the lab (or the
    /// line is refused with the reason), a `show` of running state is
    /// rendered, `reload` restarts the device.
    /// The `debug ip rip|nat|ospf` lines router `device` printed since the
    /// last call (empty when no debugging is on), each ending in a newline.
    pub fn take_debug(&mut self, device: &str) -> String {
        match self.dev_by_name(device) {
            Some(dev) => self.take_debug_of(dev),
            None => String::new(),
        }
    }

    /// [`Engine::take_debug`] by device index.
    pub(super) fn take_debug_of(&mut self, dev: usize) -> String {
        let lines = match self.nodes.get_mut(dev) {
            Some(Node::Router(r)) => r.take_debug(),
            Some(Node::Switch(s)) => s.take_debug(),
            _ => return String::new(),
        };
        lines.into_iter().map(|l| l + "\n").collect()
    }

    pub(super) fn console_exec(
        &mut self,
        dev: usize,
        console: &mut shell::ios::Console,
        line: &str,
    ) -> shell::ios::Reply {
        let d = self.lab.devices[dev].clone();
        let mut reply = console.exec(&d, line);
        // `debug ip …` lines printed since the last line come first.
        reply.text.insert_str(0, &self.take_debug_of(dev));
        if let Some(cfg) = reply.config.take()
            && let Err(e) = self.configure(dev, &cfg)
        {
            reply.text = format!("% {e}\n");
            reply.ok = false;
            reply.effect = shell::ios::Effect::None;
        }
        let d = &self.lab.devices[dev];
        match reply.effect {
            shell::ios::Effect::None => {}
            shell::ios::Effect::ClearNat
            | shell::ios::Effect::DebugNat(_)
            | shell::ios::Effect::DebugOspf(_) => {
                self.console_nat(dev, &reply.effect);
                // `undebug all` / `no debug all` turn RIP's debugging off too.
                if reply.effect == shell::ios::Effect::DebugNat(false)
                    && line.split_whitespace().last() == Some("all")
                {
                    self.console_rip(dev, &shell::ios::Effect::DebugRip(false));
                }
            }
            shell::ios::Effect::DebugRip(_) => self.console_rip(dev, &reply.effect),
            shell::ios::Effect::Show(s) => {
                let (text, ok) = shell::ios::show::render(
                    s,
                    &self.nodes[dev],
                    d,
                    &self.line[dev],
                    self.now,
                    self.lab.start_unix,
                );
                reply.text.push_str(&text);
                reply.ok &= ok;
            }
            shell::ios::Effect::Reload => {
                let d = d.clone();
                self.kill_jobs(dev);
                self.nodes[dev] = Node::boot(&d, self.seed);
                self.refresh_router_names();
                self.timer_at[dev] = None;
                self.sync_switch(dev, &self.bridge_names());
                self.flush(dev);
            }
            // The caller runs the probes (`device::router::ping`) in a job.
            shell::ios::Effect::Ping(_) | shell::ios::Effect::Traceroute(_) => {}
        }
        reply
    }

    /// Starts a console's `ping` or `traceroute` on router `dev` for job `id`.
    pub(super) fn start_probe(&mut self, dev: usize, id: JobId, effect: shell::ios::Effect) {
        self.run_device(dev, |node, ctx| match (node, effect) {
            (Node::Router(r), shell::ios::Effect::Ping(o)) => r.start_ping(ctx, id, o),
            (Node::Router(r), shell::ios::Effect::Traceroute(a)) => r.start_traceroute(ctx, id, a),
            (Node::Switch(s), shell::ios::Effect::Ping(o)) => s.start_ping(ctx, id, o),
            (Node::Switch(s), shell::ios::Effect::Traceroute(a)) => s.start_traceroute(ctx, id, a),
            _ => {}
        });
        // Notes stay for the action's trace entry; frames go out now.
        self.flush(dev);
    }

    /// Ends the programs running on device `dev` (switched off, reloaded).
    fn kill_jobs(&mut self, dev: usize) {
        match &mut self.nodes[dev] {
            Node::Host(h) => h.kill_runs(self.now, &mut self.jobs),
            Node::Router(r) => r.kill_probes(self.now, &mut self.jobs),
            Node::Switch(s) => s.kill_probes(self.now, &mut self.jobs),
        }
    }

    /// The console prompt of a router or switch (`R1(config)#`).
    pub fn console_prompt(&self, device: &str) -> Option<String> {
        let dev = self.dev_by_name(device)?;
        Some(self.consoles.get(dev)?.prompt(&self.lab.devices[dev]))
    }

    /// The console session of a router or switch (history, `?`, Tab).
    pub fn console(&self, device: &str) -> Option<(&shell::ios::Console, &crate::lab::Device)> {
        let dev = self.dev_by_name(device)?;
        if matches!(self.nodes[dev], Node::Host(_)) {
            return None;
        }
        Some((self.consoles.get(dev)?, &self.lab.devices[dev]))
    }

    /// A new running job on host `dev`.
    pub(super) fn new_job(
        &mut self,
        dev: usize,
        line: &str,
        scripted: Option<usize>,
    ) -> Result<JobId, ActionError> {
        let name = self.lab.devices[dev].name.clone();
        if !matches!(self.nodes[dev], Node::Host(_)) {
            return Err(ActionError::NoPrompt(name));
        }
        if !self.powered[dev] {
            return Err(ActionError::PoweredOff(name));
        }
        Ok(self.push_job(dev, line, scripted))
    }

    pub(super) fn push_job(&mut self, dev: usize, line: &str, scripted: Option<usize>) -> JobId {
        let id = JobId(self.jobs.len() as u32);
        self.jobs.push(Job {
            id,
            device: self.ids[dev],
            line: line.to_string(),
            output: String::new(),
            status: JobStatus::Running,
            started: self.now,
            finished: None,
            scripted,
            result: None,
        });
        id
    }

    fn run_command(
        &mut self,
        dev: usize,
        line: &str,
        scripted: Option<usize>,
    ) -> Result<JobId, ActionError> {
        if !matches!(self.nodes[dev], Node::Host(_)) {
            return self.run_console(dev, line, scripted);
        }
        let id = self.new_job(dev, line, scripted)?;
        let now = self.now;
        let Node::Host(host) = &self.nodes[dev] else {
            unreachable!("checked by new_job")
        };
        let immediate = match shell::parse(line) {
            Err(ShellError::Empty) => Some((String::new(), true)),
            Err(e) => Some((format!("{e}\n"), false)),
            Ok(Command::Help) => Some((shell::help(), true)),
            Ok(Command::Ipconfig { all }) => {
                Some((shell::ipconfig(host, all, self.lab.start_unix), true))
            }
            Ok(Command::Arp) => Some((shell::arp(host, now), true)),
            Ok(Command::Netstat) => Some((shell::netstat(host), true)),
            Ok(Command::Ping {
                target: Target::Addr(a),
                count,
            }) => {
                self.start_run(dev, id, Run::ping(a, count));
                None
            }
            Ok(Command::Tracert {
                target: Target::Addr(a),
                max_hops,
            }) => {
                self.start_run(dev, id, Run::tracert(a, max_hops));
                None
            }
            Ok(Command::Ping {
                target: Target::Name(n),
                count,
            }) => {
                let app = ResolveThenRun::new(id, &n, Then::Ping(count));
                self.mount_app(dev, Box::new(app));
                None
            }
            Ok(Command::Tracert {
                target: Target::Name(n),
                max_hops,
            }) => {
                let app = ResolveThenRun::new(id, &n, Then::Tracert(max_hops));
                self.mount_app(dev, Box::new(app));
                None
            }
            Ok(Command::Telnet { host, port }) => {
                let remote = std::net::SocketAddrV4::new(host, port);
                let app = crate::shell::telnet::Telnet::new(id, remote);
                self.mount_app(dev, Box::new(app));
                None
            }
            Ok(Command::Nslookup(c)) => {
                self.mount_app(dev, Box::new(Nslookup::new(id, c)));
                None
            }
            Ok(Command::IpconfigDhcp { release }) => {
                self.dhcp_command(dev, id, release);
                None
            }
        };
        if let Some((text, ok)) = immediate {
            let job = &mut self.jobs[id.0 as usize];
            job.output = text;
            job.finish(now, ok);
        }
        Ok(id)
    }

    /// Mounts an app on host `dev` (a program started at its prompt or by
    /// an action).
    pub(crate) fn mount_app(&mut self, dev: usize, app: Box<dyn crate::services::app::App>) {
        self.run_device(dev, |node, ctx| {
            if let Node::Host(h) = node {
                h.mount(ctx, app);
            }
        });
        self.flush(dev);
    }

    /// `ipconfig /release` or `/renew` for job `job`.
    fn dhcp_command(&mut self, dev: usize, job: JobId, release: bool) {
        self.run_device(dev, |node, ctx| {
            if let Node::Host(h) = node {
                h.dhcp_job(ctx, job, release);
            }
        });
        self.flush(dev);
    }

    fn start_run(&mut self, dev: usize, job: JobId, run: Run) {
        self.run_device(dev, |node, ctx| {
            if let Node::Host(h) = node {
                h.start_run(ctx, job, run);
            }
        });
        // Notes stay for the action's trace entry; frames go out now.
        self.flush(dev);
    }
}
