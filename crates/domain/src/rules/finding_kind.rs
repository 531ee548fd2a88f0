//! Which inventory of the plan (task 11) a finding belongs to — 闲置土地, 批而未供 or 低效用地 —
//! read from its rule id, so that lists can be filtered and counted by the three the plan asks
//! each park to keep.

use super::Finding;
use serde::{Deserialize, Serialize};

/// The inventory a finding belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// 闲置土地 (闲置土地处置办法 Art. 2): `IDLE-A…`, `IDLE-B…`, with or without `-GOV`.
    Idle,
    /// 批而未供 (and 批而未征, 征而未供): `PWG`, `UNS-…`.
    Unsupplied,
    /// 低效用地: `LE-1` … `LE-9`.
    LowEfficiency,
    /// Any other rule (e.g. a future one): listed, never hidden.
    Other,
}

impl FindingKind {
    /// Every kind, in the plan's order.
    pub const ALL: [FindingKind; 4] = [
        Self::Idle,
        Self::Unsupplied,
        Self::LowEfficiency,
        Self::Other,
    ];

    /// The kind of a rule id.
    pub fn of_rule(rule_id: &str) -> Self {
        let family = rule_id.split('-').next().unwrap_or("");
        match family {
            "IDLE" => Self::Idle,
            "PWG" | "UNS" => Self::Unsupplied,
            "LE" => Self::LowEfficiency,
            _ => Self::Other,
        }
    }

    /// The name used in query strings (`idle`, `unsupplied`, `low_efficiency`, `other`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Idle => "idle",
            Self::Unsupplied => "unsupplied",
            Self::LowEfficiency => "low_efficiency",
            Self::Other => "other",
        }
    }

    /// Parses [`FindingKind::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The inventory's name in Chinese.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Idle => "闲置土地",
            Self::Unsupplied => "批而未供",
            Self::LowEfficiency => "低效用地",
            Self::Other => "其他",
        }
    }
}

impl Finding {
    /// The inventory this finding belongs to.
    pub fn kind(&self) -> FindingKind {
        FindingKind::of_rule(&self.rule_id)
    }
}

#[cfg(test)]
mod tests {
    use super::FindingKind::{self, *};

    #[test]
    fn every_rule_id_of_the_scan_has_its_inventory() {
        for (id, kind) in [
            ("IDLE-A-1Y", Idle),
            ("IDLE-A-2Y", Idle),
            ("IDLE-B-2Y-GOV", Idle),
            ("PWG", Unsupplied),
            ("UNS-ACQ", Unsupplied),
            ("UNS-NOACQ", Unsupplied),
            ("LE-1", LowEfficiency),
            ("LE-9", LowEfficiency),
            ("STOCK", Other),
            ("", Other),
            ("IDLEX", Other),
            ("LEX-1", Other),
        ] {
            assert_eq!(FindingKind::of_rule(id), kind, "{id}");
        }
    }

    #[test]
    fn names_round_trip() {
        for k in FindingKind::ALL {
            assert_eq!(FindingKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(FindingKind::parse("Idle"), None);
    }
}
