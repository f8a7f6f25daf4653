//! Packet filters: a host firewall (ordered rules, stateful replies) and router access lists (numbered/named, in/out, implicit deny, hit counters).
