//! 供地记录 (land supply record): how and on what terms a parcel was supplied.

use crate::codes::Uscc;
use crate::error::{DomainError, DomainResult, Errors, FieldError};
use crate::parcel::ParcelId;
use crate::units::Yuan;
use jiff::civil::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The id of a supply record.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(transparent)]
#[schema(value_type = String, format = Uuid)]
pub struct SupplyId(pub Uuid);

/// 供应方式.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SupplyMode {
    /// 出让 (grant, by 招拍挂 or agreement).
    Grant,
    /// 划拨 (allocation).
    Allocation,
    /// 租赁 (lease).
    Lease,
    /// 先租后让 (lease, then grant on passing the review).
    LeaseThenTransfer,
    /// 作价出资(入股) (capital contribution).
    CapitalContribution,
}

impl SupplyMode {
    /// Every mode.
    pub const ALL: [SupplyMode; 5] = [
        Self::Grant,
        Self::Allocation,
        Self::Lease,
        Self::LeaseThenTransfer,
        Self::CapitalContribution,
    ];

    /// Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Grant => "出让",
            Self::Allocation => "划拨",
            Self::Lease => "租赁",
            Self::LeaseThenTransfer => "先租后让",
            Self::CapitalContribution => "作价出资",
        }
    }

    /// The 权利性质 a record of this mode carries at signing (§6.5: 先租后让 starts as 租赁).
    pub fn right_nature(self) -> LandRightNature {
        match self {
            Self::Grant => LandRightNature::Granted,
            Self::Allocation => LandRightNature::Allocated,
            Self::Lease | Self::LeaseThenTransfer => LandRightNature::Leased,
            Self::CapitalContribution => LandRightNature::CapitalContribution,
        }
    }

    /// The longest first term allowed (§6.1, §6.5): 50 years for industrial grants (the legal
    /// maximum; the Xuchang 20-year rule is a local policy checked by the rule engine), 5 years
    /// for the lease phase of 先租后让, none for 划拨.
    pub fn max_term_years(self) -> Option<u16> {
        match self {
            Self::Grant | Self::CapitalContribution | Self::Lease => Some(50),
            Self::LeaseThenTransfer => Some(5),
            Self::Allocation => None,
        }
    }
}

/// 权利性质 registration code (§7.3): 101 划拨, 102 出让, 103 作价出资(入股), 104 租赁, 105 授权经营.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub enum LandRightNature {
    /// 101 划拨.
    #[serde(rename = "101")]
    Allocated,
    /// 102 出让.
    #[serde(rename = "102")]
    Granted,
    /// 103 作价出资(入股).
    #[serde(rename = "103")]
    CapitalContribution,
    /// 104 租赁.
    #[serde(rename = "104")]
    Leased,
    /// 105 授权经营.
    #[serde(rename = "105")]
    AuthorisedOperation,
}

impl LandRightNature {
    /// The registration code.
    pub fn code(self) -> u16 {
        match self {
            Self::Allocated => 101,
            Self::Granted => 102,
            Self::CapitalContribution => 103,
            Self::Leased => 104,
            Self::AuthorisedOperation => 105,
        }
    }
    /// From the registration code.
    pub fn from_code(code: u16) -> DomainResult<Self> {
        Ok(match code {
            101 => Self::Allocated,
            102 => Self::Granted,
            103 => Self::CapitalContribution,
            104 => Self::Leased,
            105 => Self::AuthorisedOperation,
            _ => {
                return Err(DomainError::field(
                    "right_nature",
                    Some(&code.to_string()),
                    "权利性质 must be 101–105",
                    "权利性质代码应为101—105",
                ));
            }
        })
    }
}

