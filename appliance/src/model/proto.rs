//! Transport protocols.

use serde::Serialize;

/// Transport protocol of a flow, as the API names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Proto {
    /// TCP (IP protocol 6).
    Tcp,
    /// UDP (IP protocol 17).
    Udp,
    /// ICMP or ICMPv6 (IP protocols 1 and 58).
    Icmp,
    /// Anything else, by IP protocol number.
    #[serde(untagged)]
    Other(u8),
}

impl Proto {
    /// Map an IP protocol number.
    pub fn from_number(n: u8) -> Self {
        match n {
            6 => Proto::Tcp,
            17 => Proto::Udp,
            1 | 58 => Proto::Icmp,
            n => Proto::Other(n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proto_numbers() {
        assert_eq!(Proto::from_number(6), Proto::Tcp);
        assert_eq!(Proto::from_number(58), Proto::Icmp);
        assert_eq!(serde_json::to_string(&Proto::Udp).unwrap(), "\"udp\"");
        assert_eq!(serde_json::to_string(&Proto::Other(132)).unwrap(), "132");
    }
}
