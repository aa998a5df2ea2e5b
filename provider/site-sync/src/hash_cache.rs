//! The hash cache of a site folder: each file's content hash, remembered with
//! what git's index remembers of it (size, modification and change times in
//! nanoseconds, inode), so that Check does not read an unchanged file again.
//!
//! It is an optimisation only, never the truth: an entry is trusted only when
//! every recorded field matches the file as it is now, and a file modified no
//! earlier than the cache's own write time (git's "racily clean" case: a
//! same-second edit the timestamp cannot show) is hashed again. A missing,
//! unreadable, corrupt, other-version or unwritable cache means "hash
//! everything", with a debug log line — never an error, never a wrong hash.
//!
//! One file per site folder, named after its canonical path, under
//! `$LAUNCHPAD_CACHE_DIR`, else `$XDG_CACHE_HOME/launchpad`, else
//! `~/.cache/launchpad` (never in the site folder or the repository). It is
//! rewritten atomically (temp file + rename) with the files of the latest
//! scan only, so it never outgrows the folder; the cache of a folder that no
//! longer exists is removed when another is written.

use std::collections::HashMap;
use std::fs::Metadata;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

/// First line of a cache file; another version's cache is ignored.
const HEADER: &str = "launchpad site hash cache v1";

/// What the file system says about a file, taken before it is read: the
/// fields git's index compares to tell an unchanged file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileStamp {
    /// Bytes.
    pub size: u64,
    /// Last modification, nanoseconds since the Unix epoch.
    pub modified_ns: i128,
    /// Last status change (ctime), nanoseconds; 0 where the platform has none.
    pub changed_ns: i128,
    /// Inode number; 0 where the platform has none.
    pub inode: u64,
}

impl FileStamp {
    /// The stamp of a file from its metadata (links followed).
    pub fn of(meta: &Metadata) -> FileStamp {
        let modified_ns = meta.modified().map(nanos).unwrap_or(0);
        #[cfg(unix)]
        let (changed_ns, inode) = {
            use std::os::unix::fs::MetadataExt;
            (
                i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
                meta.ino(),
            )
        };
        #[cfg(not(unix))]
        let (changed_ns, inode) = (0, 0);
        FileStamp {
            size: meta.len(),
            modified_ns,
            changed_ns,
            inode,
        }
    }
}

/// Nanoseconds since the Unix epoch (negative before it).
fn nanos(t: SystemTime) -> i128 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_nanos() as i128,
        Err(e) => -(e.duration().as_nanos() as i128),
    }
}

/// The cache of one site folder, as loaded, plus what this scan learnt.
#[derive(Debug)]
pub struct HashCache {
    /// Where it is kept; `None` when no cache directory could be named.
    file: Option<PathBuf>,
    /// The canonical folder, written in the file so a name collision is seen.
    folder: String,
    /// When the loaded cache was written (whole seconds, in ns): entries
    /// modified at or after it are racily clean and not trusted.
    written_ns: i128,
    loaded: HashMap<String, (FileStamp, String)>,
    /// When this scan began (before any file is read), floored to the
    /// second: the write time the next scan compares mtimes with.
    scan_started_ns: i128,
}

