//! The route policy table: for every route (method + path template as routed), the [`Action`]
//! it performs and where the record it touches comes from. The access layer looks every
//! request up here; a route with no entry is refused (and logged as a missing rule), so a new
//! endpoint cannot be served unguarded.

use landcycle_domain::access::Action;

/// Where the target of a route's action is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetFrom {
    /// No particular record (public pages, the caller's own session, city-wide feeds).
    Nothing,
    /// A list: the handler forces the principal's scope as a filter through the guard.
    List,
    /// The parcel named by the path parameter `{id}`: checked by the access layer.
    Parcel,
    /// The enterprise named by the path parameter `{uscc}`: checked by the access layer.
    Enterprise,
    /// The attachment named by `{sha256}`: checked against the parcels it is linked to.
    Attachment,
    /// Records named in the body: the handler checks them through the guard.
    Body,
}

/// One entry of the policy table.
#[derive(Debug, Clone, Copy)]
pub struct RoutePolicy {
    /// HTTP method (`HEAD` is looked up as `GET`).
    pub method: &'static str,
    /// Path template as routed, e.g. `/api/parcels/{id}`.
    pub path: &'static str,
    /// The action performed.
    pub action: Action,
    /// Where its target comes from.
    pub target: TargetFrom,
    /// Audit even though the action is a read (exports and downloads).
    pub audit_read: bool,
}

const fn rule(
    method: &'static str,
    path: &'static str,
    action: Action,
    target: TargetFrom,
) -> RoutePolicy {
    RoutePolicy {
        method,
        path,
        action,
        target,
        audit_read: false,
    }
}

