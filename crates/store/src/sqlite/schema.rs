//! The embedded store's schema: a GeoPackage 1.3 (OGC 12-128r17) with landcycle's tables.
//!
//! Feature tables (`parcels`, `parcel_versions`, `parks`) are registered in `gpkg_contents` and
//! `gpkg_geometry_columns` in EPSG:4490 with an R*Tree index kept by the standard triggers, so
//! GDAL and QGIS open the file as it is. Attribute tables (`enterprises`, `supplies`) are
//! registered as `attributes`. History (`events`) and blobs are private tables.
//!
//! Migrations are append-only: a released step is never edited, a change is a new step.

/// GeoPackage `application_id` ("GPKG").
pub const GPKG_APPLICATION_ID: i32 = 0x4750_4B47;
/// GeoPackage version 1.3.0 as `user_version`.
pub const GPKG_USER_VERSION: i32 = 10300;

/// The R*Tree index and its triggers for one geometry column (GeoPackage spec, extension
/// `gpkg_rtree_index`). They call `ST_IsEmpty`/`ST_MinX`… which every landcycle connection
/// registers (and GDAL provides its own).
pub fn rtree_sql(t: &str, c: &str) -> String {
    let r = format!("rtree_{t}_{c}");
    let vals =
        format!("NEW.fid, ST_MinX(NEW.{c}), ST_MaxX(NEW.{c}), ST_MinY(NEW.{c}), ST_MaxY(NEW.{c})");
    format!(
        "CREATE VIRTUAL TABLE {r} USING rtree(id, minx, maxx, miny, maxy);
CREATE TRIGGER {r}_insert AFTER INSERT ON {t} WHEN (NEW.{c} NOT NULL AND NOT ST_IsEmpty(NEW.{c}))
BEGIN INSERT OR REPLACE INTO {r} VALUES ({vals}); END;
CREATE TRIGGER {r}_update1 AFTER UPDATE OF {c} ON {t} WHEN OLD.fid = NEW.fid AND (NEW.{c} NOTNULL AND NOT ST_IsEmpty(NEW.{c}))
BEGIN INSERT OR REPLACE INTO {r} VALUES ({vals}); END;
CREATE TRIGGER {r}_update2 AFTER UPDATE OF {c} ON {t} WHEN OLD.fid = NEW.fid AND (NEW.{c} ISNULL OR ST_IsEmpty(NEW.{c}))
BEGIN DELETE FROM {r} WHERE id = OLD.fid; END;
CREATE TRIGGER {r}_update3 AFTER UPDATE ON {t} WHEN OLD.fid != NEW.fid AND (NEW.{c} NOTNULL AND NOT ST_IsEmpty(NEW.{c}))
BEGIN DELETE FROM {r} WHERE id = OLD.fid; INSERT OR REPLACE INTO {r} VALUES ({vals}); END;
CREATE TRIGGER {r}_update4 AFTER UPDATE ON {t} WHEN OLD.fid != NEW.fid AND (NEW.{c} ISNULL OR ST_IsEmpty(NEW.{c}))
BEGIN DELETE FROM {r} WHERE id IN (OLD.fid, NEW.fid); END;
CREATE TRIGGER {r}_delete AFTER DELETE ON {t} WHEN OLD.{c} NOT NULL
BEGIN DELETE FROM {r} WHERE id = OLD.fid; END;
INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope)
VALUES ('{t}', '{c}', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only');
"
    )
}

fn feature_table(
    t: &str,
    title: &str,
    description: &str,
    geometry_type: &str,
    columns: &str,
) -> String {
    format!(
        "CREATE TABLE {t} (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom {geometry_type}, {columns});
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, srs_id)
VALUES ('{t}', 'features', '{title}', '{description}', '2000-01-01T00:00:00.000Z', 4490);
INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m)
VALUES ('{t}', 'geom', '{geometry_type}', 4490, 0, 0);
{}",
        rtree_sql(t, "geom")
    )
}

fn attribute_table(t: &str, title: &str, description: &str, columns: &str) -> String {
    format!(
        "CREATE TABLE {t} (fid INTEGER PRIMARY KEY AUTOINCREMENT, {columns});
INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change)
VALUES ('{t}', 'attributes', '{title}', '{description}', '2000-01-01T00:00:00.000Z');"
    )
}

