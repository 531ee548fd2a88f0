//! `stats`, `check`, `parcel show|history`: reading a store from the command line.

use anyhow::{Context, bail};
use landcycle_domain::ParcelId;
use landcycle_store::{Registry, SqliteStore, Store};
use std::path::Path;
use std::sync::Arc;

fn open(db: &Path) -> anyhow::Result<SqliteStore> {
    if !db.exists() {
        bail!(
            "{} does not exist (run `landcycle demo` or `landcycle serve` first)",
            db.display()
        );
    }
    SqliteStore::open(db).with_context(|| format!("opening {}", db.display()))
}

pub fn stats(db: &Path) -> anyhow::Result<()> {
    let s = open(db)?.stats()?;
    println!("{}", serde_json::to_string_pretty(&s)?);
    Ok(())
}

pub fn check(db: &Path) -> anyhow::Result<()> {
    let problems = open(db)?.integrity_check()?;
    if problems.is_empty() {
        println!("ok");
        Ok(())
    } else {
        for p in &problems {
            println!("{p}");
        }
        bail!("{} problem(s) found", problems.len())
    }
}

/// Reading parcels.
#[derive(Debug, clap::Subcommand)]
pub enum ParcelCmd {
    /// Print a parcel as JSON, now or as of a date.
    Show {
        /// Parcel id.
        id: String,
        /// Date YYYY-MM-DD.
        #[arg(long)]
        as_of: Option<jiff::civil::Date>,
    },
    /// Print a parcel's history (一地一档) as JSON.
    History {
        /// Parcel id.
        id: String,
    },
}

pub fn parcel(db: &Path, cmd: ParcelCmd) -> anyhow::Result<()> {
    let store = Arc::new(open(db)?);
    let reg = Registry::new(store);
    match cmd {
        ParcelCmd::Show { id, as_of } => {
            let id = ParcelId::parse(&id, "id")?;
            let p = reg
                .store()
                .parcel(id, as_of)?
                .with_context(|| format!("parcel {id} not found"))?;
            println!("{}", serde_json::to_string_pretty(&p)?);
        }
        ParcelCmd::History { id } => {
            let id = ParcelId::parse(&id, "id")?;
            println!("{}", serde_json::to_string_pretty(&reg.timeline(id)?)?);
        }
    }
    Ok(())
}
