//! `landcycle demo`: builds the demo store through the registry's normal write path, so the
//! demo history is real history (events, versions, lineage).

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};
use jiff::civil::Date;
use landcycle_demo::{DemoConfig, DemoData, DemoOp, SYNTHETIC_NOTICE_EN, SYNTHETIC_NOTICE_ZH};
use landcycle_domain::access::{Role, Scope, ScopeKind};
use landcycle_store::{Registry, SqliteStore, WriteMeta};
use std::path::Path;
use std::sync::Arc;

/// Options of `demo`.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Seed of the synthetic population: the same seed gives the same data.
    #[arg(long, default_value_t = DemoConfig::default().seed)]
    seed: u64,
    /// About how many parcels.
    #[arg(long, default_value_t = DemoConfig::default().parcels)]
    parcels: usize,
    /// How many enterprises.
    #[arg(long, default_value_t = DemoConfig::default().enterprises)]
    enterprises: usize,
    /// Replace an existing store file.
    #[arg(long)]
    force: bool,
    /// Do not create the demo accounts (then the same seed gives a byte-identical file).
    #[arg(long)]
    no_users: bool,
}

pub fn run(db: &Path, a: DemoArgs) -> anyhow::Result<()> {
    build(
        db,
        &DemoConfig {
            seed: a.seed,
            parcels: a.parcels,
            enterprises: a.enterprises,
        },
        a.force,
        !a.no_users,
    )
}

/// The write metadata of a demo op: recorded at 09:00 Beijing time of its day, so the same seed
/// gives the same store.
fn meta(reason: &str, on: Date) -> WriteMeta {
    let mut m = WriteMeta::new("demo", reason).effective(on);
    m.recorded_at = on
        .at(9, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
        .ok()
        .map(|z| z.timestamp());
    m
}

/// Generates the population and writes it into a new store at `db`.
pub fn build(db: &Path, cfg: &DemoConfig, force: bool, users: bool) -> anyhow::Result<()> {
    if db.exists() {
        if !force {
            bail!("{} exists; pass --force to replace it", db.display());
        }
        for suffix in ["", "-wal", "-shm"] {
            let p = format!("{}{suffix}", db.display());
            if Path::new(&p).exists() {
                std::fs::remove_file(&p).with_context(|| format!("removing {p}"))?;
            }
        }
    }
    eprintln!("{SYNTHETIC_NOTICE_ZH}\n{SYNTHETIC_NOTICE_EN}");
    let data = landcycle_demo::generate(cfg);
    // Build into a temporary file and move it into place, so an interrupted build never leaves
    // a half-filled store that `serve` would then open.
    let tmp = db.with_extension("gpkg.building");
    let _ = std::fs::remove_file(&tmp);
    let store =
        Arc::new(SqliteStore::open(&tmp).with_context(|| format!("creating {}", tmp.display()))?);
    store.set_bulk_mode(true)?;
    load(&Registry::new(Arc::clone(&store)), &data)?;
    store.set_bulk_mode(false)?;
    store.refresh_extents()?;
    if let Some(at) = meta("", landcycle_demo::HISTORY_END).recorded_at {
        store.pin_creation_time(at)?;
    }
    let accounts = if users {
        demo_users(&store, &data)?
    } else {
        Vec::new()
    };
    store.checkpoint()?;
    let stats = landcycle_store::Store::stats(store.as_ref())?;
    drop(store);
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", tmp.display()));
    }
    std::fs::rename(&tmp, db)
        .with_context(|| format!("moving the demo store to {}", db.display()))?;
    let s = data.summary();
    eprintln!(
        "demo store {}: {} parks, {} enterprises, {} parcels ({} versions), {} supplies, {} events; {} idle, {} 批而未供, {} splits, {} merges",
        db.display(),
        stats.parks,
        stats.enterprises,
        stats.parcels,
        stats.parcel_versions,
        stats.supplies,
        stats.events,
        s.idle,
        s.approved_unsupplied,
        s.splits,
        s.merges
    );
    println!("parcels: {}", stats.parcels);
    if !accounts.is_empty() {
        println!("demo accounts, one per role (演示账户; passwords shown once, 密码仅显示一次):");
        for (role, name, scope, pw) in &accounts {
            println!("  {role:<11} {name:<16} {pw}  {scope}");
        }
    }
    Ok(())
}