const PARCEL_COLUMNS: &str = "parcel_id TEXT NOT NULL, version INTEGER NOT NULL, code TEXT, name TEXT NOT NULL,
 address TEXT, jurisdiction TEXT NOT NULL, park_id TEXT, land_use_system TEXT NOT NULL, land_use_code TEXT NOT NULL,
 status TEXT NOT NULL, computed_area_m2 TEXT NOT NULL, registered_area_m2 TEXT, area_mu REAL NOT NULL,
 enterprise_uscc TEXT, legacy_codes TEXT NOT NULL DEFAULT '[]', planning TEXT NOT NULL DEFAULT '{}',
 parents TEXT NOT NULL DEFAULT '[]', valid_from DATE NOT NULL, valid_to DATE, recorded_at DATETIME NOT NULL";

/// The schema as numbered migration steps.
pub fn migrations() -> Vec<(u32, String)> {
    let core = format!(
        "CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,
  organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,
  definition TEXT NOT NULL, scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system');
INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84 geodetic', 4326, 'EPSG', 4326, '{wgs84}', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
INSERT INTO gpkg_spatial_ref_sys VALUES ('China Geodetic Coordinate System 2000', 4490, 'EPSG', 4490, '{cgcs}', 'CGCS2000 geographic 2D; landcycle stores every geometry in it');
{parcels}
CREATE UNIQUE INDEX parcels_id ON parcels(parcel_id);
CREATE INDEX parcels_park ON parcels(park_id, status);
CREATE INDEX parcels_code ON parcels(code);
CREATE INDEX parcels_enterprise ON parcels(enterprise_uscc);
{versions}
CREATE UNIQUE INDEX parcel_versions_id ON parcel_versions(parcel_id, version);
CREATE INDEX parcel_versions_valid ON parcel_versions(valid_from, valid_to);
-- History is append-only: a version may only be end-dated, once.
CREATE TRIGGER parcel_versions_no_delete BEFORE DELETE ON parcel_versions
BEGIN SELECT RAISE(ABORT, 'parcel_versions is append-only'); END;
CREATE TRIGGER parcel_versions_end_only BEFORE UPDATE ON parcel_versions
WHEN OLD.valid_to IS NOT NULL OR NEW.parcel_id IS NOT OLD.parcel_id OR NEW.version IS NOT OLD.version
  OR NEW.geom IS NOT OLD.geom OR NEW.status IS NOT OLD.status OR NEW.valid_from IS NOT OLD.valid_from
  OR NEW.name IS NOT OLD.name OR NEW.code IS NOT OLD.code OR NEW.enterprise_uscc IS NOT OLD.enterprise_uscc
BEGIN SELECT RAISE(ABORT, 'a parcel version may only be end-dated'); END;
CREATE TABLE parcel_lineage (parent_id TEXT NOT NULL, child_id TEXT NOT NULL, PRIMARY KEY (parent_id, child_id));
CREATE INDEX parcel_lineage_child ON parcel_lineage(child_id);
{parks}
CREATE UNIQUE INDEX parks_id ON parks(park_id);
{enterprises}
CREATE UNIQUE INDEX enterprises_uscc ON enterprises(uscc);
CREATE INDEX enterprises_park ON enterprises(park_id);
{supplies}
CREATE UNIQUE INDEX supplies_id ON supplies(supply_id);
CREATE INDEX supplies_parcel ON supplies(parcel_id);
CREATE INDEX supplies_enterprise ON supplies(enterprise_uscc);
CREATE TABLE enterprise_figures (uscc TEXT NOT NULL, year INTEGER NOT NULL, tax_yuan TEXT NOT NULL,
  output_yuan TEXT, electricity_kwh TEXT, employees INTEGER, PRIMARY KEY (uscc, year));
CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, entity TEXT NOT NULL, entity_id TEXT NOT NULL,
  kind TEXT NOT NULL, actor TEXT NOT NULL, recorded_at DATETIME NOT NULL, effective DATE NOT NULL,
  reason TEXT NOT NULL, reference TEXT, before TEXT, after TEXT, related TEXT NOT NULL DEFAULT '[]');
CREATE INDEX events_entity ON events(entity, entity_id, seq);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
-- Every record an event touches (its subject and related records), for timelines.
CREATE TABLE event_refs (entity_id TEXT NOT NULL, seq INTEGER NOT NULL REFERENCES events(seq), PRIMARY KEY (entity_id, seq));
CREATE TABLE blobs (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, content BLOB NOT NULL);
CREATE TABLE parcel_attachments (id INTEGER PRIMARY KEY AUTOINCREMENT, parcel_id TEXT NOT NULL,
  sha256 TEXT NOT NULL REFERENCES blobs(sha256), name TEXT NOT NULL, content_type TEXT NOT NULL,
  size INTEGER NOT NULL, uploaded_by TEXT NOT NULL, uploaded_at DATETIME NOT NULL);
CREATE INDEX parcel_attachments_parcel ON parcel_attachments(parcel_id);
",
        wgs84 = landcycle_geo::Crs::Wgs84.wkt().replace('\'', "''"),
        cgcs = landcycle_geo::Crs::Cgcs2000Geographic.wkt().replace('\'', "''"),
        parcels = feature_table("parcels", "宗地 parcels", "Current parcels (一宗一卡); history in parcel_versions", "MULTIPOLYGON", PARCEL_COLUMNS),
        versions = feature_table("parcel_versions", "宗地历史 parcel versions", "Every version of every parcel, end-dated, never deleted (一地一档)", "MULTIPOLYGON", PARCEL_COLUMNS),
        parks = feature_table(
            "parks",
            "产业集聚区 parks",
            "Park boundaries and targets",
            "MULTIPOLYGON",
            "park_id TEXT NOT NULL, name TEXT NOT NULL, aliases TEXT NOT NULL DEFAULT '[]', jurisdiction TEXT NOT NULL,
 jurisdiction_name TEXT NOT NULL, lead_industries TEXT NOT NULL DEFAULT '[]', tax_per_mu_min_wan TEXT NOT NULL,
 tax_per_mu_max_wan TEXT, area_km2 TEXT, roles TEXT NOT NULL DEFAULT '[]'"
        ),
        enterprises = attribute_table(
            "enterprises",
            "企业 enterprises",
            "Land users keyed by 统一社会信用代码",
            "uscc TEXT NOT NULL, name TEXT NOT NULL, industry_code TEXT, above_scale INTEGER NOT NULL, park_id TEXT, address TEXT"
        ),
        supplies = attribute_table(
            "supplies",
            "供地记录 supplies",
            "Land supply records: mode, contract, dates, term, price",
            "supply_id TEXT NOT NULL, parcel_id TEXT NOT NULL, enterprise_uscc TEXT NOT NULL, mode TEXT NOT NULL,
 right_nature INTEGER NOT NULL, contract_no TEXT NOT NULL, contract_date DATE NOT NULL, delivery_date DATE,
 agreed_start DATE, agreed_completion DATE, term_years INTEGER, price_yuan TEXT NOT NULL"
        ),
    );
    vec![
        (1, core),
        (2, ACCOUNTS.to_owned()),
        (3, EVALUATIONS.to_owned()),
        (4, workflow_tables()),
        (5, INTENTIONS.to_owned()),
        (6, WEBHOOK_DELIVERIES.to_owned()),
        // Step 7: 标准地 indicator sets, one row per published version (the set as JSON with
        // who published it and why).
        (
            7,
            workflow_table(crate::workflow::WfKind::IndicatorSet.table()),
        ),
        // Step 8: approval batches (批次) with their parcels and deductions.
        (8, batch_tables()),
        // Step 9: a bulk import is one event; each parcel it created is linked to it by an
        // `event_refs` row that keeps the file's row number (the parcel's created state is its
        // first version row, so the event need not repeat it).
        (
            9,
            "ALTER TABLE event_refs ADD COLUMN source_row INTEGER;".to_owned(),
        ),
    ]
}

