//! DNS (RFC 1034/1035, 3596, 2782): message codec, authoritative zones, recursive resolver, stub resolver.
