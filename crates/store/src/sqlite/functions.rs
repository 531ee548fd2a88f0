//! SQL functions the GeoPackage R*Tree triggers call (`ST_IsEmpty`, `ST_MinX` …), registered on
//! every connection. They read the envelope from the GeoPackage geometry header.

use crate::error::StoreResult;
use rusqlite::Connection;
use rusqlite::functions::{Context, FunctionFlags};

fn blob<'a>(ctx: &'a Context<'_>) -> Option<&'a [u8]> {
    ctx.get_raw(0).as_blob().ok()
}

fn envelope_part(
    ctx: &Context<'_>,
    pick: fn(&landcycle_geo::Envelope) -> f64,
) -> rusqlite::Result<Option<f64>> {
    let Some(b) = blob(ctx) else { return Ok(None) };
    match landcycle_geo::gpkg_envelope(b) {
        Ok(Some(e)) => Ok(Some(pick(&e))),
        Ok(None) => Ok(None),
        Err(e) => Err(rusqlite::Error::UserFunctionError(Box::new(e))),
    }
}

/// Registers the functions on `conn`.
pub fn register(conn: &Connection) -> StoreResult<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("ST_IsEmpty", 1, flags, |ctx| {
        let Some(b) = blob(ctx) else {
            return Ok(None::<bool>);
        };
        landcycle_geo::gpkg_is_empty(b)
            .map(Some)
            .map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))
    })?;
    conn.create_scalar_function("ST_MinX", 1, flags, |ctx| envelope_part(ctx, |e| e.min_x))?;
    conn.create_scalar_function("ST_MaxX", 1, flags, |ctx| envelope_part(ctx, |e| e.max_x))?;
    conn.create_scalar_function("ST_MinY", 1, flags, |ctx| envelope_part(ctx, |e| e.min_y))?;
    conn.create_scalar_function("ST_MaxY", 1, flags, |ctx| envelope_part(ctx, |e| e.max_y))?;
    register_box(conn)?;
    register_filter_functions(conn)
}

/// `LC_Relate(geom, literal, op)` and `cql2_like(value, pattern)`: the two functions filter SQL
/// ([`super::filter_sql`]) calls. Both return NULL on a NULL input, as SQL operators do.
pub fn register_filter_functions(conn: &Connection) -> StoreResult<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("LC_Relate", 3, flags, |ctx| {
        let Some(b) = blob(ctx) else {
            return Ok(None::<bool>);
        };
        let g = landcycle_geo::decode_gpkg(b)
            .map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))?;
        // The literal is the same for every row of a statement: decode it once.
        let literal = ctx.get_or_create_aux(1, |v| {
            landcycle_geo::decode_gpkg(v.as_blob().map_err(|e| e.to_string())?)
                .map_err(|e| e.to_string())
        })?;
        let op: String = ctx.get(2)?;
        let op = crate::filter::SpatialOp::parse(&op).ok_or_else(|| {
            rusqlite::Error::UserFunctionError(format!("unknown spatial operator {op}").into())
        })?;
        Ok(Some(crate::filter::eval::spatial(op, &g, &literal)))
    })?;
    conn.create_scalar_function("cql2_like", 2, flags, |ctx| {
        let (Ok(v), Ok(p)) = (ctx.get_raw(0).as_str(), ctx.get_raw(1).as_str()) else {
            return Ok(None::<bool>);
        };
        Ok(Some(crate::filter::eval::like(v, p)))
    })?;
    Ok(())
}

/// `ST_IntersectsBox(geom, minx, miny, maxx, maxy)`: exact test of a geometry against a box,
/// run only on the R*Tree's candidates.
pub fn register_box(conn: &Connection) -> StoreResult<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("ST_IntersectsBox", 5, flags, |ctx| {
        use geo::Intersects;
        let Some(b) = blob(ctx) else { return Ok(false) };
        let g = landcycle_geo::decode_gpkg(b)
            .map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))?;
        let rect = geo_types::Rect::new(
            geo_types::coord! { x: ctx.get::<f64>(1)?, y: ctx.get::<f64>(2)? },
            geo_types::coord! { x: ctx.get::<f64>(3)?, y: ctx.get::<f64>(4)? },
        );
        Ok(g.intersects(&rect))
    })?;
    Ok(())
}
