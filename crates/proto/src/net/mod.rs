//! Host networking engines below the applications: ARP cache, IPv4 interface configuration and routing decisions, ICMP, UDP sockets (RFC 826, 791, 792, 768).