/// Step 8: approval batches (批次, keyed by 批文号) with their parcels and deductions, so
/// 批而未供 is computed from data (§2.1). A parcel belongs to at most one batch: the partial
/// unique index enforces it under the registry's own check.
fn batch_tables() -> String {
    format!(
        "{batches}
CREATE UNIQUE INDEX approval_batches_id ON approval_batches(batch_id);
CREATE INDEX approval_batches_park ON approval_batches(park_id);
{parcels}
CREATE UNIQUE INDEX batch_parcels_parcel ON batch_parcels(parcel_id) WHERE parcel_id IS NOT NULL;
CREATE INDEX batch_parcels_batch ON batch_parcels(batch_id, seq);
{deductions}
CREATE INDEX batch_deductions_batch ON batch_deductions(batch_id, seq);
",
        batches = attribute_table(
            "approval_batches",
            "批次 approval batches",
            "Land approved under one 批文号: approved area, dates, source",
            "batch_id TEXT NOT NULL, name TEXT NOT NULL, jurisdiction TEXT NOT NULL, park_id TEXT,
 approved_on DATE NOT NULL, approved_area_m2 TEXT NOT NULL, acquired_on DATE, source_doc TEXT, recorded_at DATETIME NOT NULL"
        ),
        parcels = attribute_table(
            "batch_parcels",
            "批次地块 batch parcels",
            "Parcels carved from a batch (registered or not)",
            "batch_id TEXT NOT NULL, seq INTEGER NOT NULL, parcel_id TEXT, area_m2 TEXT NOT NULL, supplied_on DATE"
        ),
        deductions = attribute_table(
            "batch_deductions",
            "批次核减 batch deductions",
            "Non-supply disposals of batch land: withdrawn, verified not needed, reserve",
            "batch_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, area_m2 TEXT NOT NULL, on_day DATE NOT NULL,
 reason TEXT NOT NULL"
        ),
    )
}

