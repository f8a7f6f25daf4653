//! The mail client's buttons as engine actions ([`Action::SendMail`],
//! [`Action::ReceiveMail`], [`Action::Mail`]), input lines for interactive
//! jobs (`telnet`), and read-only views of the mail apps for the UI.

use crate::action::Action;
use crate::device::Node;
use crate::job::JobId;
use crate::mailclient::MailClient;
use crate::services::mail::MailServer;
use crate::services::mail::app::{CxIo, MailClientApp, MailServerApp};

use super::{ActionError, Engine};

impl Engine {
    /// Runs a mail-client action on its device as a new job.
    pub(super) fn apply_mail(
        &mut self,
        action: &Action,
        scripted: Option<usize>,
    ) -> Result<Option<JobId>, ActionError> {
        let dev = self.dev_index(action.device())?;
        let job = self.new_job(dev, &action.to_string(), scripted)?;
        let action = action.clone();
        self.run_device(dev, |node, ctx| {
            let Node::Host(h) = node else { return };
            let found = h.with_service(ctx, "mail_client", &mut |app, cx| {
                let Some(m) = app.as_any_mut().downcast_mut::<MailClientApp>() else {
                    return;
                };
                let io = &mut CxIo(cx);
                match &action {
                    Action::SendMail {
                        to, subject, body, ..
                    } => m.client.send(io, job, to, subject, body),
                    Action::ReceiveMail { .. } => m.client.receive(io, job),
                    Action::Mail { op, .. } => m.client.run_op(io, job, op),
                    _ => {}
                }
            });
            if !found && let Some(j) = ctx.jobs.get_mut(job.0 as usize) {
                j.println("This device has no mail account: set up the mail client first.");
                j.finish(ctx.now, false);
            }
        });
        self.flush(dev);
        Ok(Some(job))
    }

    /// Sends an input line to a running interactive job (what the student
    /// types into `telnet`). Logged as [`Action::Input`], so it replays.
    ///
    /// # Errors
    /// [`ActionError::NoJob`] when the job is not running or takes no input.
    pub fn job_input(&mut self, job: JobId, line: &str) -> Result<(), ActionError> {
        let device = self
            .jobs
            .get(job.0 as usize)
            .and_then(|j| self.lab.device(j.device))
            .map(|d| d.name.clone())
            .ok_or(ActionError::NoJob(job.0))?;
        self.act(Action::Input {
            device,
            job: Some(job.0),
            line: line.to_string(),
        })
        .map(|_| ())
    }

    pub(super) fn apply_input(
        &mut self,
        device: &str,
        job: Option<u32>,
        line: &str,
    ) -> Result<Option<JobId>, ActionError> {
        let dev = self.dev_index(device)?;
        let id = self.ids[dev];
        let job = match job {
            Some(j) => JobId(j),
            None => self
                .jobs
                .iter()
                .rev()
                .find(|j| j.device == id && j.status == crate::job::JobStatus::Running)
                .map(|j| j.id)
                .ok_or(ActionError::NoJob(u32::MAX))?,
        };
        let mut taken = false;
        self.run_device(dev, |node, ctx| {
            if let Node::Host(h) = node {
                taken = h.job_input(ctx, job, line);
            }
        });
        self.flush(dev);
        if taken {
            Ok(None)
        } else {
            Err(ActionError::NoJob(job.0))
        }
    }

    /// The mail client of a device, to show its account and local mailbox.
    pub fn mail_client(&self, device: &str) -> Option<&MailClient> {
        self.host(device)?
            .service("mail_client")?
            .as_any()
            .downcast_ref::<MailClientApp>()
            .map(|a| &a.client)
    }

    /// The e-mail service of a server, to show its mailboxes and queue.
    pub fn mail_server(&self, device: &str) -> Option<&MailServer> {
        self.host(device)?
            .service("mail")?
            .as_any()
            .downcast_ref::<MailServerApp>()
            .map(MailServerApp::server)
    }
}
