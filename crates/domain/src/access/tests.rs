//! Tests of the access model: the role table as a matrix, and its invariants.

use super::*;
use proptest::prelude::*;

const USCC: &str = "914403001922038216";

fn code(s: &str) -> AdminCode {
    AdminCode::parse(s).unwrap_or_else(|e| panic!("{e}"))
}
fn park(s: &str) -> ParkId {
    ParkId::parse(s).unwrap_or_else(|e| panic!("{e}"))
}
fn uscc() -> Uscc {
    Uscc::parse(USCC).unwrap_or_else(|e| panic!("{e}"))
}

fn principal(role: Role) -> Principal {
    let scope = match role.scope_kind() {
        ScopeKind::All => Scope::All,
        ScopeKind::County => Scope::County(code("411002")),
        ScopeKind::Park => Scope::Park(park("weidu")),
        ScopeKind::Department => Scope::Department("tax".into()),
        ScopeKind::Enterprise => Scope::Enterprise(uscc()),
    };
    if role == Role::Public {
        Principal::public()
    } else {
        Principal::new(role.as_str(), role, scope).unwrap_or_else(|e| panic!("{e}"))
    }
}

/// A parcel in park weidu (county 411002) used by the test enterprise, with tax data.
fn inside() -> Target {
    Target {
        jurisdiction: Some(code("411002")),
        park: Some(park("weidu")),
        park_jurisdiction: Some(code("411002")),
        enterprise: Some(uscc()),
        department: Some("tax".into()),
    }
}

/// A parcel elsewhere in another county, of nobody the scoped principals know.
fn outside() -> Target {
    Target {
        jurisdiction: Some(code("411081")),
        park: Some(park("yuzhou")),
        park_jurisdiction: Some(code("411081")),
        enterprise: None,
        department: Some("power".into()),
    }
}

#[test]
fn role_names_round_trip_and_public_is_no_account_role() {
    for r in Role::ACCOUNT_ROLES {
        assert_eq!(Role::parse(r.as_str()).ok(), Some(r));
    }
    assert!(Role::parse("public").is_err());
    assert!(Role::parse("root").is_err());
    assert!(Principal::new("x", Role::Public, Scope::All).is_err());
}

#[test]
fn a_scope_must_fit_its_role() {
    assert!(Principal::new("c", Role::County, Scope::All).is_err());
    assert!(Principal::new("c", Role::City, Scope::County(code("411002"))).is_err());
    assert!(Principal::new("p", Role::Park, Scope::Park(park("weidu"))).is_ok());
    assert!(Principal::new("e", Role::Enterprise, Scope::Department("tax".into())).is_err());
}

#[test]
fn scopes_round_trip_through_their_stored_parts() {
    for r in Role::ACCOUNT_ROLES {
        let s = principal(r).scope;
        let back = Scope::from_parts(s.kind().as_str(), s.value());
        assert_eq!(back.ok(), Some(s));
    }
    assert!(Scope::from_parts("county", None).is_err());
    assert!(Scope::from_parts("county", Some("12")).is_err());
    assert!(Scope::from_parts("galaxy", Some("x")).is_err());
    assert!(Scope::from_parts("department", Some("Tax Office")).is_err());
}

#[test]
fn county_scope_contains_its_parcels_and_parks_in_it() {
    let county = Scope::County(code("411002"));
    let by_jurisdiction = Target {
        jurisdiction: Some(code("411002")),
        ..Target::default()
    };
    let by_park = Target {
        jurisdiction: Some(code("411071")),
        park: Some(park("weidu")),
        park_jurisdiction: Some(code("411002")),
        ..Target::default()
    };
    assert!(county.contains(&by_jurisdiction));
    assert!(county.contains(&by_park));
    assert!(!county.contains(&outside()));
    assert!(Scope::Park(park("weidu")).contains(&by_park));
    assert!(!Scope::Park(park("weidu")).contains(&by_jurisdiction));
    assert!(Scope::Enterprise(uscc()).contains(&inside()));
    assert!(!Scope::Enterprise(uscc()).contains(&outside()));
}