/// Every route of the API.
pub const POLICIES: &[RoutePolicy] = {
    use Action::*;
    use TargetFrom::*;
    &[
        rule("GET", "/api/openapi.json", ReadPublic, Nothing),
        rule("GET", "/api/health", ReadPublic, Nothing),
        rule("GET", "/api/parks", ReadPublic, Nothing),
        rule("GET", "/api/parks/{id}", ReadPublic, Nothing),
        rule("GET", "/api/ui/config", ReadPublic, Nothing),
        rule("GET", "/api/public/available-land", ReadPublic, Nothing),
        rule(
            "GET",
            "/api/public/available-land/{id}",
            ReadPublic,
            Nothing,
        ),
        // Audited: a stored submission from someone without an account.
        RoutePolicy {
            audit_read: true,
            ..rule("POST", "/api/public/intentions", SubmitIntention, Nothing)
        },
        rule("GET", "/api/intentions", ReadRegistry, List),
        rule("GET", "/api/parks/efficiency", ReadRegistry, List),
        // 亩均效益评价: a run is city-wide; reads are cut to the caller's scope by the handler.
        rule("GET", "/api/evaluations", ReadEnterprise, List),
        rule("POST", "/api/evaluations", RunEvaluation, Nothing),
        rule("GET", "/api/evaluations/{id}", ReadEnterprise, List),
        rule("GET", "/api/evaluations/{id}/results", ReadEnterprise, List),
        rule(
            "POST",
            "/api/evaluations/{id}/reproduce",
            ReadEnterprise,
            List,
        ),
        rule("POST", "/api/auth/login", SignIn, Nothing),
        rule("POST", "/api/auth/logout", OwnSession, Nothing),
        rule("GET", "/api/users", ManageUsers, Nothing),
        rule("POST", "/api/users", ManageUsers, Nothing),
        rule("POST", "/api/users/{name}/disable", ManageUsers, Nothing),
        rule("GET", "/api/tokens", ManageUsers, Nothing),
        rule("POST", "/api/tokens", ManageUsers, Nothing),
        rule("DELETE", "/api/tokens/{id}", ManageUsers, Nothing),
        rule("GET", "/api/auth/me", OwnSession, Nothing),
        rule("GET", "/api/audit", ReadAudit, Nothing),
        rule("GET", "/api/history", ReadActivity, Nothing),
        rule("GET", "/api/batches", ReadRegistry, List),
        rule("POST", "/api/batches", WriteRegistry, Body),
        rule("GET", "/api/batches/summary", ReadRegistry, List),
        // A batch named in the path: the handler checks it through the guard (404 out of
        // scope), as for records named in a body.
        rule("GET", "/api/batches/{id}", ReadRegistry, Body),
        rule("POST", "/api/batches/{id}/deductions", WriteRegistry, Body),
        // 增存挂钩: city, admin and auditor read every county's line; a county its own (the
        // handler cuts the lines to the scope); parks, departments and enterprises are refused.
        rule("GET", "/api/quota/allocation", ReadQuota, List),
        rule("GET", "/api/findings", ReadRegistry, List),
        rule("GET", "/api/findings/summary", ReadRegistry, List),
        rule("GET", "/api/parcels", ReadRegistry, List),
        rule("POST", "/api/parcels", WriteRegistry, Body),
        rule("POST", "/api/parcels/merge", WriteRegistry, Body),
        // The handler checks what the files hold: every parcel row's place (WriteRegistry),
        // or the principal's department (UploadDepartmentData).
        rule("POST", "/api/imports", ImportFiles, Body),
        rule("GET", "/api/parcels/{id}", ReadRegistry, Parcel),
        // The parcel behind a tile feature: the handler resolves the fid and checks the parcel
        // through the guard (404 out of scope), as for records named in a body.
        rule("GET", "/api/parcels/by-feature/{fid}", ReadRegistry, Body),
        rule("PUT", "/api/parcels/{id}", WriteRegistry, Parcel),
        rule("GET", "/api/parcels/{id}/history", ReadRegistry, Parcel),
        rule("GET", "/api/parcels/{id}/card.pdf", ReadRegistry, Parcel),
        rule("GET", "/api/parcels/{id}/lineage", ReadRegistry, Parcel),
        rule("GET", "/api/parcels/{id}/findings", ReadRegistry, Parcel),
        rule("POST", "/api/parcels/{id}/split", WriteRegistry, Parcel),
        rule("POST", "/api/parcels/{id}/end", WriteRegistry, Parcel),
        rule("GET", "/api/parcels/{id}/supplies", ReadRegistry, Parcel),
        rule("GET", "/api/parcels/{id}/attachments", ReadRegistry, Parcel),
        rule(
            "POST",
            "/api/parcels/{id}/attachments",
            WriteRegistry,
            Parcel,
        ),
        RoutePolicy {
            audit_read: true,
            ..rule(
                "GET",
                "/api/attachments/{sha256}",
                DownloadAttachment,
                Attachment,
            )
        },
        rule("GET", "/api/enterprises", ReadEnterprise, List),
        rule("POST", "/api/enterprises", WriteEnterprise, Body),
        rule("GET", "/api/enterprises/{uscc}", ReadEnterprise, Enterprise),
        rule("POST", "/api/supplies", WriteRegistry, Body),
        // OGC API: the service documents and the public collections are open; parcels are
        // the registry (read in scope, written through the registry like the REST API).
        rule("GET", "/ogc", ReadPublic, Nothing),
        rule("GET", "/ogc/", ReadPublic, Nothing),
        rule("GET", "/ogc/conformance", ReadPublic, Nothing),
        rule("GET", "/ogc/api", ReadPublic, Nothing),
        rule("GET", "/ogc/collections", ReadPublic, Nothing),
        rule("GET", "/ogc/tileMatrixSets", ReadPublic, Nothing),
        rule("GET", "/ogc/tileMatrixSets/{tms}", ReadPublic, Nothing),
        rule("GET", "/ogc/collections/parcels", ReadPublic, Nothing),
        rule(
            "GET",
            "/ogc/collections/parcels/queryables",
            ReadPublic,
            Nothing,
        ),
        rule("GET", "/ogc/collections/parcels/tiles", ReadPublic, Nothing),
        rule(
            "GET",
            "/ogc/collections/parcels/tiles/{tms}",
            ReadPublic,
            Nothing,
        ),
        rule(
            "GET",
            "/ogc/collections/parcels/tiles/{tms}/{z}/{y}/{x}",
            ReadRegistry,
            List,
        ),
        rule("GET", "/ogc/collections/parcels/items", ReadRegistry, List),
        rule(
            "POST",
            "/ogc/collections/parcels/items",
            WriteRegistry,
            Body,
        ),
        rule(
            "GET",
            "/ogc/collections/parcels/items/{id}",
            ReadRegistry,
            Parcel,
        ),
        rule(
            "PUT",
            "/ogc/collections/parcels/items/{id}",
            WriteRegistry,
            Parcel,
        ),
        rule(
            "PATCH",
            "/ogc/collections/parcels/items/{id}",
            WriteRegistry,
            Parcel,
        ),
        rule(
            "DELETE",
            "/ogc/collections/parcels/items/{id}",
            WriteRegistry,
            Parcel,
        ),
        rule(
            "GET",
            "/ogc/collections/available-land",
            ReadPublic,
            Nothing,
        ),
        rule(
            "GET",
            "/ogc/collections/available-land/queryables",
            ReadPublic,
            Nothing,
        ),
        rule(
            "GET",
            "/ogc/collections/available-land/tiles",
            ReadPublic,
            Nothing,
        ),
        rule(
            "GET",
            "/ogc/collections/available-land/tiles/{tms}",
            ReadPublic,
            Nothing,
        ),
        rule(
            "GET",
            "/ogc/collections/available-land/tiles/{tms}/{z}/{y}/{x}",
            ReadPublic,
            Nothing,
        ),
        rule(
            "GET",
            "/ogc/collections/available-land/items",
            ReadPublic,
            Nothing,
        ),
        rule(
            "GET",
            "/ogc/collections/available-land/items/{id}",
            ReadPublic,
            Nothing,
        ),
        rule("GET", "/ogc/collections/parks", ReadPublic, Nothing),
        rule(
            "GET",
            "/ogc/collections/parks/queryables",
            ReadPublic,
            Nothing,
        ),
        rule("GET", "/ogc/collections/parks/tiles", ReadPublic, Nothing),
        rule(
            "GET",
            "/ogc/collections/parks/tiles/{tms}",
            ReadPublic,
            Nothing,
        ),
        rule(
            "GET",
            "/ogc/collections/parks/tiles/{tms}/{z}/{y}/{x}",
            ReadPublic,
            Nothing,
        ),
        rule("GET", "/ogc/collections/parks/items", ReadPublic, Nothing),
        rule(
            "GET",
            "/ogc/collections/parks/items/{id}",
            ReadPublic,
            Nothing,
        ),
        // Workflows (issue 6): `{id}` names a case or project, checked by the handler.
        rule("GET", "/api/cases", ReadRegistry, List),
        rule("POST", "/api/cases", WriteRegistry, Body),
        rule("GET", "/api/cases/{id}", ReadRegistry, Body),
        rule("POST", "/api/cases/{id}/transitions", WriteRegistry, Body),
        rule("POST", "/api/cases/{id}/submissions", SubmitReport, Body),
        rule("GET", "/api/projects", ReadRegistry, List),
        rule("GET", "/api/projects/{id}", ReadRegistry, Body),
        rule(
            "POST",
            "/api/projects/{id}/transitions",
            WriteRegistry,
            Body,
        ),
        rule("POST", "/api/projects/{id}/submissions", SubmitReport, Body),
        // 标准地: the application and its revision are the enterprise's; the rest officials'.
        rule("POST", "/api/projects", SubmitReport, Body),
        rule("POST", "/api/projects/{id}/revision", SubmitReport, Body),
        rule("POST", "/api/projects/{id}/review", WriteRegistry, Body),
        rule("POST", "/api/projects/{id}/scheme", WriteRegistry, Body),
        rule("POST", "/api/projects/{id}/contract", WriteRegistry, Body),
        rule("GET", "/api/projects/{id}/checkpoints", ReadRegistry, Body),
        rule(
            "POST",
            "/api/projects/{id}/checkpoints/{code}",
            WriteRegistry,
            Body,
        ),
        rule("POST", "/api/projects/{id}/renewal", WriteRegistry, Body),
        rule(
            "GET",
            "/api/enterprises/{uscc}/credit",
            ReadEnterprise,
            Enterprise,
        ),
        rule("GET", "/api/inspections", ReadRegistry, List),
        rule("POST", "/api/inspections", WriteRegistry, Body),
        rule("GET", "/api/disposal-plans", ReadRegistry, List),
        rule("GET", "/api/progress-reports", ReadRegistry, List),
        rule("POST", "/api/progress-reports", WriteRegistry, Body),
        rule("POST", "/api/tasks", WriteRegistry, Body),
        rule("GET", "/api/tasks", ReadRegistry, Nothing),
        rule("GET", "/api/penalties", ReadRegistry, List),
        rule("GET", "/api/warnings", ReadRegistry, List),
        rule("GET", "/api/warnings.ics", ReadRegistry, List),
        rule("GET", "/api/workflows", ReadRegistry, Nothing),
        // 标准地指标体系: read by every account that reads the registry (they are the published
        // entry conditions); published by the city, a county or a park in its scope (checked
        // by the handler against the park named in the body).
        rule("GET", "/api/indicator-sets", ReadRegistry, Nothing),
        rule(
            "GET",
            "/api/indicator-sets/effective",
            ReadRegistry,
            Nothing,
        ),
        rule("GET", "/api/indicator-sets/{id}", ReadRegistry, Nothing),
        rule("POST", "/api/indicator-sets", WriteRegistry, Body),
        // A penalty marked paid by the city, county or park in whose scope it lies.
        rule("POST", "/api/penalties/{id}/payments", WriteRegistry, Body),
        // The land user's quarterly report on its project (履约监管协议).
        rule(
            "POST",
            "/api/projects/{id}/progress-reports",
            SubmitReport,
            Body,
        ),
        // Outgoing webhooks: the city's integration (admin and city).
        rule("GET", "/api/webhooks", ManageWebhooks, Nothing),
        rule("POST", "/api/webhooks", ManageWebhooks, Nothing),
        rule("DELETE", "/api/webhooks/{id}", ManageWebhooks, Nothing),
    ]
};

