//! Robustness of the code parsers against any text (issue 3's fuzzing, run as property tests
//! so that the ordinary test command runs them): 统一社会信用代码, 宗地代码 (and 不动产单元号) and
//! 行政区划代码 parse any string without panicking; what they accept is exactly what they give
//! back, and every refusal names the field it is about. `LANDCYCLE_FUZZ_CASES` sets the cases
//! (default 2048 each); longer runs are recorded in SECURITY.md.
#![allow(missing_docs, clippy::unwrap_used)]

use landcycle_domain::codes::uscc_check_char;
use landcycle_domain::{AdminCode, DomainError, Uscc, ZongdiCode};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("LANDCYCLE_FUZZ_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(2048),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Text near the codes' shapes: their alphabets, lengths around theirs, Chinese and full-width
/// characters, whitespace, and anything at all.
fn near_code() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9A-Z]{0,24}",
        "[0-9A-HJ-NP-RTUWXY]{17,19}",
        "4110[0-9]{2}[0-9]{6}[GJZ][A-Z][0-9]{5}",
        "4110[0-9]{2}[0-9]{6}[GJZ][A-Z][0-9]{5}[FLQW][0-9]{8}",
        "[ \\t０-９Ａ-Ｚ魏都许昌]{0,20}",
        "\\PC{0,30}",
        ".{0,40}",
    ]
}

fn named_field(e: &DomainError) -> bool {
    let errs = e.field_errors();
    !errs.is_empty() && errs.iter().all(|f| !f.field.is_empty())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn uscc_parses_anything_and_keeps_what_it_accepts(s in near_code()) {
        match Uscc::parse(&s) {
            Ok(u) => {
                let code = u.as_str();
                prop_assert_eq!(code.len(), 18);
                prop_assert_eq!(uscc_check_char(&code[..17]), code.chars().last());
                let again = Uscc::parse(code).unwrap();
                prop_assert_eq!(again.as_str(), code);
            }
            Err(e) => prop_assert!(named_field(&e), "{e:?}"),
        }
    }

    #[test]
    fn zongdi_code_parses_anything_and_keeps_what_it_accepts(s in near_code()) {
        match ZongdiCode::parse(&s) {
            Ok(c) => {
                let again = ZongdiCode::parse(c.as_str()).unwrap();
                prop_assert_eq!(again.as_str(), c.as_str());
            }
            Err(e) => prop_assert!(named_field(&e), "{e:?}"),
        }
        match ZongdiCode::parse_unit(&s) {
            Ok(c) => prop_assert!(ZongdiCode::parse_unit(c.as_str()).is_ok() || ZongdiCode::parse(c.as_str()).is_ok()),
            Err(e) => prop_assert!(named_field(&e), "{e:?}"),
        }
    }

    #[test]
    fn admin_code_parses_anything_and_keeps_what_it_accepts(s in near_code()) {
        match AdminCode::parse(&s) {
            Ok(c) => {
                let again = AdminCode::parse(c.as_str()).unwrap();
                prop_assert_eq!(again.as_str(), c.as_str());
            }
            Err(e) => prop_assert!(named_field(&e), "{e:?}"),
        }
    }

    #[test]
    fn one_changed_character_of_a_valid_uscc_is_caught(body in "[0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{9}", at in 0usize..18, shift in 1usize..31) {
        // The replacement is another character of the code's 31-character alphabet by
        // construction (a rejected draw would abort long runs: proptest's reject limit).
        const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
        let code = format!("{body}{}", uscc_check_char(&body).unwrap());
        let mut chars: Vec<char> = code.chars().collect();
        let was = ALPHABET.iter().position(|&b| char::from(b) == chars[at]).unwrap();
        chars[at] = char::from(ALPHABET[(was + shift) % ALPHABET.len()]);
        let changed: String = chars.into_iter().collect();
        prop_assert!(Uscc::parse(&changed).is_err(), "{changed} passed its check");
    }
}
