//! DHCP (RFC 2131/2132): message codec, server, client state machine, relay.
