//! SMTP (RFC 5321): server session and relay client.