/// Step 2: accounts, API tokens, sessions and the append-only audit log. Secrets are never
/// stored: tokens and session ids only as their sha256, passwords only as argon2 hashes.
const ACCOUNTS: &str = "CREATE TABLE users (name TEXT PRIMARY KEY NOT NULL, password_hash TEXT,
  role TEXT NOT NULL CHECK (role IN ('admin','city','county','park','department','enterprise','auditor')),
  scope_kind TEXT NOT NULL CHECK (scope_kind IN ('all','county','park','department','enterprise')),
  scope_value TEXT, created_at DATETIME NOT NULL, disabled INTEGER NOT NULL DEFAULT 0);
CREATE TABLE api_tokens (id TEXT PRIMARY KEY NOT NULL, user TEXT NOT NULL REFERENCES users(name),
  token_hash TEXT NOT NULL UNIQUE, scopes TEXT NOT NULL CHECK (scopes IN ('read','write')),
  created_at DATETIME NOT NULL, expires_at DATETIME, revoked_at DATETIME);
CREATE INDEX api_tokens_user ON api_tokens(user);
CREATE TABLE sessions (id_hash TEXT PRIMARY KEY NOT NULL, user TEXT NOT NULL REFERENCES users(name),
  csrf TEXT NOT NULL, created_at DATETIME NOT NULL, expires_at DATETIME NOT NULL);
CREATE INDEX sessions_user ON sessions(user);
CREATE TABLE audit_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, at DATETIME NOT NULL, actor TEXT NOT NULL,
  action TEXT NOT NULL, target TEXT, outcome TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '{}');
CREATE INDEX audit_log_actor ON audit_log(actor, seq);
CREATE INDEX audit_log_action ON audit_log(action, seq);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
";

/// Step 3: stored 亩均效益评价 runs, each with every input and result, so a run can be
/// reproduced bit for bit. Both tables are append-only.
const EVALUATIONS: &str = "CREATE TABLE evaluation_runs (id TEXT PRIMARY KEY NOT NULL, year INTEGER NOT NULL,
  rule_set_version TEXT NOT NULL, config TEXT NOT NULL, created_at DATETIME NOT NULL, created_by TEXT NOT NULL);
CREATE INDEX evaluation_runs_year ON evaluation_runs(year, created_at);
CREATE TABLE evaluation_results (run_id TEXT NOT NULL REFERENCES evaluation_runs(id), uscc TEXT NOT NULL,
  park_id TEXT, inputs TEXT NOT NULL, score TEXT, class TEXT, rank INTEGER, not_rated TEXT, detail TEXT,
  PRIMARY KEY (run_id, uscc));