/// The policy of a route, if it has one.
pub fn policy_for(method: &str, path: &str) -> Option<&'static RoutePolicy> {
    let method = if method.eq_ignore_ascii_case("HEAD") {
        "GET"
    } else {
        method
    };
    POLICIES
        .iter()
        .find(|p| p.method.eq_ignore_ascii_case(method) && p.path == path)
}

/// The value of `{name}` in `path`, matched against `template` segment by segment.
pub fn path_param<'a>(template: &str, path: &'a str, name: &str) -> Option<&'a str> {
    let want = format!("{{{name}}}");
    let (mut t, mut p) = (template.split('/'), path.split('/'));
    loop {
        match (t.next(), p.next()) {
            (Some(ts), Some(ps)) if ts == want => return Some(ps),
            (Some(_), Some(_)) => {}
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_and_path_parameters() {
        assert_eq!(
            policy_for("HEAD", "/api/parcels/{id}").map(|p| p.action),
            Some(Action::ReadRegistry)
        );
        assert!(policy_for("DELETE", "/api/parcels/{id}").is_none());
        assert_eq!(
            path_param(
                "/api/parcels/{id}/history",
                "/api/parcels/abc/history",
                "id"
            ),
            Some("abc")
        );
        assert_eq!(path_param("/api/parcels", "/api/parcels", "id"), None);
        for (i, a) in POLICIES.iter().enumerate() {
            assert!(
                !POLICIES[i + 1..]
                    .iter()
                    .any(|b| b.method == a.method && b.path == a.path),
                "{} {} twice",
                a.method,
                a.path
            );
        }
    }
}
