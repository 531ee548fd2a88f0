//! `landcycle warnings` (the warnings centre on the command line, and the scheduled webhook
//! dispatch) and `landcycle webhook` (subscriptions). See `landcycle_server::webhook` for why
//! delivery is a scheduled command and how receivers verify the signature.

use anyhow::Context;
use jiff::civil::Date;
use landcycle_domain::workflow::warnings::warnings;
use landcycle_domain::{AdminCode, ParkId};
use landcycle_server::webhook::{Retry, Subscription, dispatch, subscriptions};
use landcycle_store::{Registry, SqliteStore, WfKind, WfQuery, WfRecord, WriteMeta};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// `landcycle warnings …`.
#[derive(Debug, clap::Subcommand)]
pub enum WarningsCmd {
    /// Due and overdue items (T−30 提示, T−7 预警, 逾期) of the city, a county or a park.
    List {
        /// Only this park (what its 管委会 sees).
        #[arg(long)]
        park: Option<String>,
        /// Only this county (GB/T 2260 code).
        #[arg(long)]
        county: Option<String>,
        /// The day (default today).
        #[arg(long)]
        as_of: Option<Date>,
        /// One JSON object a line.
        #[arg(long)]
        json: bool,
    },
    /// Sends each subscriber the warnings whose level changed since its last delivery (run it
    /// daily from cron or a systemd timer); every attempt is recorded.
    Dispatch {
        /// The day (default today).
        #[arg(long)]
        as_of: Option<Date>,
        /// Attempts per delivery in this run.
        #[arg(long, default_value_t = 3)]
        attempts: u32,
        /// Wait before the second attempt, doubled before each further one (ms).
        #[arg(long, default_value_t = 2000)]
        backoff_ms: u64,
    },
}

/// `landcycle webhook …`.
#[derive(Debug, clap::Subcommand)]
pub enum WebhookCmd {
    /// Subscribes a URL to the warnings of the city, a county or a park; prints the signing
    /// secret once.
    Add {
        /// Subscription name.
        name: String,
        /// `http://host[:port]/path`.
        #[arg(long)]
        url: String,
        /// Only this park's warnings.
        #[arg(long)]
        park: Option<String>,
        /// Only this county's warnings.
        #[arg(long)]
        county: Option<String>,
    },
    /// Lists subscriptions with their delivery counts.
    List,
}

fn open(db: &Path) -> anyhow::Result<SqliteStore> {
    anyhow::ensure!(db.exists(), "{} does not exist", db.display());
    SqliteStore::open(db).with_context(|| format!("opening {}", db.display()))
}

fn scope(
    park: Option<String>,
    county: Option<String>,
) -> anyhow::Result<(Option<ParkId>, Option<AdminCode>)> {
    Ok((
        park.as_deref().map(ParkId::parse).transpose()?,
        county.as_deref().map(AdminCode::parse).transpose()?,
    ))
}

/// Runs `landcycle warnings …`.
pub fn run(db: &Path, c: WarningsCmd) -> anyhow::Result<()> {
    let store = open(db)?;
    match c {
        WarningsCmd::List {
            park,
            county,
            as_of,
            json,
        } => {
            let (park, county) = scope(park, county)?;
            let view = if park.is_some() {
                landcycle_server::webhook::TaskView::Parks
            } else {
                landcycle_server::webhook::TaskView::All
            };
            let q = WfQuery {
                park,
                jurisdiction: county,
                ..Default::default()
            };
            let as_of = as_of.unwrap_or_else(|| jiff::Zoned::now().date());
            let ws = warnings(
                landcycle_server::webhook::due_items(&store, &q, view)?,
                as_of,
            );
            for w in &ws {
                if json {
                    println!("{}", serde_json::to_string(w)?);
                } else {
                    println!(
                        "{}\t{}\t{}\t{}",
                        w.level.label_zh(),
                        w.item.due,
                        w.item.subject_id,
                        w.item.title_zh
                    );
                }
            }
            eprintln!("{} items as of {as_of}", ws.len());
        }
        WarningsCmd::Dispatch {
            as_of,
            attempts,
            backoff_ms,
        } => {
            let as_of = as_of.unwrap_or_else(|| jiff::Zoned::now().date());
            let r = dispatch(
                &store,
                as_of,
                Retry {
                    attempts,
                    backoff: Duration::from_millis(backoff_ms),
                    ..Retry::default()
                },
            )?;
            println!(
                "delivered {}, failed {}, unchanged {}",
                r.delivered, r.failed, r.unchanged
            );
            anyhow::ensure!(
                r.failed == 0,
                "{} deliveries failed; they are retried on the next run",
                r.failed
            );
        }
    }
    Ok(())
}

/// Runs `landcycle webhook …`.
pub fn webhook(db: &Path, c: WebhookCmd) -> anyhow::Result<()> {
    let store = Arc::new(open(db)?);
    match c {
        WebhookCmd::Add {
            name,
            url,
            park,
            county,
        } => {
            landcycle_server::webhook::check_url(&url)
                .map_err(|e| anyhow::anyhow!("--url {url}: {}", e.reason))?;
            let (park, county) = scope(park, county)?;
            let secret = landcycle_server::auth::secret::random_hex()
                .map_err(|e| anyhow::anyhow!("random secret: {e}"))?;
            let sub = Subscription {
                id: name.clone(),
                url,
                secret: secret.clone(),
                park: park.clone(),
                county: county.clone(),
            };
            Registry::new(Arc::clone(&store)).put_workflow(
                WfRecord {
                    kind: WfKind::Webhook,
                    id: name,
                    version: 0,
                    park_id: park,
                    jurisdiction: county,
                    parcel_id: None,
                    enterprise: None,
                    status: "active".into(),
                    due: None,
                    updated_at: jiff::Timestamp::now(),
                    doc: serde_json::to_value(&sub)?,
                },
                None,
                &WriteMeta::new("cli", "webhook subscription"),
            )?;
            println!(
                "signing secret (shown once; sign = HMAC-SHA256 of the body, header X-Landcycle-Signature: sha256=<hex>):"
            );
            println!("{secret}");
        }
        WebhookCmd::List => {
            for s in subscriptions(&store)? {
                let d = store.deliveries(&s.id)?;
                let ok = d.iter().filter(|x| x.delivered).count();
                println!("{}\t{}\tdelivered {ok}, attempts {}", s.id, s.url, d.len());
            }
        }
    }
    Ok(())
}
