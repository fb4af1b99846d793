//! The MAC address type: parsing from text (leases) and bytes (netlink), printing, and the
//! bits that tell whether an address was randomised.

use std::fmt;
use std::str::FromStr;

/// A 48-bit Ethernet/WiFi hardware address.
///
/// It identifies a device across address changes, so it is kept inside the appliance (memory,
/// the database) and never shown by the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MacAddr(pub [u8; 6]);

/// Why text or bytes are not a MAC address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MacError {
    /// Not six hex pairs separated by `:` or `-`.
    #[error("not a MAC address (six hex pairs separated by ':')")]
    Syntax,
    /// A hardware address of another length (InfiniBand, FireWire, ...).
    #[error("hardware address of {0} bytes, not 6")]
    Length(usize),
}

impl MacAddr {
    /// From the bytes of a netlink `NDA_LLADDR` or a DUID.
    pub fn from_bytes(bytes: &[u8]) -> Result<MacAddr, MacError> {
        <[u8; 6]>::try_from(bytes)
            .map(MacAddr)
            .map_err(|_| MacError::Length(bytes.len()))
    }

    /// The 24-bit prefix the IEEE assigns to a vendor (the OUI).
    pub fn oui(self) -> u32 {
        u32::from_be_bytes([0, self.0[0], self.0[1], self.0[2]])
    }

    /// Locally administered (bit 1 of the first octet): set by software, not by the vendor.
    /// Phones and laptops use such addresses to avoid being tracked ("private WiFi address",
    /// "randomised MAC"), so the prefix says nothing about who made the device.
    pub fn is_locally_administered(self) -> bool {
        self.0[0] & 0x02 != 0
    }

    /// A group (multicast/broadcast) address: never a device's own.
    pub fn is_multicast(self) -> bool {
        self.0[0] & 0x01 != 0
    }

    /// All zeros: what the kernel reports for entries without a hardware address.
    pub fn is_zero(self) -> bool {
        self.0 == [0; 6]
    }

    /// Usable as a device's identity: not zero, not multicast/broadcast.
    pub fn is_unicast(self) -> bool {
        !self.is_zero() && !self.is_multicast()
    }
}

impl fmt::Display for MacAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.0;
        write!(
            f,
            "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            b[0], b[1], b[2], b[3], b[4], b[5]
        )
    }
}

impl FromStr for MacAddr {
    type Err = MacError;

    /// `aa:bb:cc:dd:ee:ff` or `AA-BB-CC-DD-EE-FF`; other lengths of colon-separated hex (as
    /// dnsmasq writes for non-Ethernet hardware) are [`MacError::Length`].
    fn from_str(s: &str) -> Result<MacAddr, MacError> {
        let sep = if s.contains('-') { '-' } else { ':' };
        let mut bytes = Vec::with_capacity(6);
        for part in s.split(sep) {
            if part.len() != 2 {
                return Err(MacError::Syntax);
            }
            bytes.push(u8::from_str_radix(part, 16).map_err(|_| MacError::Syntax)?);
            if bytes.len() > 20 {
                return Err(MacError::Syntax);
            }
        }
        MacAddr::from_bytes(&bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let m: MacAddr = "B8:27:EB:01:02:0a".parse().unwrap();
        assert_eq!(m.to_string(), "b8:27:eb:01:02:0a");
        assert_eq!(m.oui(), 0xb827eb);
        assert_eq!("b8-27-eb-01-02-0a".parse::<MacAddr>().unwrap(), m);
        assert!(!m.is_locally_administered());
        assert!(m.is_unicast());
    }

    #[test]
    fn refuses_what_is_not_a_mac() {
        for bad in [
            "",
            "b8:27:eb:01:02",
            "b8:27:eb:01:02:0g",
            "b827eb01020a",
            "b8:27:eb:1:2:3",
        ] {
            assert!(bad.parse::<MacAddr>().is_err(), "{bad}");
        }
        assert_eq!(
            "00:11:22:33:44:55:66:77".parse::<MacAddr>(),
            Err(MacError::Length(8))
        );
        assert_eq!(MacAddr::from_bytes(&[1, 2, 3]), Err(MacError::Length(3)));
    }

    #[test]
    fn flags() {
        let local: MacAddr = "02:77:66:00:00:0a".parse().unwrap();
        assert!(local.is_locally_administered());
        let random: MacAddr = "da:a1:19:00:00:01".parse().unwrap();
        assert!(random.is_locally_administered());
        assert!("ff:ff:ff:ff:ff:ff"
            .parse::<MacAddr>()
            .unwrap()
            .is_multicast());
        assert!(!MacAddr([0; 6]).is_unicast());
    }
}