/// What a user gives to record a supply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SupplyDraft {
    /// The parcel supplied.
    pub parcel_id: ParcelId,
    /// The land user (受让人/承租人).
    pub enterprise: String,
    /// 供应方式.
    pub mode: SupplyMode,
    /// 权利性质 code; defaults from the mode.
    pub right_nature: Option<u16>,
    /// Contract number (合同编号 / 划拨决定书编号).
    pub contract_no: String,
    /// 合同签订日期.
    #[schema(value_type = String, format = Date)]
    pub contract_date: Date,
    /// 约定交地日期.
    #[schema(value_type = Option<String>, format = Date)]
    pub delivery_date: Option<Date>,
    /// 约定开工日期.
    #[schema(value_type = Option<String>, format = Date)]
    pub agreed_start: Option<Date>,
    /// 约定竣工日期.
    #[schema(value_type = Option<String>, format = Date)]
    pub agreed_completion: Option<Date>,
    /// 出让/租赁年限 (years); absent for 划拨.
    pub term_years: Option<u16>,
    /// 价款 in 元.
    #[schema(value_type = String)]
    pub price_yuan: Decimal,
}

/// A supply record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Supply {
    /// Id.
    pub id: SupplyId,
    /// The parcel.
    pub parcel_id: ParcelId,
    /// The land user.
    pub enterprise: Uscc,
    /// 供应方式.
    pub mode: SupplyMode,
    /// 权利性质.
    pub right_nature: LandRightNature,
    /// Contract number.
    pub contract_no: String,
    /// 合同签订日期.
    pub contract_date: Date,
    /// 约定交地日期.
    pub delivery_date: Option<Date>,
    /// 约定开工日期.
    pub agreed_start: Option<Date>,
    /// 约定竣工日期.
    pub agreed_completion: Option<Date>,
    /// Term in years.
    pub term_years: Option<u16>,
    /// 价款.
    pub price: Yuan,
}

impl SupplyDraft {
    /// Validates the record and builds it with the given id.
    pub fn validate(self, id: SupplyId) -> DomainResult<Supply> {
        let mut errs = Errors::new();
        let enterprise =
            errs.take(Uscc::parse(&self.enterprise).map_err(|e| rename(e, "enterprise")));
        let right_nature = match self.right_nature {
            Some(c) => errs.take(LandRightNature::from_code(c)),
            None => Some(self.mode.right_nature()),
        };
        if let Some(rn) = right_nature {
            let ok = rn == self.mode.right_nature()
                || (self.mode == SupplyMode::LeaseThenTransfer && rn == LandRightNature::Granted);
            if !ok {
                errs.push(FieldError::new(
                    "right_nature",
                    Some(&rn.code().to_string()),
                    format!(
                        "权利性质 {} does not fit supply mode {}",
                        rn.code(),
                        self.mode.label_zh()
                    ),
                    format!(
                        "权利性质{}与供应方式“{}”不符",
                        rn.code(),
                        self.mode.label_zh()
                    ),
                ));
            }
        }
        if self.contract_no.trim().is_empty() || self.contract_no.chars().count() > 64 {
            errs.push(FieldError::new(
                "contract_no",
                Some(&self.contract_no),
                "must be 1–64 characters",
                "合同编号应为1—64个字符",
            ));
        }
        // Each date must not precede the one before it in the contract's order.
        let chain = [
            ("contract_date", Some(self.contract_date)),
            ("delivery_date", self.delivery_date),
            ("agreed_start", self.agreed_start),
            ("agreed_completion", self.agreed_completion),
        ];
        let mut prev: Option<(&str, Date)> = None;
        for (name, d) in chain {
            if let Some(d) = d {
                if let Some((pn, pd)) = prev
                    && d < pd
                {
                    errs.push(FieldError::new(
                        name,
                        Some(&d.to_string()),
                        format!("{d} is before {pn} {pd}"),
                        format!("{d}早于{pn} {pd}"),
                    ));
                }
                prev = Some((name, d));
            }
        }
        match (self.mode, self.term_years) {
            (SupplyMode::Allocation, _) => {}
            (m, None) => errs.push(FieldError::new(
                "term_years",
                None,
                format!("required for {}", m.label_zh()),
                format!("“{}”须填写年限", m.label_zh()),
            )),
            (m, Some(t)) => {
                let max = m.max_term_years().unwrap_or(u16::MAX);
                if t == 0 || t > max {
                    errs.push(FieldError::new(
                        "term_years",
                        Some(&t.to_string()),
                        format!("must be 1–{max} years for {}", m.label_zh()),
                        format!("“{}”年限应为1—{max}年", m.label_zh()),
                    ));
                }
            }
        }
        if self.price_yuan < Decimal::ZERO {
            errs.push(FieldError::new(
                "price_yuan",
                Some(&self.price_yuan.to_string()),
                "must not be negative",
                "价款不能为负数",
            ));
        }
        errs.finish()?;
        Ok(Supply {
            id,
            parcel_id: self.parcel_id,
            enterprise: enterprise
                .ok_or_else(|| DomainError::field("enterprise", None, "missing", "缺失"))?,
            mode: self.mode,
            right_nature: right_nature.unwrap_or(self.mode.right_nature()),
            contract_no: self.contract_no.trim().to_owned(),
            contract_date: self.contract_date,
            delivery_date: self.delivery_date,
            agreed_start: self.agreed_start,
            agreed_completion: self.agreed_completion,
            term_years: self.term_years,
            price: Yuan(self.price_yuan),
        })
    }
}

