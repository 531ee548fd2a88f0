//! 规则结论 (finding): what a rule found, about whom, from which values, under which threshold
//! and legal source, with a sentence a 管委会 clerk can read.

use super::config::Confidence;
use crate::codes::{AdminCode, Uscc};
use crate::parcel::ParcelId;
use crate::park::ParkId;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Legal or policy source of a rule (依据): document and article.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LegalSource {
    /// Document, with 书名号, e.g. 《闲置土地处置办法》.
    pub doc: String,
    /// Article or section, e.g. 第二条.
    pub article: String,
}

impl LegalSource {
    /// Builds a source.
    pub fn new(doc: &str, article: &str) -> Self {
        Self {
            doc: doc.to_owned(),
            article: article.to_owned(),
        }
    }

    /// The citation as written in Chinese: `《闲置土地处置办法》第二条`.
    pub fn cite_zh(&self) -> String {
        format!("{}{}", self.doc, self.article)
    }
}

/// Source documents the rules cite.
pub mod docs {
    /// 《闲置土地处置办法》 (国土资源部令第53号, effective 2012-07-01).
    pub const IDLE_MEASURES: &str = "《闲置土地处置办法》";
    /// 《城市房地产管理法》.
    pub const REAL_ESTATE_LAW: &str = "《城市房地产管理法》";
    /// 《民法典》.
    pub const CIVIL_CODE: &str = "《民法典》";
    /// The Xuchang pilot plan (2021).
    pub const XUCHANG_PLAN: &str = "《河南省产业集聚区“百园增效”行动许昌试点工作实施方案》";
    /// 《自然资源部关于健全建设用地“增存挂钩”机制的通知》 (自然资规〔2018〕1号).
    pub const ZENGCUN: &str = "《关于健全建设用地“增存挂钩”机制的通知》（自然资规〔2018〕1号）";
    /// 自然资办发〔2019〕3号 (number recalled).
    pub const UNSUPPLIED_2019: &str =
        "《关于进一步规范储备土地抵押融资加快批而未供土地处置有关问题的通知》";
    /// 《工业项目建设用地控制指标》 (国土资发〔2008〕24号).
    pub const CONTROL_INDICATORS: &str = "《工业项目建设用地控制指标》（国土资发〔2008〕24号）";
    /// 《关于深入推进城镇低效用地再开发的指导意见（试行）》 (国土资发〔2016〕147号).
    pub const LOW_EFFICIENCY_2016: &str = "《关于深入推进城镇低效用地再开发的指导意见（试行）》";
    /// The platform's own proposed local rules (domain README), pending a Xuchang standard.
    pub const LOCAL_DEFAULT: &str = "许昌市低效用地认定标准（平台建议默认值）";
    /// Zhejiang 亩均效益评价 practice (Huangyan 2022, 浙亩均办〔2022〕1号/2号).
    pub const MU_EVALUATION: &str = "亩均效益综合评价办法（黄岩区2022年度示例）";
}

/// What a finding is about (对象).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Subject {
    /// A parcel (宗地).
    Parcel(ParcelId),
    /// An enterprise (企业), by 统一社会信用代码.
    Enterprise(Uscc),
    /// An approval batch (批次), by its id.
    Batch(String),
    /// A park (产业集聚区).
    Park(ParkId),
    /// A division (县/市/区).
    Jurisdiction(AdminCode),
}

impl std::fmt::Display for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Parcel(p) => write!(f, "宗地 {p}"),
            Self::Enterprise(u) => write!(f, "企业 {}", u.as_str()),
            Self::Batch(b) => write!(f, "批次 {b}"),
            Self::Park(p) => write!(f, "园区 {p}"),
            Self::Jurisdiction(c) => write!(f, "行政区 {c}"),
        }
    }
}

/// How serious a finding is (严重程度).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// 提示: information, no action implied (e.g. a government-caused delay).
    Info,
    /// 关注: watch; a threshold is near or a discretionary rule fired.
    Notice,
    /// 预警: a rule fired; action expected (e.g. 闲置满一年 → 闲置费).
    Warning,
    /// 严重: the strongest consequence applies (e.g. 满二年 → 无偿收回).
    Serious,
}

