//! AUTH on a submission server (RFC 4954 §4 examples, RFC 4616 PLAIN, the
//! LOGIN mechanism), PIPELINING (RFC 2920 §3.2) and SIZE (RFC 1870 §6.1).

use super::*;

/// All lines of the next (possibly multiline) reply.
fn reply(t: &mut Talk) -> String {
    let mut all = String::new();
    loop {
        let line = t.next_line();
        all.push_str(&line);
        all.push('\n');
        if line.as_bytes().get(3) != Some(&b'-') {
            return all;
        }
    }
}

fn submission() -> Talk {
    let config = ServerConfig {
        hostname: "mail.hasan.com".into(),
        submission: true,
        relay: crate::smtp::RelayPolicy::Deny,
        ..ServerConfig::default()
    };
    let mut t = Talk::with(config, hasan_store());
    t.expect_server("220 mail.hasan.com ESMTP lanlab ready");
    t
}

#[test]
fn auth_plain_and_login_on_submission() {
    let mut t = submission();
    t.client("AUTH PLAIN");
    t.expect_server("503 5.5.1 Error: send EHLO first");
    t.client("EHLO pc1");
    t.expect_server_lines(&[
        "250-mail.hasan.com Hello pc1",
        "250-SIZE 10485760",
        "250-8BITMIME",
        "250-PIPELINING",
        "250-ENHANCEDSTATUSCODES",
        "250-HELP",
        "250 AUTH PLAIN LOGIN",
    ]);
    t.client("MAIL FROM:<akbari@hasan.com>");
    t.expect_server("530 5.7.0 Authentication required");
    t.client("AUTH CRAM-MD5");
    t.expect_server("504 5.5.4 Unsupported authentication mechanism CRAM-MD5; use PLAIN or LOGIN");
    // "\0akbari\0wrong"
    t.client("AUTH PLAIN AGFrYmFyaQB3cm9uZw==");
    t.expect_server("535 5.7.8 Error: authentication failed");
    // RFC 4954 §4: an empty challenge, then the response; "*" cancels.
    t.client("AUTH PLAIN");
    t.expect_server("334 ");
    t.client("*");
    t.expect_server("501 5.7.0 Authentication aborted");
    t.client("AUTH LOGIN");
    t.expect_server("334 VXNlcm5hbWU6");
    t.client("YWtiYXJp");
    t.expect_server("334 UGFzc3dvcmQ6");
    t.client("YWtiYXJpMTIz");
    t.expect_server("235 2.7.0 Authentication successful");
    t.client("AUTH PLAIN AGFrYmFyaQBha2JhcmkxMjM=");
    t.expect_server("503 5.5.1 Error: already authenticated");
    // Logged in: foreign recipients are relayed although the policy says Deny.
    t.client("MAIL FROM:<akbari@hasan.com>");
    t.expect_server("250 2.1.0 Ok");
    t.client("RCPT TO:<bob@x.org>");
    t.expect_server("251 2.1.5 User not local; will forward to <bob@x.org>");
}

#[test]
fn auth_plain_initial_response_and_port_25() {
    let mut t = submission();
    t.client("EHLO pc1");
    t.expect_server_lines(&[
        "250-mail.hasan.com Hello pc1",
        "250-SIZE 10485760",
        "250-8BITMIME",
        "250-PIPELINING",
        "250-ENHANCEDSTATUSCODES",
        "250-HELP",
        "250 AUTH PLAIN LOGIN",
    ]);
    t.client("AUTH PLAIN AGFrYmFyaQBha2JhcmkxMjM=");
    t.expect_server("235 2.7.0 Authentication successful");
    let notes: Vec<String> = std::iter::from_fn(|| t.server.poll_note())
        .map(|n| n.to_string())
        .collect();
    assert!(
        notes.contains(&"AUTH PLAIN: akbari logged in (235)".to_string()),
        "{notes:?}"
    );

    let mut t = Talk::new();
    t.expect_server("220 mail.hasan.com ESMTP lanlab ready");
    t.client("EHLO pc1");
    let ehlo = reply(&mut t);
    assert!(!ehlo.contains("AUTH"), "{ehlo}");
    t.client("AUTH PLAIN AGFrYmFyaQBha2JhcmkxMjM=");
    t.expect_server(
        "502 5.5.1 Error: authentication not enabled here; use the submission port 587",
    );
}

#[test]
fn pipelined_commands_answered_in_order_and_size_enforced() {
    let mut t = Talk::new();
    t.expect_server("220 mail.hasan.com ESMTP lanlab ready");
    t.client("EHLO pc1");
    reply(&mut t);
    // RFC 2920 §3.2: the whole group in one write, replies in order.
    t.raw("MAIL FROM:<bob@x.org>\r\nRCPT TO:<akbari@hasan.com>\r\nRCPT TO:<nobody@hasan.com>\r\nDATA\r\n");
    t.expect_server("250 2.1.0 Ok");
    t.expect_server("250 2.1.5 Ok");
    t.expect_server("550 …");
    t.expect_server("354 End data with <CR><LF>.<CR><LF>");
    t.raw("Subject: hi\r\n\r\nhello\r\n.\r\nQUIT\r\n");
    t.expect_server("250 …");
    t.expect_server("221 …");
    // RFC 1870 §6.1: a declared size over the limit gets 552.
    let config = ServerConfig {
        hostname: "mail.hasan.com".into(),
        max_message_size: 100,
        ..ServerConfig::default()
    };
    let mut t = Talk::with(config, hasan_store());
    t.expect_server("220 mail.hasan.com ESMTP lanlab ready");
    t.client("EHLO pc1");
    reply(&mut t);
    t.client("MAIL FROM:<bob@x.org> SIZE=101");
    t.expect_server("552 5.3.4 Message size exceeds fixed limit");
    t.client("MAIL FROM:<bob@x.org> SIZE=10 BODY=8BITMIME");
    t.expect_server("250 2.1.0 Ok");
    t.client("RCPT TO:<akbari@hasan.com>");
    t.next_line();
    t.client("DATA");
    t.next_line();
    t.raw(&format!("Subject: big\r\n\r\n{}\r\n.\r\n", "x".repeat(200)));
    t.expect_server("552 …");
}
