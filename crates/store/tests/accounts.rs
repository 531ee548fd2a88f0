//! Accounts on the embedded store: users with role and scope, tokens found by hash only while
//! live, sessions, the append-only audit log and its search, and the county filter of parcel
//! queries.
#![allow(missing_docs, clippy::unwrap_used)]

use jiff::{Timestamp, ToSpan};
use landcycle_domain::AdminCode;
use landcycle_domain::access::{Role, Scope};
use landcycle_store::{
    AccountStore, AuditEntry, AuditQuery, Session, SqliteStore, StoreError, Token, TokenAccess,
    User,
};
use serde_json::json;

fn store() -> (SqliteStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let s = SqliteStore::open(dir.path().join("accounts.gpkg")).unwrap();
    (s, dir)
}

fn now() -> Timestamp {
    "2025-03-01T08:00:00Z".parse().unwrap()
}

fn user(name: &str, role: Role, scope: Scope) -> User {
    User {
        name: name.into(),
        password_hash: Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into()),
        role,
        scope,
        created_at: now(),
        disabled: false,
    }
}

fn token(id: &str, user: &str, hash: &str, expires: Option<Timestamp>) -> Token {
    Token {
        id: id.into(),
        user: user.into(),
        token_hash: hash.into(),
        access: TokenAccess::Write,
        created_at: now(),
        expires_at: expires,
        revoked_at: None,
    }
}