fn rename(e: DomainError, field: &str) -> DomainError {
    match e {
        DomainError::Invalid(v) => DomainError::Invalid(
            v.into_iter()
                .map(|f| FieldError {
                    field: field.into(),
                    ..f
                })
                .collect(),
        ),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn draft() -> SupplyDraft {
        SupplyDraft {
            parcel_id: ParcelId(Uuid::nil()),
            enterprise: "914403001922038216".into(),
            mode: SupplyMode::Grant,
            right_nature: None,
            contract_no: "许出让(2019)012号".into(),
            contract_date: date(2019, 3, 1),
            delivery_date: Some(date(2019, 4, 1)),
            agreed_start: Some(date(2019, 10, 1)),
            agreed_completion: Some(date(2021, 10, 1)),
            term_years: Some(20),
            price_yuan: Decimal::from(12_000_000),
        }
    }

    #[test]
    fn valid_grant() {
        let s = draft().validate(SupplyId(Uuid::nil())).unwrap();
        assert_eq!(s.right_nature.code(), 102);
        assert_eq!(s.price.to_wan(), Decimal::from(1200));
    }

    #[test]
    fn bad_fields_are_named() {
        let mut d = draft();
        d.enterprise = "914403001922038210".into();
        d.agreed_start = Some(date(2019, 1, 1));
        d.term_years = Some(51);
        d.price_yuan = Decimal::from(-1);
        d.right_nature = Some(101);
        let e = d.validate(SupplyId(Uuid::nil())).unwrap_err();
        let fields: Vec<_> = e.field_errors().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "enterprise",
                "right_nature",
                "agreed_start",
                "term_years",
                "price_yuan"
            ]
        );
    }

    #[test]
    fn modes() {
        let mut d = draft();
        d.mode = SupplyMode::LeaseThenTransfer;
        d.term_years = Some(6);
        assert!(
            d.clone().validate(SupplyId(Uuid::nil())).is_err(),
            "lease phase ≤ 5 years"
        );
        d.term_years = Some(5);
        assert_eq!(
            d.validate(SupplyId(Uuid::nil())).unwrap().right_nature,
            LandRightNature::Leased
        );
        let mut a = draft();
        a.mode = SupplyMode::Allocation;
        a.term_years = None;
        assert_eq!(
            a.validate(SupplyId(Uuid::nil()))
                .unwrap()
                .right_nature
                .code(),
            101
        );
        for m in SupplyMode::ALL {
            assert!(LandRightNature::from_code(m.right_nature().code()).is_ok());
        }
        assert!(LandRightNature::from_code(106).is_err());
    }
}