CREATE TRIGGER evaluation_runs_no_update BEFORE UPDATE ON evaluation_runs BEGIN SELECT RAISE(ABORT, 'evaluation runs are append-only'); END;
CREATE TRIGGER evaluation_runs_no_delete BEFORE DELETE ON evaluation_runs BEGIN SELECT RAISE(ABORT, 'evaluation runs are append-only'); END;
CREATE TRIGGER evaluation_results_no_update BEFORE UPDATE ON evaluation_results BEGIN SELECT RAISE(ABORT, 'evaluation results are append-only'); END;
CREATE TRIGGER evaluation_results_no_delete BEFORE DELETE ON evaluation_results BEGIN SELECT RAISE(ABORT, 'evaluation results are append-only'); END;
";

/// Step 4: workflow records (issue 6), one table per kind with the columns lists filter on and
/// the typed content as JSON, and the append-only transition log.
fn workflow_tables() -> String {
    let mut sql = String::new();
    for k in crate::workflow::WfKind::STEP_4 {
        sql.push_str(&workflow_table(k.table()));
    }
    sql.push_str(
        "CREATE TABLE wf_transitions (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, record_id TEXT NOT NULL,
  from_status TEXT NOT NULL, to_status TEXT NOT NULL, actor TEXT NOT NULL, role TEXT NOT NULL, on_day DATE NOT NULL,
  reason TEXT NOT NULL, detail TEXT NOT NULL, recorded_at DATETIME NOT NULL);
CREATE INDEX wf_transitions_record ON wf_transitions(kind, record_id, seq);
CREATE TRIGGER wf_transitions_no_update BEFORE UPDATE ON wf_transitions BEGIN SELECT RAISE(ABORT, 'transitions are append-only'); END;
CREATE TRIGGER wf_transitions_no_delete BEFORE DELETE ON wf_transitions BEGIN SELECT RAISE(ABORT, 'transitions are append-only'); END;
",
    );
    sql
}

/// One workflow kind's table (steps 4 and 7).
fn workflow_table(t: &str) -> String {
    format!(
        "CREATE TABLE {t} (id TEXT PRIMARY KEY NOT NULL, version INTEGER NOT NULL, park_id TEXT, jurisdiction TEXT,
  parcel_id TEXT, enterprise_uscc TEXT, status TEXT NOT NULL, due DATE, updated_at DATETIME NOT NULL, doc TEXT NOT NULL);
CREATE INDEX {t}_park ON {t}(park_id, status);
CREATE INDEX {t}_jurisdiction ON {t}(jurisdiction);
CREATE INDEX {t}_parcel ON {t}(parcel_id);
CREATE INDEX {t}_due ON {t}(due);
"
    )
}

/// Step 5: 用地意向 sent from the public portal, append-only.
const INTENTIONS: &str = "CREATE TABLE land_intentions (id INTEGER PRIMARY KEY AUTOINCREMENT, received_at DATETIME NOT NULL,
  parcel_id TEXT, park_id TEXT, company TEXT NOT NULL, contact TEXT NOT NULL, phone TEXT NOT NULL, area_mu TEXT,
  industry TEXT, message TEXT);
CREATE INDEX land_intentions_park ON land_intentions(park_id, id);
CREATE TRIGGER land_intentions_no_update BEFORE UPDATE ON land_intentions BEGIN SELECT RAISE(ABORT, 'intentions are append-only'); END;
CREATE TRIGGER land_intentions_no_delete BEFORE DELETE ON land_intentions BEGIN SELECT RAISE(ABORT, 'intentions are append-only'); END;
";
/// Step 6: the webhook delivery log of the warnings centre, append-only.
const WEBHOOK_DELIVERIES: &str = "CREATE TABLE wf_webhook_deliveries (seq INTEGER PRIMARY KEY AUTOINCREMENT,
  webhook_id TEXT NOT NULL, item_key TEXT NOT NULL, level TEXT NOT NULL, attempt INTEGER NOT NULL,
  attempted_at DATETIME NOT NULL, http_status INTEGER, error TEXT, delivered INTEGER NOT NULL, body_sha256 TEXT NOT NULL);
CREATE INDEX wf_webhook_deliveries_item ON wf_webhook_deliveries(webhook_id, item_key, seq);
CREATE TRIGGER wf_webhook_deliveries_no_update BEFORE UPDATE ON wf_webhook_deliveries BEGIN SELECT RAISE(ABORT, 'deliveries are append-only'); END;
CREATE TRIGGER wf_webhook_deliveries_no_delete BEFORE DELETE ON wf_webhook_deliveries BEGIN SELECT RAISE(ABORT, 'deliveries are append-only'); END;
";
