//! Netlink framing shared by everything that reads from the kernel over netlink (the
//! conntrack reader, the neighbour table, NFLOG, ending a connection): splitting a received
//! datagram into its messages. Decoding each message is the reader's own business.

/// Size of a netlink message header (`struct nlmsghdr`).
pub const NLMSG_HDRLEN: usize = 16;

/// The messages of one datagram, header included, in order. A message whose length does not
/// fit the bytes left ends the datagram with one `Err` saying so; fewer bytes left than a
/// header (padding) end it quietly.
pub fn frames(datagram: &[u8]) -> impl Iterator<Item = Result<&[u8], String>> {
    let mut rest = datagram;
    std::iter::from_fn(move || {
        if rest.len() < NLMSG_HDRLEN {
            return None;
        }
        let len = u32::from_ne_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        if len < NLMSG_HDRLEN || len > rest.len() {
            let why = format!(
                "netlink message length {len} does not fit the {} bytes left",
                rest.len()
            );
            rest = &[];
            return Some(Err(why));
        }
        let msg = &rest[..len];
        // Messages start on 4-byte boundaries.
        rest = &rest[((len + 3) & !3).min(rest.len())..];
        Some(Ok(msg))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(len: u32, fill: u8) -> Vec<u8> {
        let mut m = len.to_ne_bytes().to_vec();
        m.resize(len as usize, fill);
        m
    }

    #[test]
    fn splits_aligned_messages_and_stops_at_a_bad_length() {
        let mut dgram = message(18, 1);
        dgram.extend_from_slice(&[0, 0]); // padding to 20
        dgram.extend(message(16, 2));
        let got: Vec<_> = frames(&dgram).collect();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].as_ref().map(|m| m.len()), Ok(18));
        assert_eq!(got[1].as_ref().map(|m| m[4]), Ok(2));

        let mut broken = message(16, 1);
        broken.extend(message(100, 3)[..20].to_vec());
        let got: Vec<_> = frames(&broken).collect();
        assert_eq!(got.len(), 2);
        assert!(got[0].is_ok());
        assert_eq!(
            got[1],
            Err("netlink message length 100 does not fit the 20 bytes left".to_string())
        );
        assert_eq!(
            frames(&[0u8; 10]).count(),
            0,
            "short trailing bytes are padding"
        );
        assert_eq!(frames(&message(8, 0)[..]).count(), 0);
    }
}
