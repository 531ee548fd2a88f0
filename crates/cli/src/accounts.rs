//! `user`, `token` and `audit`: accounts from the command line. The first administrator is
//! made here (`landcycle user add admin --role admin`); there is no default password anywhere.
//! Every change is written to the audit log with the actor `cli`.

use anyhow::{Context, bail};
use landcycle_domain::access::{Principal, Role, Scope, department};
use landcycle_domain::{AdminCode, ParkId, Uscc};
use landcycle_server::auth::admin;
use landcycle_store::{AccountStore, AuditQuery, SqliteStore, Store, TokenAccess};
use std::io::BufRead;
use std::path::Path;

/// The audit log's actor for command-line changes.
const ACTOR: &str = "cli";

/// User accounts.
#[derive(Debug, clap::Subcommand)]
pub enum UserCmd {
    /// Create a user. Without --password-stdin a password is generated and printed once.
    Add(UserAdd),
    /// List users.
    List,
    /// Disable a user: no sign-in, tokens and sessions stop working.
    Disable {
        /// User name.
        name: String,
    },
}

/// Options of `user add`.
#[derive(Debug, clap::Args)]
pub struct UserAdd {
    /// User name (A-Z a-z 0-9 . _ - @).
    name: String,
    /// admin, city, county, park, department, enterprise or auditor.
    #[arg(long)]
    role: String,
    /// County code (GB/T 2260) of a county user.
    #[arg(long, conflicts_with_all = ["park", "enterprise", "department"])]
    jurisdiction: Option<String>,
    /// Park id of a park user.
    #[arg(long, conflicts_with_all = ["enterprise", "department"])]
    park: Option<String>,
    /// 统一社会信用代码 of an enterprise user.
    #[arg(long, conflicts_with = "department")]
    enterprise: Option<String>,
    /// Department of a data clerk (e.g. tax, power, stats).
    #[arg(long)]
    department: Option<String>,
    /// Read the password from the first line of standard input.
    #[arg(long)]
    password_stdin: bool,
}

/// API tokens.
#[derive(Debug, clap::Subcommand)]
pub enum TokenCmd {
    /// Create a token for a user; the token is printed alone on the last line, once.
    Create {
        /// User name.
        name: String,
        /// Lifetime: e.g. 30d, 12h, 90m, or `never`.
        #[arg(long, default_value = "90d")]
        expires: String,
        /// The token may read only.
        #[arg(long)]
        read_only: bool,
    },
    /// Revoke a token by its id.
    Revoke {
        /// Token id (`tok_…`, from `token create` or `token list`).
        id: String,
    },
    /// List tokens (never their secrets).
    List {
        /// Only this user's.
        name: Option<String>,
    },
}

/// Options of `audit`.
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// Only this actor.
    #[arg(long)]
    actor: Option<String>,
    /// Only this action (e.g. sign_in, write_registry, user.add).
    #[arg(long)]
    action: Option<String>,
    /// How many entries, newest first.
    #[arg(long, default_value_t = 100)]
    limit: u32,
}

fn open_existing(db: &Path) -> anyhow::Result<SqliteStore> {
    if !db.exists() {
        bail!("{} does not exist", db.display());
    }
    SqliteStore::open(db).with_context(|| format!("opening {}", db.display()))
}

fn scope(store: &SqliteStore, a: &UserAdd) -> anyhow::Result<Scope> {
    Ok(if let Some(c) = &a.jurisdiction {
        Scope::County(AdminCode::parse(c)?)
    } else if let Some(p) = &a.park {
        let id = ParkId::parse(p)?;
        if store.park(&id)?.is_none() {
            bail!("no park {id} in the store");
        }
        Scope::Park(id)
    } else if let Some(u) = &a.enterprise {
        let u = Uscc::parse(u)?;
        if store.enterprise(&u)?.is_none() {
            bail!("no enterprise {u} in the store");
        }
        Scope::Enterprise(u)
    } else if let Some(d) = &a.department {
        Scope::Department(department(d)?)
    } else {
        Scope::All
    })
}

