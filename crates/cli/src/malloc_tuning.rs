//! glibc's allocator tuned for a bulk import, set before the process starts.
//!
//! Importing a million parcels allocates and frees tens of millions of small strings and
//! vectors, many freed on another thread than the one that made them. glibc keeps only 7 freed
//! chunks of each size in a thread's own cache (`tcache`) and takes its arena's lock for the
//! rest; it also gives memory back to the system as soon as the top of the heap is free and
//! maps every block above a (moving) threshold separately, so the next million rows fault the
//! same pages in again. Profiled, malloc and free were a quarter of the import's CPU time and
//! the arena locks a tenth more. A larger per-thread cache, no trimming and no separate
//! mappings during the run cut the 1M-parcel import from ~50 s to ~44 s on this project's
//! benchmark machine (BENCHMARKS.md, "Import benchmarks").
//!
//! These are `GLIBC_TUNABLES`, which only the dynamic loader reads at start: `landcycle
//! import` re-executes itself once with them set (an import starts no other program, so
//! nothing else inherits them). Other C libraries (musl) and a `GLIBC_TUNABLES` the user set
//! are left alone.

/// The tunables (glibc manual, "Memory Allocation Tunables").
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const TUNABLES: &str = "glibc.malloc.tcache_count=2000:glibc.malloc.trim_threshold=4000000000:glibc.malloc.top_pad=268435456:glibc.malloc.mmap_threshold=4000000000";

/// Re-executes this process with [`TUNABLES`] unless `GLIBC_TUNABLES` is set already (by
/// the re-execution, or by the user). Returns only when no re-execution happened: the
/// variable was set, the executable cannot be found, or `exec` failed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn for_bulk_work() {
    use std::os::unix::process::CommandExt;
    if std::env::var_os("GLIBC_TUNABLES").is_some() {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let err = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env("GLIBC_TUNABLES", TUNABLES)
        .exec();
    tracing::debug!(%err, "could not re-execute with the allocator tuned; going on without");
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn for_bulk_work() {}