/// One account per role, scoped to the first park, its county and its first enterprise, with
/// generated passwords: (role, name, scope, password).
fn demo_users(
    store: &SqliteStore,
    data: &DemoData,
) -> anyhow::Result<Vec<(Role, String, String, String)>> {
    let park = data.parks.first().context("the demo has no park")?;
    let enterprise = data
        .enterprises
        .iter()
        .find(|e| e.park_id.as_ref() == Some(&park.id))
        .or(data.enterprises.first())
        .context("the demo has no enterprise")?;
    let mut out = Vec::new();
    for role in Role::ACCOUNT_ROLES {
        let scope = match role.scope_kind() {
            ScopeKind::All => Scope::All,
            ScopeKind::County => Scope::County(park.jurisdiction.code.clone()),
            ScopeKind::Park => Scope::Park(park.id.clone()),
            ScopeKind::Department => Scope::Department("tax".into()),
            ScopeKind::Enterprise => Scope::Enterprise(enterprise.uscc.clone()),
        };
        let name = format!("demo-{role}");
        let shown = format!(
            "{}{}",
            scope.kind().as_str(),
            scope.value().map(|v| format!(":{v}")).unwrap_or_default()
        );
        let pw = crate::accounts::create_user(store, &name, role, scope, None, "demo")?
            .context("a generated password")?;
        out.push((role, name, shown, pw));
    }
    Ok(out)
}

fn bar(len: u64, what: &str) -> ProgressBar {
    let pb = ProgressBar::new(len);
    pb.set_style(
        ProgressStyle::with_template("{msg:12} [{bar:40}] {pos}/{len} ({per_sec}, {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb.set_message(what.to_owned());
    pb
}

/// Applies a generated population to a registry, in order.
pub fn load<S: landcycle_store::Store + ?Sized>(
    reg: &Registry<S>,
    data: &DemoData,
) -> anyhow::Result<()> {
    let start = Date::constant(2014, 1, 1);
    for p in &data.parks {
        reg.put_park(p.clone(), &meta("建立园区档案（演示数据）", start))
            .with_context(|| format!("park {}", p.id))?;
    }
    let pb = bar(data.enterprises.len() as u64, "enterprises");
    for e in &data.enterprises {
        reg.put_enterprise(e.clone(), &meta("企业登记（演示数据）", start))
            .with_context(|| format!("enterprise {}", e.uscc))?;
        pb.inc(1);
    }
    pb.finish();
    let pb = bar(data.ops.len() as u64, "history");
    for (i, op) in data.ops.iter().enumerate() {
        apply(reg, op).with_context(|| format!("demo op {i} ({})", op_name(op)))?;
        pb.inc(1);
    }
    pb.finish();
    let end = landcycle_demo::HISTORY_END;
    // Batches name live parcels, so they follow the history; each takes effect on its approval.
    let pb = bar(data.batches.len() as u64, "batches");
    for b in &data.batches {
        let mut m = meta("批次台账录入（演示数据）", end).effective(b.approved_on);
        m = m.reference(b.id.clone());
        reg.add_batch(b.clone(), &m)
            .with_context(|| format!("batch {}", b.id))?;
        pb.inc(1);
    }
    pb.finish();
    reg.put_figures(data.figures.clone(), &meta("部门数据导入（演示数据）", end))
        .context("figures")?;
    crate::demo_workflow::load(reg, data, meta).context("workflow records")?;
    Ok(())
}

fn op_name(op: &DemoOp) -> &'static str {
    match op {
        DemoOp::CreateParcel { .. } => "create",
        DemoOp::UpdateParcel { .. } => "update",
        DemoOp::SplitParcel { .. } => "split",
        DemoOp::MergeParcels { .. } => "merge",
        DemoOp::AddSupply { .. } => "supply",
    }
}

fn apply<S: landcycle_store::Store + ?Sized>(reg: &Registry<S>, op: &DemoOp) -> anyhow::Result<()> {
    match op {
        DemoOp::CreateParcel {
            id,
            draft,
            on,
            reason,
        } => {
            reg.create_parcel(draft.clone(), &meta(reason, *on), Some(*id))?;
        }
        DemoOp::UpdateParcel {
            id,
            draft,
            on,
            reason,
        } => {
            reg.update_parcel(*id, None, draft.clone(), &meta(reason, *on))?;
        }
        DemoOp::SplitParcel {
            parent,
            children,
            on,
            reason,
        } => {
            let kids = children
                .iter()
                .map(|(id, d)| (Some(*id), d.clone()))
                .collect();
            reg.split_parcel(*parent, None, kids, &meta(reason, *on))?;
        }
        DemoOp::MergeParcels {
            parents,
            child,
            on,
            reason,
        } => {
            let ps = parents.iter().map(|p| (*p, None)).collect();
            reg.merge_parcels(ps, child.1.clone(), Some(child.0), &meta(reason, *on))?;
        }
        DemoOp::AddSupply { id, draft, on } => {
            reg.add_supply(
                draft.clone(),
                &meta("签订供地合同（演示数据）", *on),
                Some(*id),
            )?;
        }
    }
    Ok(())
}
