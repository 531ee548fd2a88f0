//! The temporary directories uploads are staged in (`POST /api/imports`). Each is removed when
//! its request ends; a server killed in the middle of one (SIGKILL, a power cut) runs no
//! destructor and leaves it, possibly hundreds of megabytes. The server's process id is in the
//! name, so that a later server can tell the directories of a server that is gone from those of
//! one still running ([`sweep_stale_uploads`]).

use std::path::Path;

/// The start of every upload directory's name; the process id and a random part follow.
const PREFIX: &str = "landcycle-import-";

/// A new upload directory in the system's temporary directory.
pub(crate) fn new_upload_dir() -> std::io::Result<tempfile::TempDir> {
    tempfile::Builder::new()
        .prefix(&format!("{PREFIX}{}-", std::process::id()))
        .tempdir()
}

/// Removes the upload directories under `tmp` whose server is gone. Only where `/proc` tells
/// whether a process runs (Linux); elsewhere, and for names without a process id (from before
/// the id was in the name), nothing is removed. Returns how many directories were removed.
pub fn sweep_stale_uploads(tmp: &Path) -> usize {
    if !Path::new("/proc/self").exists() {
        return 0;
    }
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(PREFIX))
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let alive = Path::new("/proc").join(pid.to_string()).exists();
        if alive || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        match std::fs::remove_dir_all(entry.path()) {
            Ok(()) => removed += 1,
            Err(e) => tracing::warn!(dir = %entry.path().display(), error = %e,
                "could not remove the upload directory of a server that is gone"),
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_os = "linux")]
    fn only_the_directories_of_servers_that_are_gone_are_removed() {
        let tmp = tempfile::tempdir().unwrap();
        // Above Linux's largest process id (2^22): never a running process.
        let gone = tmp.path().join(format!("{PREFIX}4194305-a1b2c3"));
        let live = tmp
            .path()
            .join(format!("{PREFIX}{}-d4e5f6", std::process::id()));
        let old_style = tmp.path().join(format!("{PREFIX}Zx81Qa"));
        let other = tmp.path().join("something-else-4194305-x");
        for d in [&gone, &live, &old_style, &other] {
            std::fs::create_dir(d).unwrap();
            std::fs::write(d.join(".part-0"), b"upload").unwrap();
        }
        assert_eq!(sweep_stale_uploads(tmp.path()), 1);
        assert!(!gone.exists());
        assert!(live.exists() && old_style.exists() && other.exists());
        // A directory made by new_upload_dir carries this process's id: kept.
        let made = new_upload_dir().unwrap();
        let name = made
            .path()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            name.starts_with(&format!("{PREFIX}{}-", std::process::id())),
            "{name}"
        );
    }
}