/// The whole matrix, written out: every role × action × inside/outside.
#[test]
fn the_matrix_as_expected() {
    use Action::*;
    // (role, actions allowed anywhere, actions allowed inside only)
    let expect: &[(Role, &[Action], &[Action])] = &[
        (Role::Public, &[ReadPublic, SignIn, SubmitIntention], &[]),
        (
            Role::Admin,
            &[
                ReadPublic,
                SignIn,
                OwnSession,
                ReadRegistry,
                DownloadAttachment,
                ReadActivity,
                WriteRegistry,
                ReadEnterprise,
                WriteEnterprise,
                UploadDepartmentData,
                ImportFiles,
                ReadAudit,
                ManageUsers,
                RunEvaluation,
                ManageWebhooks,
                ReadQuota,
            ],
            &[],
        ),
        (
            Role::City,
            &[
                ReadPublic,
                SignIn,
                OwnSession,
                ReadRegistry,
                DownloadAttachment,
                ReadActivity,
                WriteRegistry,
                ReadEnterprise,
                WriteEnterprise,
                UploadDepartmentData,
                RunEvaluation,
                ManageWebhooks,
                ImportFiles,
                ReadQuota,
            ],
            &[],
        ),
        (
            Role::County,
            &[ReadPublic, SignIn, OwnSession],
            &[
                ReadRegistry,
                DownloadAttachment,
                WriteRegistry,
                ReadEnterprise,
                WriteEnterprise,
                ImportFiles,
                ReadQuota,
            ],
        ),
        (
            Role::Park,
            &[ReadPublic, SignIn, OwnSession],
            &[
                ReadRegistry,
                DownloadAttachment,
                WriteRegistry,
                ReadEnterprise,
                WriteEnterprise,
                ImportFiles,
            ],
        ),
        (
            Role::Department,
            &[ReadPublic, SignIn, OwnSession, ReadRegistry, ReadEnterprise],
            &[UploadDepartmentData, ImportFiles],
        ),
        (
            Role::Enterprise,
            &[ReadPublic, SignIn, OwnSession],
            &[
                ReadRegistry,
                DownloadAttachment,
                ReadEnterprise,
                SubmitReport,
            ],
        ),
        (
            Role::Auditor,
            &[
                ReadPublic,
                SignIn,
                OwnSession,
                ReadRegistry,
                DownloadAttachment,
                ReadActivity,
                ReadEnterprise,
                ReadAudit,
                ReadQuota,
            ],
            &[],
        ),
    ];
    assert_eq!(expect.len(), Role::ALL.len());
    for (role, anywhere, inside_only) in expect {
        let p = principal(*role);
        for a in Action::ALL {
            let (want_in, want_out) = if anywhere.contains(&a) {
                (true, true)
            } else if inside_only.contains(&a) {
                (true, false)
            } else {
                (false, false)
            };
            assert_eq!(
                decide(&p, a, &inside()).is_allowed(),
                want_in,
                "{role} {a} inside"
            );
            assert_eq!(
                decide(&p, a, &outside()).is_allowed(),
                want_out,
                "{role} {a} outside"
            );
            // The coarse check allows whatever the role may do somewhere.
            assert_eq!(
                decide(&p, a, &Target::anywhere()).is_allowed(),
                want_in,
                "{role} {a} coarse"
            );
        }
    }
}

#[test]
fn denials_say_forbidden_or_out_of_scope_in_both_languages() {
    let Decision::Deny(d) = decide(&principal(Role::Auditor), Action::WriteRegistry, &inside())
    else {
        panic!("auditor wrote")
    };
    assert!(!d.out_of_scope);
    assert!(d.reason_en.contains("auditor") && d.reason_zh.contains("审计"));
    let Decision::Deny(d) = decide(&principal(Role::Park), Action::ReadRegistry, &outside()) else {
        panic!("park read outside")
    };
    assert!(d.out_of_scope);
    assert!(!d.reason_zh.is_empty());
}

#[test]
fn the_table_has_no_duplicate_rows() {
    for (i, (r, a, _)) in ROLE_TABLE.iter().enumerate() {
        assert!(
            !ROLE_TABLE[i + 1..]
                .iter()
                .any(|(r2, a2, _)| r2 == r && a2 == a),
            "{r} {a} listed twice"
        );
    }
}

fn any_role() -> impl Strategy<Value = Role> {
    proptest::sample::select(Role::ALL.to_vec())
}
fn any_action() -> impl Strategy<Value = Action> {
    proptest::sample::select(Action::ALL.to_vec())
}
fn any_target() -> impl Strategy<Value = Target> {
    let codes = proptest::sample::select(vec!["411002", "411081", "411071", "410100"]);
    let parks = proptest::sample::select(vec!["weidu", "yuzhou", "changge"]);
    let depts = proptest::sample::select(vec!["tax", "power"]);
    (
        proptest::option::of(codes.clone()),
        proptest::option::of(parks),
        proptest::option::of(codes),
        any::<bool>(),
        proptest::option::of(depts),
    )
        .prop_map(|(j, p, pj, e, d)| Target {
            jurisdiction: j.map(code),
            park: p.map(park),
            park_jurisdiction: pj.map(code),
            enterprise: e.then(uscc),
            department: d.map(str::to_owned),
        })
}

proptest! {
    #[test]
    fn the_auditor_never_writes(a in any_action(), t in any_target()) {
        if a.is_write() {
            prop_assert!(!decide(&principal(Role::Auditor), a, &t).is_allowed());
        }
    }

    #[test]
    fn the_public_only_reads_what_is_published(a in any_action(), t in any_target()) {
        let allowed = decide(&Principal::public(), a, &t).is_allowed();
        prop_assert_eq!(allowed, matches!(a, Action::ReadPublic | Action::SignIn | Action::SubmitIntention));
    }

    #[test]
    fn read_only_credentials_never_write(r in any_role(), a in any_action(), t in any_target()) {
        let p = principal(r).read_only();
        if a.is_write() {
            prop_assert!(!decide(&p, a, &t).is_allowed());
        }
    }

    #[test]
    fn scoped_roles_never_reach_outside_their_scope(r in any_role(), a in any_action(), t in any_target()) {
        let p = principal(r);
        if decide(&p, a, &t).is_allowed() && !t.is_anywhere() {
            prop_assert!(
                p.scope.contains(&t) || rule_for(r, a) == Some(ScopeRule::Anywhere),
                "{} {} reached {:?}", r, a, t
            );
        }
    }

    #[test]
    fn only_the_admin_manages_users_and_only_admin_and_auditor_read_the_audit(r in any_role(), t in any_target()) {
        let p = principal(r);
        prop_assert_eq!(decide(&p, Action::ManageUsers, &t).is_allowed(), r == Role::Admin);
        prop_assert_eq!(
            decide(&p, Action::ReadAudit, &t).is_allowed(),
            matches!(r, Role::Admin | Role::Auditor)
        );
    }
}
