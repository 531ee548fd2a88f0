//! Evaluation runs in the embedded store: `evaluation_runs` and `evaluation_results` (step 3).

use super::SqliteStore;
use super::rows::backend;
use crate::error::{StoreError, StoreResult};
use crate::evaluation::{
    ClassCounts, EvaluationEntry, EvaluationRun, EvaluationRunHead, StoredClass,
};
use landcycle_domain::{ParkId, Uscc};
use rusqlite::{OptionalExtension, Transaction, params};

fn json<T: serde::Serialize>(v: &T) -> StoreResult<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Backend(format!("cannot encode: {e}")))
}

fn parse<T: serde::de::DeserializeOwned>(what: &str, s: &str) -> StoreResult<T> {
    serde_json::from_str(s)
        .map_err(|e| StoreError::Backend(format!("stored {what} is unreadable: {e}")))
}

/// Writes a run and its results inside the change set's transaction.
pub(super) fn put_run(tx: &Transaction<'_>, r: &EvaluationRun) -> StoreResult<()> {
    tx.prepare_cached(
        "INSERT INTO evaluation_runs (id, year, rule_set_version, config, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        r.id,
        r.year,
        r.rule_set_version,
        json(&r.config)?,
        r.created_at.to_string(),
        r.created_by
    ])?;
    let mut ins = tx.prepare_cached(
        "INSERT INTO evaluation_results (run_id, uscc, park_id, inputs, score, class, rank, not_rated, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for e in &r.entries {
        ins.execute(params![
            r.id,
            e.uscc.as_str(),
            e.park_id.as_ref().map(|p| p.as_str().to_owned()),
            json(&e.inputs)?,
            e.score.map(|s| s.to_string()),
            e.class.map(|c| format!("{c:?}")),
            e.rank,
            e.not_rated,
            e.detail.as_ref().map(json).transpose()?,
        ])?;
    }
    Ok(())
}

type ResultRow = (
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<u32>,
    Option<String>,
    Option<String>,
);

