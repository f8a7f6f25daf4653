//! TCP (RFC 9293): a sans-IO connection engine over `smoltcp::wire` segments.