impl HashCache {
    /// The cache directory the environment names (see the module docs).
    pub fn default_dir() -> Option<PathBuf> {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        var("LAUNCHPAD_CACHE_DIR")
            .map(PathBuf::from)
            .or_else(|| var("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("launchpad")))
            .or_else(|| var("HOME").map(|h| PathBuf::from(h).join(".cache").join("launchpad")))
    }

    /// The cache of `folder` (canonical) under `dir`; empty when there is
    /// none or it cannot be trusted as a whole.
    pub fn load(dir: Option<&Path>, folder: &Path) -> HashCache {
        // Floored to the second: a file system with coarse timestamps may
        // give an edit made later in this second the mtime already seen.
        let now = nanos(SystemTime::now());
        let folder_text = folder.to_string_lossy().into_owned();
        let file = dir.map(|d| d.join("site-hashes").join(file_name(&folder_text)));
        let mut cache = HashCache {
            file,
            folder: folder_text,
            written_ns: i128::MIN,
            loaded: HashMap::new(),
            scan_started_ns: now - now.rem_euclid(1_000_000_000),
        };
        let Some(file) = &cache.file else {
            tracing::debug!("site hash cache: no cache directory (HOME unset); hashing every file");
            return cache;
        };
        match std::fs::read_to_string(file) {
            Ok(text) => match parse(&text, &cache.folder) {
                Some((written_ns, loaded)) => {
                    cache.written_ns = written_ns;
                    cache.loaded = loaded;
                }
                None => tracing::debug!(
                    "site hash cache {} is corrupt or of another version; hashing every file",
                    file.display()
                ),
            },
            Err(e) => tracing::debug!(
                "site hash cache {} not read ({e}); hashing every file",
                file.display()
            ),
        }
        cache
    }

    /// The recorded hash of `key`, if the file is provably the one hashed:
    /// every stamp field equal, and modified before the cache was written.
    pub fn hash_of(&self, key: &str, stamp: &FileStamp) -> Option<&str> {
        let (recorded, hash) = self.loaded.get(key)?;
        (recorded == stamp && stamp.modified_ns < self.written_ns).then_some(hash.as_str())
    }

    /// Record `files` (key, stamp taken before hashing, hash) as the whole
    /// cache, atomically; a failure is a debug line. Nothing is written when
    /// the cache already says exactly this.
    pub fn store<'a>(&self, files: impl Iterator<Item = (&'a str, FileStamp, &'a str)>) {
        let Some(file) = &self.file else { return };
        let files: Vec<_> = files.collect();
        let same = files.len() == self.loaded.len()
            && files
                .iter()
                .all(|(key, stamp, hash)| self.hash_of(key, stamp) == Some(*hash));
        if same {
            return;
        }
        let mut text = format!("{HEADER}\n{}\n{}\n", self.scan_started_ns, self.folder);
        let mut count = 0;
        // A key with a line break cannot be a line of this file: such a
        // file is simply hashed each time.
        for (key, stamp, hash) in files.iter().filter(|(key, ..)| !key.contains(['\n', '\r'])) {
            count += 1;
            text.push_str(&format!(
                "{hash}\t{}\t{}\t{}\t{}\t{key}\n",
                stamp.size, stamp.modified_ns, stamp.changed_ns, stamp.inode
            ));
        }
        // The last line counts the entries: a cut-off file is seen as one.
        text.push_str(&format!("end\t{count}\n"));
        match write_atomically(file, text.as_bytes()) {
            Ok(()) => remove_caches_of_gone_folders(file),
            Err(e) => tracing::debug!("site hash cache {} not written: {e}", file.display()),
        }
    }
}

/// Remove the cache files beside `written` whose folder no longer exists
/// (temporary build folders, renamed projects), so the cache directory is
/// bounded by the folders that exist, not by every folder ever deployed.
/// Only on a write, so a no-op scan never pays for it.
fn remove_caches_of_gone_folders(written: &Path) {
    let Some(Ok(entries)) = written.parent().map(std::fs::read_dir) else {
        return;
    };
    for path in entries.flatten().map(|e| e.path()) {
        if path == written || path.extension().is_some() {
            continue; // ours, or another write's temporary file
        }
        let Ok(file) = std::fs::File::open(&path) else {
            continue;
        };
        let mut lines = BufReader::new(file).lines().map_while(Result::ok);
        let folder = (lines.next().as_deref() == Some(HEADER))
            .then(|| lines.nth(1))
            .flatten();
        if let Some(folder) = folder
            && !Path::new(&folder).exists()
        {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// The cache file of a folder: a hash of its canonical path, so any folder
/// name fits.
fn file_name(folder: &str) -> String {
    crate::manifest::hex16(&Sha256::digest(folder.as_bytes()))
}

/// The write time and entries of a cache file of `folder`; `None` if any
/// line is not as [`HashCache::store`] writes it.
#[allow(clippy::type_complexity)]
fn parse(text: &str, folder: &str) -> Option<(i128, HashMap<String, (FileStamp, String)>)> {
    let mut lines = text.lines();
    if lines.next()? != HEADER {
        return None;
    }
    let written_ns = lines.next()?.parse().ok()?;
    if lines.next()? != folder {
        return None;
    }
    let mut entries = HashMap::new();
    for line in lines {
        if let Some(count) = line.strip_prefix("end\t") {
            let complete = count.parse() == Ok(entries.len()) && text.ends_with('\n');
            return complete.then_some((written_ns, entries));
        }
        let mut fields = line.splitn(6, '\t');
        let hash = fields.next()?;
        if hash.len() != 32 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let stamp = FileStamp {
            size: fields.next()?.parse().ok()?,
            modified_ns: fields.next()?.parse().ok()?,
            changed_ns: fields.next()?.parse().ok()?,
            inode: fields.next()?.parse().ok()?,
        };
        entries.insert(fields.next()?.to_string(), (stamp, hash.to_string()));
    }
    None // no end line: cut off
}

/// Write `bytes` to `file` through a temporary file beside it and a rename,
/// so a reader sees the old cache or the new one, never half of one.
fn write_atomically(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    // Unique per write: two scans of one folder at once (two resources, or
    // two processes) must not write into the same temporary file.
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let temp = file.with_extension(format!(
        "tmp.{}.{}",
        std::process::id(),
        WRITES.fetch_add(1, Ordering::Relaxed)
    ));
    let written = std::fs::File::create(&temp).and_then(|mut f| f.write_all(bytes));
    match written.and_then(|()| std::fs::rename(&temp, file)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(modified_ns: i128) -> FileStamp {
        FileStamp {
            size: 3,
            modified_ns,
            changed_ns: modified_ns,
            inode: 7,
        }
    }

    #[test]
    fn a_cache_is_trusted_only_where_every_field_matches_and_goes_with_its_folder() {
        let dir = std::env::temp_dir().join(format!("lp-hc-unit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let folder = Path::new("/site/dist"); // need not exist until another is written
        let hash = "0123456789abcdef0123456789abcdef";
        let cache = HashCache::load(Some(&dir), folder);
        cache.store([("a.html", stamp(1_000), hash)].into_iter());
        let cache = HashCache::load(Some(&dir), folder);
        assert_eq!(cache.hash_of("a.html", &stamp(1_000)), Some(hash));
        let recorded = stamp(1_000);
        for changed in [
            stamp(1_001),
            FileStamp {
                size: 4,
                ..recorded
            },
            FileStamp {
                inode: 8,
                ..recorded
            },
            FileStamp {
                changed_ns: 9,
                ..recorded
            },
        ] {
            assert_eq!(cache.hash_of("a.html", &changed), None, "{changed:?}");
        }
        assert_eq!(cache.hash_of("b.html", &stamp(1_000)), None);
        // Another folder whose cache file would have the same name is not this one.
        assert_eq!(
            parse(
                &std::fs::read_to_string(cache.file.as_ref().expect("file")).expect("read"),
                "/other"
            ),
            None
        );
        // The cache of a folder that is gone goes when another is written;
        // that of a folder that exists stays.
        let gone = HashCache::load(Some(&dir), Path::new("/no/such/folder"));
        gone.store([("b.html", stamp(1_000), hash)].into_iter());
        let gone_file = dir.join("site-hashes").join(file_name("/no/such/folder"));
        assert!(gone_file.exists());
        let existing = std::env::temp_dir();
        let other = HashCache::load(Some(&dir), &existing);
        other.store([("c.html", stamp(1_000), hash)].into_iter());
        assert!(!gone_file.exists());
        gone.store([("b.html", stamp(1_000), hash)].into_iter());
        let existing_file = dir
            .join("site-hashes")
            .join(file_name(&existing.to_string_lossy()));
        assert!(existing_file.exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