impl SqliteStore {
    pub(super) fn load_evaluation_run(&self, id: &str) -> StoreResult<Option<EvaluationRun>> {
        self.read(|c| {
            let head: Option<(String, i16, String, String, String, String)> = c
                .query_row(
                    "SELECT id, year, rule_set_version, config, created_at, created_by
                     FROM evaluation_runs WHERE id = ?1",
                    [id],
                    |r| {
                        Ok((
                            r.get(0)?,
                            r.get(1)?,
                            r.get(2)?,
                            r.get(3)?,
                            r.get(4)?,
                            r.get(5)?,
                        ))
                    },
                )
                .optional()
                .map_err(backend)?;
            let Some((id, year, version, config, at, by)) = head else {
                return Ok(None);
            };
            let rows: Vec<ResultRow> = c
                .prepare_cached(
                    "SELECT uscc, park_id, inputs, score, class, rank, not_rated, detail
                     FROM evaluation_results WHERE run_id = ?1 ORDER BY uscc",
                )?
                .query_map([&id], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                    ))
                })?
                .collect::<Result<_, _>>()
                .map_err(backend)?;
            let mut entries = Vec::with_capacity(rows.len());
            for (uscc, park, inputs, score, class, rank, not_rated, detail) in rows {
                entries.push(EvaluationEntry {
                    uscc: parse("uscc", &format!("\"{uscc}\""))?,
                    park_id: park
                        .map(|p| parse("park_id", &format!("\"{p}\"")))
                        .transpose()?,
                    inputs: parse("inputs", &inputs)?,
                    score: score
                        .map(|s| {
                            s.parse()
                                .map_err(|e| StoreError::Backend(format!("score: {e}")))
                        })
                        .transpose()?,
                    class: class
                        .map(|c| parse("class", &format!("\"{c}\"")))
                        .transpose()?,
                    rank,
                    not_rated,
                    detail: detail.map(|d| parse("detail", &d)).transpose()?,
                });
            }
            Ok(Some(EvaluationRun {
                id,
                year,
                rule_set_version: version,
                config: parse("config", &config)?,
                created_at: at
                    .parse()
                    .map_err(|e| StoreError::Backend(format!("created_at: {e}")))?,
                created_by: by,
                entries,
            }))
        })
    }

    pub(super) fn evaluation_run_ids(&self, year: i16) -> StoreResult<Vec<String>> {
        self.read(|c| {
            c.prepare_cached(
                "SELECT id FROM evaluation_runs WHERE year = ?1 ORDER BY created_at, rowid",
            )?
            .query_map([year], |r| r.get(0))?
            .collect::<Result<_, _>>()
            .map_err(backend)
        })
    }

    pub(super) fn load_evaluation_run_heads(&self) -> StoreResult<Vec<EvaluationRunHead>> {
        type HeadRow = (String, i16, String, String, String, u32, u32, u32, u32, u32);
        self.read(|c| {
            let rows: Vec<HeadRow> = c
                .prepare_cached(
                    "SELECT r.id, r.year, r.rule_set_version, r.created_at, r.created_by,
                       count(e.uscc) FILTER (WHERE e.class = 'A'),
                       count(e.uscc) FILTER (WHERE e.class = 'B'),
                       count(e.uscc) FILTER (WHERE e.class = 'C'),
                       count(e.uscc) FILTER (WHERE e.class = 'D'),
                       count(e.uscc) FILTER (WHERE e.class IS NULL)
                     FROM evaluation_runs r LEFT JOIN evaluation_results e ON e.run_id = r.id
                     GROUP BY r.id ORDER BY r.created_at DESC, r.rowid DESC",
                )?
                .query_map([], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                        r.get(8)?,
                        r.get(9)?,
                    ))
                })?
                .collect::<Result<_, _>>()
                .map_err(backend)?;
            rows.into_iter()
                .map(|(id, year, version, at, by, a, b, cc, d, n)| {
                    Ok(EvaluationRunHead {
                        id,
                        year,
                        rule_set_version: version,
                        created_at: at
                            .parse()
                            .map_err(|e| StoreError::Backend(format!("created_at: {e}")))?,
                        created_by: by,
                        classes: ClassCounts {
                            a,
                            b,
                            c: cc,
                            d,
                            not_rated: n,
                        },
                    })
                })
                .collect()
        })
    }

    pub(super) fn load_classes_of(&self, uscc: &Uscc) -> StoreResult<Vec<StoredClass>> {
        self.read(|c| {
            // Runs are few; each probes the results' primary key (run_id, uscc).
            let rows: Vec<(i16, String, String, Option<String>)> = c
                .prepare_cached(
                    "SELECT r.year, r.id, r.created_at, e.class
                     FROM evaluation_runs r JOIN evaluation_results e
                       ON e.run_id = r.id AND e.uscc = ?1
                     ORDER BY r.year DESC, r.created_at DESC, r.rowid DESC",
                )?
                .query_map([uscc.as_str()], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })?
                .collect::<Result<_, _>>()
                .map_err(backend)?;
            let mut out: Vec<StoredClass> = Vec::new();
            for (year, run_id, at, class) in rows {
                // The newest run of a year stands for that year.
                if out.last().is_some_and(|l| l.year == year) {
                    continue;
                }
                out.push(StoredClass {
                    year,
                    run_id,
                    created_at: at
                        .parse()
                        .map_err(|e| StoreError::Backend(format!("created_at: {e}")))?,
                    class: class
                        .map(|c| parse("class", &format!("\"{c}\"")))
                        .transpose()?,
                });
            }
            Ok(out)
        })
    }

    pub(super) fn load_class_counts(
        &self,
        run_id: &str,
        parks: Option<&[ParkId]>,
        uscc: Option<&Uscc>,
    ) -> StoreResult<ClassCounts> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT park_id, class FROM evaluation_results
                 WHERE run_id = ?1 AND (?2 IS NULL OR uscc = ?2)",
            )?;
            let mut rows = stmt.query(params![run_id, uscc.map(Uscc::as_str)])?;
            let mut k = ClassCounts::default();
            while let Some(r) = rows.next()? {
                let park: Option<String> = r.get(0)?;
                if let Some(ps) = parks
                    && !park.is_some_and(|p| ps.iter().any(|x| x.as_str() == p))
                {
                    continue;
                }
                let class: Option<String> = r.get(1)?;
                k.add(
                    class
                        .map(|c| parse("class", &format!("\"{c}\"")))
                        .transpose()?,
                );
            }
            Ok(k)
        })
    }
}
