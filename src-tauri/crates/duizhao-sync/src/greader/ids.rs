//! Google Reader item ids in their two spellings, converted exactly.
//!
//! An item id is a 64-bit number. `stream/items/ids` lists it in decimal (FreshRSS and
//! Miniflux print the signed value; Google's own service printed negative numbers, and some
//! servers print the unsigned value), while `stream/items/contents` names items in the long
//! form `tag:google.com,2005:reader/item/<16 hex digits>`, the zero-padded two's complement
//! (FreshRSS `Entry::dec2hex`: `str_pad(dechex($id), 16, '0', STR_PAD_LEFT)`; Miniflux
//! `item.go`: `%016x`). Both forms of one item must map to the same [`ItemId`], or read state
//! would be applied to the wrong article.
//!
//! Accepted, as the servers accept them (FreshRSS `greader.php` `streamContentsItems`,
//! Miniflux `item.go` `parseItemID`): the long form (1 to 16 hex digits after the prefix), a
//! bare 16-digit hex form (Reeder), and decimal (signed or unsigned 64-bit). A decimal string
//! with a leading zero is read as hex, as FreshRSS does.

use crate::model::ItemId;

/// The prefix of the long form.
pub const LONG_PREFIX: &str = "tag:google.com,2005:reader/item/";

/// The long form of `id`: `tag:google.com,2005:reader/item/` + 16 lower-case hex digits.
pub fn to_long_form(id: ItemId) -> String {
    format!("{LONG_PREFIX}{:016x}", id.0 as u64)
}

/// The decimal form of `id` (signed, as FreshRSS and Miniflux list it).
pub fn to_decimal(id: ItemId) -> String {
    id.0.to_string()
}

/// Parses any accepted spelling of an item id; `None` when it is none of them.
pub fn parse(s: &str) -> Option<ItemId> {
    let s = s.trim();
    if let Some(hex) = s.strip_prefix(LONG_PREFIX) {
        return parse_hex(hex);
    }
    let digits = s.strip_prefix('-').unwrap_or(s);
    let all_digits = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    if all_digits && !(s.len() > 1 && s.starts_with('0')) {
        if let Ok(v) = s.parse::<i64>() {
            return Some(ItemId(v));
        }
        // Above i64::MAX: the unsigned spelling of a negative id.
        return s.parse::<u64>().ok().map(|v| ItemId(v as i64));
    }
    if s.len() == 16 {
        return parse_hex(s);
    }
    None
}

fn parse_hex(hex: &str) -> Option<ItemId> {
    if hex.is_empty() || hex.len() > 16 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u64::from_str_radix(hex, 16).ok().map(|v| ItemId(v as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_form_is_zero_padded_twos_complement() {
        assert_eq!(
            to_long_form(ItemId(344_691_561)),
            "tag:google.com,2005:reader/item/00000000148b9369",
            "Miniflux's documented example"
        );
        assert_eq!(
            to_long_form(ItemId(-1)),
            "tag:google.com,2005:reader/item/ffffffffffffffff"
        );
        assert_eq!(
            to_long_form(ItemId(i64::MIN)),
            "tag:google.com,2005:reader/item/8000000000000000"
        );
    }

    #[test]
    fn every_spelling_of_one_id_is_the_same_id() {
        let cases: &[(&str, i64)] = &[
            ("344691561", 344_691_561),
            (
                "tag:google.com,2005:reader/item/00000000148b9369",
                344_691_561,
            ),
            ("tag:google.com,2005:reader/item/148B9369", 344_691_561),
            ("00000000148b9369", 344_691_561),
            ("tag:google.com,2005:reader/item/2f2", 0x2f2),
            ("000000000000048c", 0x48c),
            // A FreshRSS id: microseconds since the epoch.
            ("1700000000123456", 1_700_000_000_123_456),
            ("-6088692003391457281", -6_088_692_003_391_457_281),
            // The same id as an unsigned decimal and as hex.
            ("12358052070318094335", -6_088_692_003_391_457_281),
            (
                "tag:google.com,2005:reader/item/ab809ee1d71737ff",
                -6_088_692_003_391_457_281,
            ),
            ("9223372036854775807", i64::MAX),
            ("18446744073709551615", -1),
            ("0", 0),
        ];
        for (s, want) in cases {
            assert_eq!(parse(s), Some(ItemId(*want)), "{s}");
        }
        for id in [0, 1, 42, -1, i64::MIN, i64::MAX, 1_700_000_000_123_456] {
            let id = ItemId(id);
            assert_eq!(parse(&to_long_form(id)), Some(id), "long form round trip");
            assert_eq!(parse(&to_decimal(id)), Some(id), "decimal round trip");
        }
    }

    #[test]
    fn garbage_is_refused() {
        for s in [
            "",
            "-",
            "abc",
            "tag:google.com,2005:reader/item/",
            "tag:google.com,2005:reader/item/xyz",
            "tag:google.com,2005:reader/item/00000000000000001",
            "18446744073709551616",
            "12 34",
            "1e5",
        ] {
            assert_eq!(parse(s), None, "{s:?} must not parse");
        }
    }
}
