//! [`AccountStore`] on the embedded store: the `users`, `api_tokens`, `sessions` and
//! `audit_log` tables of schema step 2. Times are GeoPackage DATETIME text (fixed width, UTC),
//! so they compare as strings.

use super::SqliteStore;
use super::write::gpkg_time;
use crate::accounts::{
    AccountStore, AuditEntry, AuditQuery, AuditRecord, Session, Token, TokenAccess, User,
    check_user_name,
};
use crate::error::{StoreError, StoreResult};
use crate::model::Page;
use jiff::Timestamp;
use landcycle_domain::access::{Role, Scope};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, params};

const USER_COLS: &str =
    "u.name, u.password_hash, u.role, u.scope_kind, u.scope_value, u.created_at, u.disabled";
const TOKEN_COLS: &str =
    "t.id, t.user, t.token_hash, t.scopes, t.created_at, t.expires_at, t.revoked_at";

fn bad(e: impl std::fmt::Display) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.to_string().into())
}

fn ts(s: &str) -> rusqlite::Result<Timestamp> {
    s.parse().map_err(bad)
}

fn opt_ts(s: Option<String>) -> rusqlite::Result<Option<Timestamp>> {
    s.as_deref().map(ts).transpose()
}

/// A user from columns `at..at+7` of `USER_COLS`.
fn user_at(r: &Row<'_>, at: usize) -> rusqlite::Result<User> {
    let role: String = r.get(at + 2)?;
    let kind: String = r.get(at + 3)?;
    let value: Option<String> = r.get(at + 4)?;
    Ok(User {
        name: r.get(at)?,
        password_hash: r.get(at + 1)?,
        role: Role::parse(&role).map_err(bad)?,
        scope: Scope::from_parts(&kind, value.as_deref()).map_err(bad)?,
        created_at: ts(&r.get::<_, String>(at + 5)?)?,
        disabled: r.get::<_, i64>(at + 6)? != 0,
    })
}

fn token_at(r: &Row<'_>, at: usize) -> rusqlite::Result<Token> {
    let access: String = r.get(at + 3)?;
    Ok(Token {
        id: r.get(at)?,
        user: r.get(at + 1)?,
        token_hash: r.get(at + 2)?,
        access: if access == "write" {
            TokenAccess::Write
        } else {
            TokenAccess::Read
        },
        created_at: ts(&r.get::<_, String>(at + 4)?)?,
        expires_at: opt_ts(r.get(at + 5)?)?,
        revoked_at: opt_ts(r.get(at + 6)?)?,
    })
}

fn audit_from_row(r: &Row<'_>) -> rusqlite::Result<AuditRecord> {
    let detail: String = r.get(6)?;
    Ok(AuditRecord {
        seq: r.get(0)?,
        at: ts(&r.get::<_, String>(1)?)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        target: r.get(4)?,
        outcome: r.get(5)?,
        detail: serde_json::from_str(&detail).map_err(bad)?,
    })
}

fn no_user(name: &str) -> StoreError {
    StoreError::NotFound {
        entity: "user",
        id: name.to_owned(),
    }
}

