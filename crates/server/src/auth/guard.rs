//! The guard: the signed-in principal with the registry. Handlers read and write through it so
//! that what the access layer could not see from the path — records named in a body, the rows
//! of a list — is checked against the actual records: a write may only touch records (and
//! create them) within the principal's scope, and lists are filtered to the scope.

use super::targets;
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use landcycle_domain::access::{Action, Decision, Principal, Scope, Target, decide};
use landcycle_domain::{Enterprise, ParcelDraft, ParcelId};
use landcycle_store::{EnterpriseQuery, ParcelQuery, Registry, Store};

/// The principal the access layer resolved for this request.
#[derive(Debug, Clone)]
pub struct Auth(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Principal>()
            .cloned()
            .map(Auth)
            .ok_or_else(|| {
                ApiError::Internal("no principal: the route is outside the access layer".into())
            })
    }
}

/// The principal and the application state; see the module documentation.
#[derive(Clone)]
pub struct Guard {
    principal: Principal,
    st: AppState,
}

impl FromRequestParts<AppState> for Guard {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Auth(principal) = Auth::from_request_parts(parts, state).await?;
        Ok(Self {
            principal,
            st: state.clone(),
        })
    }
}

impl Guard {
    /// Who is acting.
    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    /// The application state.
    pub fn state(&self) -> &AppState {
        &self.st
    }

    /// Runs store work on a blocking thread with the checks at hand.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Checked<'_>) -> ApiResult<T> + Send + 'static,
    ) -> ApiResult<T> {
        let p = self.principal.clone();
        self.st
            .run(move |reg| f(&Checked { reg, principal: &p }))
            .await
    }
}

/// The registry with the principal, on a blocking thread.
pub struct Checked<'a> {
    reg: &'a Registry<dyn Store>,
    principal: &'a Principal,
}

fn refuse(d: Decision, hide_as: Option<String>) -> ApiResult<()> {
    match d {
        Decision::Allow => Ok(()),
        Decision::Deny(d) => match hide_as {
            Some(what) if d.out_of_scope => Err(ApiError::NotFound(format!("{what} not found"))),
            _ => Err(ApiError::Forbidden(format!(
                "{} / {}",
                d.reason_en, d.reason_zh
            ))),
        },
    }
}

