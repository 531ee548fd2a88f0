//! The renewal review reads the land user's 亩均 classes from the stored evaluation runs when
//! the clerk gives none: the newest run of each year, newest year first; the decision names the
//! runs it used. The enterprise's page lists the same classes.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::project::{ID, get, to_renewal_review, world};
use landcycle_demo::fixtures::{TEST_USCC as USCC, parcel_draft, rect};
use landcycle_domain::Enterprise;
use landcycle_domain::codes::uscc_check_char;
use landcycle_domain::figures::AnnualFigures;
use landcycle_domain::rules::RuleSet;
use landcycle_store::WriteMeta;
use rust_decimal::Decimal;
use serde_json::{Value, json};

fn uscc(i: usize) -> String {
    let first = format!("91411002MA{i:07}");
    format!("{first}{}", uscc_check_char(&first).unwrap())
}

/// Nineteen more 规上 enterprises with a 60-亩 parcel each in weidu; the land user has its own
/// parcel too. 2038: the land user pays the most tax (class A); 2039: the least (class D, the
/// bottom 5 % of 20).
fn evaluate_two_years(w: &common::project::World) -> (String, String) {
    let reg = w.state.registry();
    let m = WriteMeta::new("seed", "seed").effective(jiff::civil::date(2030, 1, 1));
    let mut d = parcel_draft(rect(113.70, 34.10, 0.002, 0.002));
    d.code = None;
    reg.create_parcel(d, &m, None).unwrap();
    let mut figures = Vec::new();
    for i in 0..19 {
        let code = uscc(i);
        let e = Enterprise::new(
            &code,
            &format!("对照企业{i:02}有限公司"),
            Some("C3411"),
            true,
            Some("weidu"),
            None,
        )
        .unwrap();
        reg.put_enterprise(e, &m).unwrap();
        let mut d = parcel_draft(rect(113.72 + i as f64 * 0.003, 34.10, 0.002, 0.002));
        d.code = None;
        d.enterprise = Some(code.clone());
        reg.create_parcel(d, &m, None).unwrap();
        for year in [2038, 2039] {
            let tax = Decimal::from(1_000_000 + 100_000 * i as i64);
            figures.push(AnnualFigures::new(&code, year, tax, None, None, None).unwrap());
        }
    }
    figures
        .push(AnnualFigures::new(USCC, 2038, Decimal::from(90_000_000), None, None, None).unwrap());
    figures.push(AnnualFigures::new(USCC, 2039, Decimal::from(10_000), None, None, None).unwrap());
    reg.put_figures(figures, &m).unwrap();
    let rules = RuleSet::xuchang_default();
    let r38 = reg.evaluate_year(&rules, 2038, &m).unwrap().run.id;
    // A first 2039 run, then a second one: the newer stands for the year.
    reg.evaluate_year(&rules, 2039, &m).unwrap();
    let r39 = reg.evaluate_year(&rules, 2039, &m).unwrap().run.id;
    (r38, r39)
}

#[tokio::test]
async fn a_renewal_without_classes_reads_the_stored_runs_and_names_them() {
    let (w, _dir) = world().await;
    to_renewal_review(&w).await;
    let (r38, r39) = evaluate_two_years(&w);

    let e = get(&w, &w.city, &format!("/api/enterprises/{USCC}")).await;
    assert_eq!(
        e["mu_classes"],
        json!([
            {"year": 2039, "run_id": r39, "class": "D"},
            {"year": 2038, "run_id": r38, "class": "A"},
        ]),
        "{e}"
    );

    let (s, b) = w
        .post(
            &w.city,
            &format!("/api/projects/{ID}/renewal"),
            json!({"years_requested": 20, "industry_fits_plan": true,
                "appraised_full_term_price_yuan": "30000000",
                "on": "2040-09-01", "reason": "续期审查", "version": project_version(&w).await}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let outcome = &b["outcome"];
    assert_eq!(outcome["granted"], false, "{outcome}");
    let mu: &Value = outcome["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "mu_class")
        .unwrap();
    assert_eq!(mu["passed"], false, "{mu}");
    assert!(mu["detail_zh"].as_str().unwrap().contains("D、A"), "{mu}");
    let from: Vec<&Value> = outcome["mu_classes_from"]
        .as_array()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(from.len(), 2, "{outcome}");
    assert_eq!(
        (&from[0]["run_id"], &from[1]["run_id"]),
        (&json!(r39), &json!(r38))
    );
}

async fn project_version(w: &common::project::World) -> Value {
    get(w, &w.city, &format!("/api/projects/{ID}")).await["version"].clone()
}
