//! The mail store: domains, users, mailboxes, folders, flags, UIDs; message parsing.