impl Checked<'_> {
    /// Who is acting.
    pub fn principal(&self) -> &Principal {
        self.principal
    }

    /// The registry (after the checks).
    pub fn registry(&self) -> &Registry<dyn Store> {
        self.reg
    }

    /// The store (after the checks).
    pub fn store(&self) -> &dyn Store {
        self.reg.store()
    }

    /// Checks `action` on an existing record's target; out of scope reads as "not found".
    pub fn check_record(&self, action: Action, t: &Target, what: String) -> ApiResult<()> {
        refuse(decide(self.principal, action, t), Some(what))
    }

    /// Checks `action` on a target named in the request rather than a stored record (the park
    /// a new indicator set is for): outside the scope it is refused with 403, as nothing is
    /// hidden by saying so.
    pub fn check_target(&self, action: Action, t: &Target) -> ApiResult<()> {
        refuse(decide(self.principal, action, t), None)
    }

    /// Checks `action` on a parcel (its latest version). A parcel that does not exist passes:
    /// the operation itself then answers 404.
    pub fn parcel(&self, action: Action, id: ParcelId) -> ApiResult<()> {
        match self.store().parcel_latest(id)? {
            Some(p) => {
                let t = targets::parcel(self.store(), &p)?;
                self.check_record(action, &t, format!("parcel {id}"))
            }
            None => Ok(()),
        }
    }

    /// Checks `action` for a parcel as drafted: it must lie within the scope (403 otherwise).
    pub fn draft(&self, action: Action, d: &ParcelDraft) -> ApiResult<()> {
        let t = targets::draft(self.store(), d)?;
        refuse(decide(self.principal, action, &t), None)
    }

    /// Checks `action` on a stored approval batch; out of scope reads as "not found".
    pub fn batch(&self, action: Action, b: &landcycle_domain::BatchRecord) -> ApiResult<()> {
        let t = targets::batch(self.store(), b)?;
        self.check_record(action, &t, format!("batch {}", b.id))
    }

    /// True when the principal may do `action` on a stored batch (to filter lists).
    pub fn sees_batch(&self, action: Action, b: &landcycle_domain::BatchRecord) -> ApiResult<bool> {
        let t = targets::batch(self.store(), b)?;
        Ok(matches!(
            decide(self.principal, action, &t),
            Decision::Allow
        ))
    }

    /// Checks `action` for a batch as given: it must lie within the scope (403 otherwise).
    pub fn batch_draft(&self, action: Action, d: &landcycle_domain::BatchDraft) -> ApiResult<()> {
        let t = targets::batch_draft(self.store(), d)?;
        refuse(decide(self.principal, action, &t), None)
    }

    /// Checks `action` for an enterprise as given, and for the stored one it would replace.
    pub fn enterprise(&self, action: Action, e: &Enterprise) -> ApiResult<()> {
        if let Some(old) = self.store().enterprise(&e.uscc)? {
            let t = targets::enterprise(self.store(), &old)?;
            self.check_record(action, &t, format!("enterprise {}", e.uscc))?;
        }
        let t = targets::enterprise(self.store(), e)?;
        refuse(decide(self.principal, action, &t), None)
    }

    /// Forces the principal's scope on a parcel list. Asking for a park or an enterprise
    /// outside it answers 404.
    pub fn scope_parcels(&self, q: &mut ParcelQuery) -> ApiResult<()> {
        if !self.scoped(Action::ReadRegistry) {
            return Ok(());
        }
        match &self.principal.scope {
            Scope::County(c) => q.jurisdiction = Some(c.clone()),
            Scope::Park(p) => {
                if q.park.as_ref().is_some_and(|x| x != p) {
                    return Err(ApiError::NotFound("park not found".into()));
                }
                q.park = Some(p.clone());
            }
            Scope::Enterprise(u) => {
                if q.enterprise.as_ref().is_some_and(|x| x != u) {
                    return Err(ApiError::NotFound("enterprise not found".into()));
                }
                q.enterprise = Some(u.clone());
            }
            Scope::All | Scope::Department(_) => {}
        }
        Ok(())
    }

    /// Forces the principal's scope on an enterprise list.
    pub fn scope_enterprises(&self, q: &mut EnterpriseQuery) -> ApiResult<()> {
        if !self.scoped(Action::ReadEnterprise) {
            return Ok(());
        }
        match &self.principal.scope {
            Scope::County(c) => q.jurisdiction = Some(c.clone()),
            Scope::Park(p) => {
                if q.park.as_ref().is_some_and(|x| x != p) {
                    return Err(ApiError::NotFound("park not found".into()));
                }
                q.park = Some(p.clone());
            }
            Scope::Enterprise(u) => q.uscc = Some(u.clone()),
            Scope::All | Scope::Department(_) => {}
        }
        Ok(())
    }

    /// The parks whose records the principal reads: `None` for every park, else the list
    /// (empty for an enterprise).
    pub fn scope_parks(&self) -> ApiResult<Option<Vec<landcycle_domain::ParkId>>> {
        if !self.scoped(Action::ReadRegistry) {
            return Ok(None);
        }
        Ok(match &self.principal.scope {
            Scope::All | Scope::Department(_) => None,
            Scope::Park(p) => Some(vec![p.clone()]),
            Scope::County(c) => Some(
                self.store()
                    .parks()?
                    .into_iter()
                    .filter(|p| p.jurisdiction.code == *c)
                    .map(|p| p.id)
                    .collect(),
            ),
            Scope::Enterprise(_) => Some(Vec::new()),
        })
    }

    /// True when the role reads `action` within its scope only.
    fn scoped(&self, action: Action) -> bool {
        landcycle_domain::access::rule_for(self.principal.role, action)
            == Some(landcycle_domain::access::ScopeRule::InScope)
    }
}