impl Severity {
    /// Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Info => "提示",
            Self::Notice => "关注",
            Self::Warning => "预警",
            Self::Serious => "严重",
        }
    }
}

/// The result of one rule firing for one subject (规则结论).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Rule id, e.g. `IDLE-A`, `LE-4`.
    pub rule_id: String,
    /// Version id of the resolved rule parameters used ([`super::config::ResolvedRules::version`]).
    pub rule_set_version: String,
    /// What the finding is about.
    pub subject: Subject,
    /// Evaluation date.
    pub as_of: Date,
    /// The values used, by name (dates ISO, decimals as text).
    pub inputs: BTreeMap<String, String>,
    /// The threshold applied, as text (e.g. `满1年`, `< 1/3`).
    pub threshold: String,
    /// Legal source.
    pub source: LegalSource,
    /// Confidence of the rule's source.
    pub confidence: Confidence,
    /// Reason in Chinese, for the clerk.
    pub reason_zh: String,
    /// Reason in English.
    pub reason_en: String,
    /// Severity.
    pub severity: Severity,
    /// True when the law makes the determination discretionary ("也可以认定"): an officer
    /// must confirm it before it becomes a case.
    pub requires_officer_confirmation: bool,
}

impl Finding {
    /// Starts a finding; add inputs, threshold and reasons with the builder methods.
    pub fn new(
        rule_id: &str,
        rule_set_version: &str,
        subject: Subject,
        as_of: Date,
        source: LegalSource,
        confidence: Confidence,
        severity: Severity,
    ) -> Self {
        Self {
            rule_id: rule_id.to_owned(),
            rule_set_version: rule_set_version.to_owned(),
            subject,
            as_of,
            inputs: BTreeMap::new(),
            threshold: String::new(),
            source,
            confidence,
            reason_zh: String::new(),
            reason_en: String::new(),
            severity,
            requires_officer_confirmation: false,
        }
    }

    /// Records an input value.
    #[must_use]
    pub fn input(mut self, name: &str, value: impl ToString) -> Self {
        self.inputs.insert(name.to_owned(), value.to_string());
        self
    }

    /// Sets the threshold text.
    #[must_use]
    pub fn threshold(mut self, t: impl Into<String>) -> Self {
        self.threshold = t.into();
        self
    }

    /// Sets the reasons; the Chinese one gets the citation appended in full-width brackets.
    #[must_use]
    pub fn reason(mut self, zh: impl Into<String>, en: impl Into<String>) -> Self {
        self.reason_zh = format!("{}（{}）", zh.into(), self.source.cite_zh());
        self.reason_en = format!(
            "{} ({} {})",
            en.into(),
            self.source.doc,
            self.source.article
        );
        self
    }

    /// Marks the finding as needing an officer's confirmation.
    #[must_use]
    pub fn discretionary(mut self) -> Self {
        self.requires_officer_confirmation = true;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn clerk_sentence() {
        let f = Finding::new(
            "IDLE-A",
            "rv-0",
            Subject::Batch("2019-01".into()),
            date(2021, 3, 1),
            LegalSource::new(docs::IDLE_MEASURES, "第二条"),
            Confidence::Verified,
            Severity::Warning,
        )
        .input("agreed_start", date(2020, 3, 1))
        .threshold("满1年")
        .reason(
            "约定开工日期 2020-03-01 已满一年未动工",
            "not started one full year after the agreed start date 2020-03-01",
        );
        assert_eq!(
            f.reason_zh,
            "约定开工日期 2020-03-01 已满一年未动工（《闲置土地处置办法》第二条）"
        );
        assert!(f.reason_en.ends_with("(《闲置土地处置办法》 第二条)"));
        assert_eq!(f.inputs["agreed_start"], "2020-03-01");
        let j = serde_json::to_string(&f).unwrap();
        assert!(
            j.contains(r#""subject":{"kind":"batch","id":"2019-01"}"#),
            "{j}"
        );
        assert_eq!(serde_json::from_str::<Finding>(&j).unwrap(), f);
    }
}
