//! S6: a student talks to the SMTP server by hand over telnet: bare LF line
//! ends, one character per segment, typos, then a real message.

use super::*;

#[test]
fn s6_telnet_session_by_hand() {
    let mut t = Talk::new();
    t.expect_server("220 mail.hasan.com ESMTP lanlab ready");
    let typed = "helo pc0\nmail from: <12_5b_01@hasan.com>\nrcpt to:<akbari@hasan.com>\ndata\n\
                 Subject: dari telnet\n\nhalo akbari\n.\nquit\n";
    for c in typed.chars() {
        t.raw(&c.to_string());
    }
    t.expect_server_lines(&[
        "250 mail.hasan.com Hello pc0",
        "250 2.1.0 Ok",
        "250 2.1.5 Ok",
        "354 End data with <CR><LF>.<CR><LF>",
        "250 2.0.0 Ok: queued as 0.1",
        "221 2.0.0 Bye",
    ]);
    let id = t.store.find_login("akbari").unwrap();
    let raw = &t.store.folder(&id, INBOX).unwrap().get(1).unwrap().raw;
    assert!(
        raw.ends_with("Subject: dari telnet\r\n\r\nhalo akbari\r\n"),
        "{raw:?}"
    );
}
