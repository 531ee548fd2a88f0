//! The demo's warnings centre: on the demo's last day the city sees due and overdue items of
//! every kind (plan tasks, idle-case time limits, 挂牌督办, the 标准地 project's checkpoints and
//! the quarterly report owed under its 履约监管协议);
//! a park sees its own items and the tasks of every park, and no other park's.
#![allow(missing_docs, clippy::unwrap_used)]

use serde_json::Value;
use std::process::Command;

mod common;

use common::BIN;

fn landcycle(args: &[&str]) -> String {
    let out = Command::new(BIN).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn items(s: &str) -> Vec<Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn demo_warnings_for_the_city_and_for_a_park() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.gpkg");
    let db = db.to_str().unwrap();
    landcycle(&[
        "demo",
        "--db",
        db,
        "--parcels",
        "300",
        "--enterprises",
        "150",
        "--no-users",
    ]);
    let city = items(&landcycle(&[
        "warnings",
        "list",
        "--db",
        db,
        "--as-of",
        "2025-12-31",
        "--json",
    ]));
    let kinds = |ws: &[Value], level: &str| {
        let mut k: Vec<String> = ws
            .iter()
            .filter(|w| w["level"] == level)
            .map(|w| w["item"]["kind"].as_str().unwrap().to_owned())
            .collect();
        k.sort();
        k.dedup();
        k
    };
    let overdue = kinds(&city, "overdue");
    for k in [
        "case_deadline",
        "checkpoint",
        "supervision",
        "task_milestone",
    ] {
        assert!(
            overdue.contains(&k.to_owned()),
            "{k} overdue for the city: {overdue:?}"
        );
    }
    assert!(
        kinds(&city, "notice").contains(&"checkpoint".to_owned()),
        "动工 due in 20 days"
    );
    assert!(
        kinds(&city, "warning").contains(&"progress_report".to_owned()),
        "the 2025Q4 report under the 履约监管协议 is due on the last day, unfiled"
    );

    // The 标准地 project's park.
    let start = city
        .iter()
        .find(|w| {
            w["item"]["subject_id"]
                .as_str()
                .unwrap()
                .ends_with(":start")
        })
        .unwrap();
    let park = start["item"]["park_id"].as_str().unwrap().to_owned();
    let mine = items(&landcycle(&[
        "warnings",
        "list",
        "--db",
        db,
        "--as-of",
        "2025-12-31",
        "--park",
        &park,
        "--json",
    ]));
    assert!(!mine.is_empty() && mine.len() < city.len());
    assert!(
        mine.iter()
            .all(|w| w["item"]["park_id"].is_null() || w["item"]["park_id"] == park.as_str())
    );
    assert!(
        mine.iter()
            .any(|w| w["item"]["subject_id"] == start["item"]["subject_id"])
    );
    assert!(mine.iter().any(|w| w["level"] == "overdue"));
    assert!(
        mine.iter().any(|w| w["item"]["kind"] == "task_milestone"),
        "tasks of every park"
    );
    assert!(
        mine.iter().any(|w| w["item"]["kind"] == "progress_report"),
        "the supervising park sees the report owed"
    );
    // Plain text names the level in Chinese.
    let text = landcycle(&[
        "warnings",
        "list",
        "--db",
        db,
        "--as-of",
        "2025-12-31",
        "--park",
        &park,
    ]);
    assert!(text.contains("逾期") && text.contains("提示"), "{text}");
}