impl AccountStore for SqliteStore {
    fn create_user(&self, u: &User) -> StoreResult<()> {
        check_user_name(&u.name)?;
        u.principal()?;
        let conn = self.writer()?;
        let taken: bool = conn
            .prepare_cached("SELECT 1 FROM users WHERE name = ?1")?
            .exists([&u.name])?;
        if taken {
            return Err(StoreError::Conflict(format!(
                "user {} exists / 用户已存在",
                u.name
            )));
        }
        conn.prepare_cached("INSERT INTO users (name, password_hash, role, scope_kind, scope_value, created_at, disabled) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?
            .execute(params![
                u.name,
                u.password_hash,
                u.role.as_str(),
                u.scope.kind().as_str(),
                u.scope.value(),
                gpkg_time(u.created_at),
                i64::from(u.disabled),
            ])?;
        Ok(())
    }

    fn users(&self) -> StoreResult<Vec<User>> {
        self.read(|c| {
            Ok(
                c.prepare_cached(&format!("SELECT {USER_COLS} FROM users u ORDER BY u.name"))?
                    .query_map([], |r| user_at(r, 0))?
                    .collect::<Result<_, _>>()?,
            )
        })
    }

    fn user(&self, name: &str) -> StoreResult<Option<User>> {
        self.read(|c| {
            Ok(c.prepare_cached(&format!(
                "SELECT {USER_COLS} FROM users u WHERE u.name = ?1"
            ))?
            .query_row([name], |r| user_at(r, 0))
            .optional()?)
        })
    }

    fn disable_user(&self, name: &str) -> StoreResult<()> {
        let mut conn = self.writer()?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if tx.execute("UPDATE users SET disabled = 1 WHERE name = ?1", [name])? == 0 {
            return Err(no_user(name));
        }
        tx.execute("DELETE FROM sessions WHERE user = ?1", [name])?;
        tx.commit()?;
        Ok(())
    }

    fn set_password_hash(&self, name: &str, hash: &str) -> StoreResult<()> {
        let mut conn = self.writer()?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if tx.execute(
            "UPDATE users SET password_hash = ?2 WHERE name = ?1",
            [name, hash],
        )? == 0
        {
            return Err(no_user(name));
        }
        tx.execute("DELETE FROM sessions WHERE user = ?1", [name])?;
        tx.commit()?;
        Ok(())
    }

    fn create_token(&self, t: &Token) -> StoreResult<()> {
        let conn = self.writer()?;
        let exists: bool = conn
            .prepare_cached("SELECT 1 FROM users WHERE name = ?1")?
            .exists([&t.user])?;
        if !exists {
            return Err(no_user(&t.user));
        }
        conn.prepare_cached("INSERT INTO api_tokens (id, user, token_hash, scopes, created_at, expires_at, revoked_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?
            .execute(params![
                t.id,
                t.user,
                t.token_hash,
                t.access.as_str(),
                gpkg_time(t.created_at),
                t.expires_at.map(gpkg_time),
                t.revoked_at.map(gpkg_time),
            ])?;
        Ok(())
    }

    fn revoke_token(&self, id: &str, at: Timestamp) -> StoreResult<()> {
        let conn = self.writer()?;
        let n = conn.execute(
            "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?2) WHERE id = ?1",
            params![id, gpkg_time(at)],
        )?;
        if n == 0 {
            return Err(StoreError::NotFound {
                entity: "token",
                id: id.to_owned(),
            });
        }
        Ok(())
    }

    fn tokens(&self, user: Option<&str>) -> StoreResult<Vec<Token>> {
        self.read(|c| {
            Ok(c
                .prepare_cached(&format!(
                    "SELECT {TOKEN_COLS} FROM api_tokens t WHERE ?1 IS NULL OR t.user = ?1 ORDER BY t.created_at, t.id"
                ))?
                .query_map([user], |r| token_at(r, 0))?
                .collect::<Result<_, _>>()?)
        })
    }

    fn token_by_hash(&self, hash: &str, now: Timestamp) -> StoreResult<Option<(Token, User)>> {
        self.read(|c| {
            Ok(c.prepare_cached(&format!(
                "SELECT {TOKEN_COLS}, {USER_COLS} FROM api_tokens t JOIN users u ON u.name = t.user
                     WHERE t.token_hash = ?1 AND t.revoked_at IS NULL
                     AND (t.expires_at IS NULL OR t.expires_at > ?2) AND u.disabled = 0"
            ))?
            .query_row(params![hash, gpkg_time(now)], |r| {
                Ok((token_at(r, 0)?, user_at(r, 7)?))
            })
            .optional()?)
        })
    }

    fn create_session(&self, s: &Session) -> StoreResult<()> {
        let conn = self.writer()?;
        conn.prepare_cached("INSERT INTO sessions (id_hash, user, csrf, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute(params![
                s.id_hash,
                s.user,
                s.csrf,
                gpkg_time(s.created_at),
                gpkg_time(s.expires_at),
            ])?;
        Ok(())
    }

    fn session(&self, id_hash: &str, now: Timestamp) -> StoreResult<Option<(Session, User)>> {
        self.read(|c| {
            Ok(c.prepare_cached(&format!(
                "SELECT s.id_hash, s.user, s.csrf, s.created_at, s.expires_at, {USER_COLS}
                     FROM sessions s JOIN users u ON u.name = s.user
                     WHERE s.id_hash = ?1 AND s.expires_at > ?2 AND u.disabled = 0"
            ))?
            .query_row(params![id_hash, gpkg_time(now)], |r| {
                Ok((
                    Session {
                        id_hash: r.get(0)?,
                        user: r.get(1)?,
                        csrf: r.get(2)?,
                        created_at: ts(&r.get::<_, String>(3)?)?,
                        expires_at: ts(&r.get::<_, String>(4)?)?,
                    },
                    user_at(r, 5)?,
                ))
            })
            .optional()?)
        })
    }

    fn delete_session(&self, id_hash: &str, now: Timestamp) -> StoreResult<()> {
        self.writer()?.execute(
            "DELETE FROM sessions WHERE id_hash = ?1 OR expires_at <= ?2",
            params![id_hash, gpkg_time(now)],
        )?;
        Ok(())
    }

    fn append_audit(&self, e: &AuditEntry) -> StoreResult<i64> {
        let conn = self.writer()?;
        conn.prepare_cached(
            "INSERT INTO audit_log (at, actor, action, target, outcome, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            gpkg_time(e.at),
            e.actor,
            e.action,
            e.target,
            e.outcome,
            e.detail.to_string(),
        ])?;
        Ok(conn.last_insert_rowid())
    }

    fn search_audit(&self, q: &AuditQuery) -> StoreResult<Page<AuditRecord>> {
        let mut sql = String::from("FROM audit_log WHERE 1 = 1");
        let mut args: Vec<Value> = Vec::new();
        if let Some(a) = &q.actor {
            sql.push_str(" AND actor = ?");
            args.push(Value::Text(a.clone()));
        }
        if let Some(a) = &q.action {
            sql.push_str(" AND action = ?");
            args.push(Value::Text(a.clone()));
        }
        if let Some(t) = q.from {
            sql.push_str(" AND at >= ?");
            args.push(Value::Text(gpkg_time(t)));
        }
        if let Some(t) = q.to {
            sql.push_str(" AND at < ?");
            args.push(Value::Text(gpkg_time(t)));
        }
        self.read(|c| {
            let total: u64 = c
                .prepare_cached(&format!("SELECT count(*) {sql}"))?
                .query_row(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
            let mut page = args.clone();
            page.push(Value::Integer(i64::from(q.limit.clamp(1, 10_000))));
            page.push(Value::Integer(i64::try_from(q.offset).unwrap_or(i64::MAX)));
            let items = c
                .prepare_cached(&format!(
                    "SELECT seq, at, actor, action, target, outcome, detail {sql} ORDER BY seq DESC LIMIT ? OFFSET ?"
                ))?
                .query_map(rusqlite::params_from_iter(page.iter()), audit_from_row)?
                .collect::<Result<_, _>>()?;
            Ok(Page { items, total })
        })
    }
}