#[test]
fn users_keep_their_role_and_scope_and_names_are_unique() {
    let (s, _d) = store();
    let county = Scope::County(AdminCode::parse("411002").unwrap());
    s.create_user(&user("wei", Role::County, county.clone()))
        .unwrap();
    s.create_user(&user("admin", Role::Admin, Scope::All))
        .unwrap();
    let got = s.user("wei").unwrap().unwrap();
    assert_eq!((got.role, got.scope.clone()), (Role::County, county));
    assert_eq!(got.created_at, now());
    assert_eq!(got.principal().unwrap().user, "wei");
    assert!(matches!(
        s.create_user(&user("wei", Role::City, Scope::All)),
        Err(StoreError::Conflict(_))
    ));
    // A scope that does not fit the role, and a bad name, are refused.
    assert!(matches!(
        s.create_user(&user("x", Role::County, Scope::All)),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        s.create_user(&user("a b", Role::City, Scope::All)),
        Err(StoreError::Invalid(_))
    ));
    let names: Vec<String> = s.users().unwrap().into_iter().map(|u| u.name).collect();
    assert_eq!(names, ["admin", "wei"]);
    assert!(s.user("nobody").unwrap().is_none());
    s.set_password_hash("wei", "$argon2id$new").unwrap();
    assert_eq!(
        s.user("wei").unwrap().unwrap().password_hash.as_deref(),
        Some("$argon2id$new")
    );
    assert!(matches!(
        s.disable_user("nobody"),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn tokens_are_found_by_hash_only_while_live() {
    let (s, _d) = store();
    s.create_user(&user(
        "tax",
        Role::Department,
        Scope::Department("tax".into()),
    ))
    .unwrap();
    s.create_token(&token("t1", "tax", "h1", None)).unwrap();
    s.create_token(&token("t2", "tax", "h2", Some(now() + 1.hour())))
        .unwrap();
    assert!(matches!(
        s.create_token(&token("t3", "ghost", "h3", None)),
        Err(StoreError::NotFound { .. })
    ));
    let (t, u) = s.token_by_hash("h1", now()).unwrap().unwrap();
    assert_eq!((t.id.as_str(), u.name.as_str()), ("t1", "tax"));
    assert!(s.token_by_hash("h2", now()).unwrap().is_some());
    assert!(
        s.token_by_hash("h2", now() + 2.hours()).unwrap().is_none(),
        "expired"
    );
    assert!(s.token_by_hash("nope", now()).unwrap().is_none());
    s.revoke_token("t1", now()).unwrap();
    assert!(s.token_by_hash("h1", now()).unwrap().is_none(), "revoked");
    assert!(matches!(
        s.revoke_token("t9", now()),
        Err(StoreError::NotFound { .. })
    ));
    let listed = s.tokens(Some("tax")).unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].revoked_at, Some(now()));
    // A disabled user's tokens stop working.
    s.disable_user("tax").unwrap();
    assert!(s.token_by_hash("h2", now()).unwrap().is_none());
    assert!(s.user("tax").unwrap().unwrap().disabled);
}

#[test]
fn sessions_expire_and_end() {
    let (s, _d) = store();
    s.create_user(&user("city", Role::City, Scope::All))
        .unwrap();
    let session = Session {
        id_hash: "sh".into(),
        user: "city".into(),
        csrf: "c1".into(),
        created_at: now(),
        expires_at: now() + 12.hours(),
    };
    s.create_session(&session).unwrap();
    let (got, u) = s.session("sh", now()).unwrap().unwrap();
    assert_eq!((got, u.role), (session, Role::City));
    assert!(s.session("sh", now() + 13.hours()).unwrap().is_none());
    s.delete_session("sh", now()).unwrap();
    assert!(s.session("sh", now()).unwrap().is_none());
    // A new password ends the sessions.
    s.create_session(&Session {
        id_hash: "sh2".into(),
        user: "city".into(),
        csrf: "c2".into(),
        created_at: now(),
        expires_at: now() + 1.hour(),
    })
    .unwrap();
    s.set_password_hash("city", "$argon2id$x").unwrap();
    assert!(s.session("sh2", now()).unwrap().is_none());
}

#[test]
fn the_audit_log_is_append_only_and_searchable() {
    let (s, dir) = store();
    let entry = |i: i64, actor: &str, action: &str| AuditEntry {
        at: now() + i.minutes(),
        actor: actor.into(),
        action: action.into(),
        target: Some(format!("POST /api/parcels#{i}")),
        outcome: "ok".into(),
        detail: json!({"status": 201}),
    };
    for i in 0..10 {
        let actor = if i % 2 == 0 { "wei" } else { "city" };
        let action = if i < 5 { "write_registry" } else { "sign_in" };
        s.append_audit(&entry(i, actor, action)).unwrap();
    }
    let all = s
        .search_audit(&AuditQuery {
            limit: 100,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(all.total, 10);
    assert!(all.items[0].seq > all.items[9].seq, "newest first");
    assert_eq!(all.items[0].detail["status"], 201);
    let q = AuditQuery {
        actor: Some("wei".into()),
        action: Some("write_registry".into()),
        from: Some(now() + 1.minute()),
        to: Some(now() + 5.minutes()),
        limit: 1,
        offset: 0,
    };
    let page = s.search_audit(&q).unwrap();
    assert_eq!(page.total, 2, "minutes 2 and 4");
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].at, now() + 4.minutes());
    // Neither UPDATE nor DELETE gets through, even on a raw connection.
    let raw = rusqlite::Connection::open(dir.path().join("accounts.gpkg")).unwrap();
    assert!(raw.execute("UPDATE audit_log SET actor = 'x'", []).is_err());
    assert!(raw.execute("DELETE FROM audit_log", []).is_err());
    drop(raw);
    assert_eq!(
        s.search_audit(&AuditQuery {
            limit: 100,
            ..Default::default()
        })
        .unwrap()
        .total,
        10
    );
}

#[test]
fn secrets_are_never_stored() {
    let (s, dir) = store();
    s.create_user(&user("city", Role::City, Scope::All))
        .unwrap();
    s.create_token(&token("t1", "city", "hash-of-secret", None))
        .unwrap();
    s.checkpoint().unwrap();
    let raw = rusqlite::Connection::open(dir.path().join("accounts.gpkg")).unwrap();
    let cols: Vec<String> = raw
        .prepare("SELECT name FROM pragma_table_info('api_tokens')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(cols.contains(&"token_hash".to_owned()));
    assert!(!cols.iter().any(|c| c == "token" || c == "secret"));
}