/// A server-side error as a command-line error, with the fields it names.
fn api(e: landcycle_server::error::ApiError) -> anyhow::Error {
    match e {
        landcycle_server::error::ApiError::Invalid(v) => anyhow::anyhow!(
            "{}",
            v.iter()
                .map(|f| format!("{}: {} / {}", f.field, f.reason, f.reason_zh))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        e => anyhow::anyhow!("{e}"),
    }
}

/// Creates a user with a password (generated when `None`); returns the password generated.
pub fn create_user(
    store: &SqliteStore,
    name: &str,
    role: Role,
    scope: Scope,
    password: Option<String>,
    actor: &str,
) -> anyhow::Result<Option<String>> {
    Principal::new(name, role, scope.clone()).map_err(|e| {
        anyhow::anyhow!(
            "{e} (county: --jurisdiction CODE, park: --park ID, enterprise: --enterprise USCC, department: --department NAME)"
        )
    })?;
    admin::create_user(store, name, role, scope, password, actor).map_err(api)
}

pub fn user(db: &Path, cmd: UserCmd) -> anyhow::Result<()> {
    match cmd {
        UserCmd::Add(a) => {
            // The first administrator may come before any data: the store is created if needed.
            let store =
                SqliteStore::open(db).with_context(|| format!("opening {}", db.display()))?;
            let role = Role::parse(&a.role)?;
            let scope = scope(&store, &a)?;
            let given = if a.password_stdin {
                let mut line = String::new();
                std::io::stdin().lock().read_line(&mut line)?;
                Some(line.trim_end_matches(['\r', '\n']).to_owned())
            } else {
                None
            };
            let generated = create_user(&store, &a.name, role, scope, given, ACTOR)?;
            println!("user {} created: {} ({})", a.name, role, role.label_zh());
            if let Some(pw) = generated {
                println!("password (shown once / 密码仅显示一次): {pw}");
            }
        }
        UserCmd::List => {
            let store = open_existing(db)?;
            for u in store.users()? {
                println!(
                    "{}\t{}\t{}{}\t{}",
                    u.name,
                    u.role,
                    u.scope.kind().as_str(),
                    u.scope.value().map(|v| format!(":{v}")).unwrap_or_default(),
                    if u.disabled { "disabled" } else { "active" }
                );
            }
        }
        UserCmd::Disable { name } => {
            let store = open_existing(db)?;
            admin::disable_user(&store, &name, ACTOR).map_err(api)?;
            println!("user {name} disabled");
        }
    }
    Ok(())
}

/// Parses a lifetime: `30d`, `12h`, `90m`, or `never`.
fn lifetime(s: &str) -> anyhow::Result<Option<jiff::SignedDuration>> {
    if s == "never" {
        return Ok(None);
    }
    let (n, unit) = s.split_at(s.len().saturating_sub(1));
    let n: i64 = n
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .with_context(|| format!("--expires {s}: expected e.g. 30d, 12h, 90m or never"))?;
    let secs = match unit {
        "d" => 86_400,
        "h" => 3_600,
        "m" => 60,
        _ => bail!("--expires {s}: the unit is d, h or m"),
    };
    Ok(Some(jiff::SignedDuration::from_secs(
        n.saturating_mul(secs),
    )))
}

pub fn token(db: &Path, cmd: TokenCmd) -> anyhow::Result<()> {
    let store = open_existing(db)?;
    match cmd {
        TokenCmd::Create {
            name,
            expires,
            read_only,
        } => {
            let now = jiff::Timestamp::now();
            let expires_at = lifetime(&expires)?
                .map(|d| now.checked_add(d))
                .transpose()?;
            let access = if read_only {
                TokenAccess::Read
            } else {
                TokenAccess::Write
            };
            let admin::NewToken { token: t, secret } =
                admin::create_token(&store, &name, access, expires_at, ACTOR).map_err(api)?;
            println!("token {} for {name} ({})", t.id, access.as_str());
            println!(
                "expires: {}",
                expires_at.map_or("never".to_owned(), |e| e.to_string())
            );
            println!("shown once; send it as `Authorization: Bearer TOKEN` / 令牌仅显示一次");
            println!("{secret}");
        }
        TokenCmd::Revoke { id } => {
            admin::revoke_token(&store, &id, ACTOR).map_err(api)?;
            println!("token {id} revoked");
        }
        TokenCmd::List { name } => {
            for t in store.tokens(name.as_deref())? {
                println!(
                    "{}\t{}\t{}\texpires {}\t{}",
                    t.id,
                    t.user,
                    t.access.as_str(),
                    t.expires_at.map_or("never".to_owned(), |e| e.to_string()),
                    t.revoked_at
                        .map_or("active".to_owned(), |r| format!("revoked {r}"))
                );
            }
        }
    }
    Ok(())
}

pub fn audit_log(db: &Path, a: AuditArgs) -> anyhow::Result<()> {
    let store = open_existing(db)?;
    let page = store.search_audit(&AuditQuery {
        actor: a.actor,
        action: a.action,
        limit: a.limit,
        ..Default::default()
    })?;
    for e in page.items {
        println!("{}", serde_json::to_string(&e)?);
    }
    Ok(())
}
