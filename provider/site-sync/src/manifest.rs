//! The manifest of a site folder: every file's key, content hash, size,
//! Content-Type and Cache-Control. Computed by Check (so Diff knows exactly
//! which keys change, and preview shows them) and recorded in the state,
//! so a re-run compares manifests instead of listing the bucket.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use launchpad_core::{InputError, PropertyMap, Value};
use sha2::{Digest, Sha256};

use crate::errors;
use crate::hash_cache::{FileStamp, HashCache};

/// S3's longest key, in bytes of UTF-8.
const MAX_KEY_BYTES: usize = 1024;

/// `Cache-Control` of fingerprinted assets: their name changes with their
/// content, so browsers and CloudFront may keep them for a year.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` of everything else (HTML above all): revalidate each time.
pub const NO_CACHE: &str = "no-cache";

/// One `cacheControl` rule: files matching `pattern` get `value`.
#[derive(Clone, Debug, PartialEq)]
pub struct CacheRule {
    /// A glob: `*` and `?` within a path segment, `**` across segments. A
    /// pattern without `/` is matched against the file name alone.
    pub pattern: String,
    /// The `Cache-Control` header.
    pub value: String,
}

/// One file of the site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// SHA-256 of the content (hex, 128 bits are plenty to tell versions apart).
    pub hash: String,
    /// Bytes.
    pub size: u64,
    /// `Content-Type`.
    pub content_type: String,
    /// `Cache-Control`.
    pub cache_control: String,
}

/// Key → entry, in key order.
pub type Manifest = BTreeMap<String, Entry>;

/// Walk `root` and describe every file. Symbolic links are followed while
/// they stay inside `root`; one that leads outside is refused, as is an
/// unreadable file, a key longer than S3 allows, or an empty folder: each
/// a Check failure on `path` with its catalogue entry. A file unchanged since
/// the last scan keeps its hash from the [`HashCache`] without being read.
pub fn scan(root: &Path, shown: &str, rules: &[CacheRule]) -> Result<Manifest, InputError> {
    let cache_dir = HashCache::default_dir();
    Ok(scan_with_cache(root, shown, rules, cache_dir.as_deref())?.manifest)
}

/// A scan's manifest, and how many files it had to read.
#[derive(Debug)]
pub struct Scan {
    /// Key → entry, as [`scan`] gives it.
    pub manifest: Manifest,
    /// Files hashed by reading them; the rest came from the cache.
    pub read: usize,
}

/// [`scan`] with the hash cache kept under `cache_dir` (none: hash everything).
pub fn scan_with_cache(
    root: &Path,
    shown: &str,
    rules: &[CacheRule],
    cache_dir: Option<&Path>,
) -> Result<Scan, InputError> {
    let started = Instant::now();
    let (canonical_root, files) = files(root, shown)?;
    let walked = started.elapsed();
    let cache = HashCache::load(cache_dir, &canonical_root);
    let mut hashes: Vec<Option<(String, u64)>> = files
        .iter()
        .map(|f| {
            cache
                .hash_of(&f.key, &f.stamp)
                .map(|h| (h.to_string(), f.stamp.size))
        })
        .collect();
    let unread: Vec<usize> = (0..files.len()).filter(|&i| hashes[i].is_none()).collect();
    let looked_up = started.elapsed();
    for (i, hashed) in hash_files(&files, &unread) {
        let file = &files[i];
        let (hash, size) =
            hashed.map_err(|e| errors::file_unreadable(quote(&file.key), quote(shown), e))?;
        hashes[i] = Some((hash, size));
    }
    let hashed = started.elapsed();
    let mut manifest = Manifest::new();
    for (file, hashed) in files.iter().zip(&hashes) {
        let Some((hash, size)) = hashed else { continue };
        let entry = Entry {
            hash: hash.clone(),
            size: *size,
            content_type: content_type(&file.key),
            cache_control: cache_control(&file.key, rules),
        };
        manifest.insert(file.key.clone(), entry);
    }
    cache.store(files.iter().zip(&hashes).filter_map(|(file, hashed)| {
        let (hash, _) = hashed.as_ref()?;
        Some((file.key.as_str(), file.stamp, hash.as_str()))
    }));
    tracing::debug!(
        "site scan of {}: {} files, {} read; walk {walked:?}, cache {:?}, hash {:?}, manifest and cache write {:?}",
        canonical_root.display(),
        files.len(),
        unread.len(),
        looked_up - walked,
        hashed - looked_up,
        started.elapsed() - hashed,
    );
    Ok(Scan {
        manifest,
        read: unread.len(),
    })
}

/// Hash the files at `indices`, on a few threads when there are many: the
/// results in `indices` order, so the first failure reported is the first in
/// key order, whatever thread met it.
fn hash_files(
    files: &[SiteFile],
    indices: &[usize],
) -> Vec<(usize, std::io::Result<(String, u64)>)> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8);
    // Below this a thread costs more than it saves.
    if threads == 1 || indices.len() < 64 {
        return indices
            .iter()
            .map(|&i| (i, hash_file(&files[i].real)))
            .collect();
    }
    let chunk = indices.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = indices
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|&i| (i, hash_file(&files[i].real)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| {
                w.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// The keys [`scan`] gives the files of `root`, without reading them: for
/// whoever must know what the bucket will hold (StaticSite's path function).
pub fn keys(root: &Path, shown: &str) -> Result<Vec<String>, InputError> {
    Ok(files(root, shown)?.1.into_iter().map(|f| f.key).collect())
}

/// One file of the folder, as the walk found it.
struct SiteFile {
    /// Its key (`/`-separated, relative to the folder).
    key: String,
    /// Where it really is (links resolved).
    real: PathBuf,
    /// Its stamp, taken before it is read, for the [`HashCache`].
    stamp: FileStamp,
}

/// The canonical `root` and every file in it, refused as [`scan`] says.
fn files(root: &Path, shown: &str) -> Result<(PathBuf, Vec<SiteFile>), InputError> {
    let meta = std::fs::metadata(root)
        .map_err(|e| errors::path_unreadable(quote(shown), root.display(), e))?;
    if !meta.is_dir() {
        return Err(errors::path_is_a_file(quote(shown)));
    }
    let canonical_root = root
        .canonicalize()
        .map_err(|e| errors::path_unresolvable(quote(shown), e))?;
    let mut files = Vec::new();
    walk(
        &canonical_root,
        &canonical_root,
        &mut vec![canonical_root.clone()],
        shown,
        &mut files,
    )?;
    if files.is_empty() {
        return Err(errors::path_has_no_files(quote(shown)));
    }
    if let Some(file) = files.iter().find(|f| f.key.len() > MAX_KEY_BYTES) {
        return Err(errors::key_too_long(
            quote(&file.key),
            quote(shown),
            file.key.len(),
            MAX_KEY_BYTES,
        ));
    }
    Ok((canonical_root, files))
}

/// A name as the walk's messages quote it: in plain double quotes, as it is.
fn quote(name: &str) -> String {
    format!("\"{name}\"")
}

/// Walk `dir`; `real_dirs` holds the links-resolved paths of `dir` and of
/// the folders the walk came through to it, `dir`'s last. An entry's own
/// file type comes with the directory listing, so a plain file or folder
/// costs one `stat` and its real path is `real_dir/name`; only a link is
/// resolved (every component of its path), since it may lead anywhere.
fn walk(
    root: &Path,
    dir: &Path,
    real_dirs: &mut Vec<PathBuf>,
    shown: &str,
    out: &mut Vec<SiteFile>,
) -> Result<(), InputError> {
    let unreadable = |p: &Path, e: std::io::Error| {
        errors::entry_unreadable(quote(&p.display().to_string()), quote(shown), e)
    };
    let mut entries = std::fs::read_dir(dir)
        .map_err(|e| unreadable(dir, e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| unreadable(dir, e))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let is_link = entry
            .file_type()
            .map_err(|e| unreadable(&path, e))?
            .is_symlink();
        let (real, meta) = if is_link {
            let real = path.canonicalize().map_err(|e| unreadable(&path, e))?;
            if !real.starts_with(root) {
                return Err(errors::link_outside_folder(
                    quote(&relative(root, &path)),
                    quote(shown),
                    real.display(),
                ));
            }
            let meta = std::fs::metadata(&real).map_err(|e| unreadable(&path, e))?;
            (real, meta)
        } else {
            let meta = entry.metadata().map_err(|e| unreadable(&path, e))?;
            let real_dir = real_dirs.last().expect("the walk starts with the root");
            (real_dir.join(entry.file_name()), meta)
        };
        if meta.is_dir() {
            // A link to a folder the walk is already in would never end.
            if is_link && real_dirs.contains(&real) {
                continue;
            }
            real_dirs.push(real);
            walk(root, &path, real_dirs, shown, out)?;
            real_dirs.pop();
        } else if meta.is_file() {
            out.push(SiteFile {
                key: relative(root, &path),
                real,
                stamp: FileStamp::of(&meta),
            });
        }
    }
    Ok(())
}

/// `root/a/b.html` → `a/b.html` (always `/`-separated).
fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn hash_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((hex16(&hasher.finalize()), size))
}

/// A SHA-256 digest as lowercase hex.
pub(crate) fn hex(digest: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    digest
        .iter()
        .flat_map(|b| [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 15)]])
        .map(char::from)
        .collect()
}

/// The first 16 bytes of a SHA-256 digest as hex: a file's or a manifest's
/// hash, and the name of a cache file.
pub(crate) fn hex16(digest: &[u8]) -> String {
    hex(&digest[..16])
}

/// Whether `key` is an HTML page.
pub fn is_html(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    lower.ends_with(".html") || lower.ends_with(".htm")
}

/// Whether the file name carries a content hash (`app.3f9a1c.js`,
/// `index-BfX2c3_d.js`, `chunk.8f3a2b1c9d.css`): such a file never changes
/// under its name, so it may be cached for good and kept for open tabs.
pub fn is_fingerprinted(key: &str) -> bool {
    if is_html(key) {
        return false;
    }
    let name = key.rsplit('/').next().unwrap_or(key);
    let stem = match name.rsplit_once('.') {
        Some((stem, _)) => stem,
        None => return false,
    };
    stem.split(['.', '-']).skip(1).any(|segment| {
        let has_digit = segment.bytes().any(|b| b.is_ascii_digit());
        let has_letter = segment.bytes().any(|b| b.is_ascii_alphabetic());
        let hex = segment.bytes().all(|b| b.is_ascii_hexdigit());
        let word = segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
        (segment.len() >= 6 && hex && has_digit && has_letter)
            || (segment.len() >= 8 && word && has_digit)
    })
}

/// `Content-Type` by extension; text types say they are UTF-8.
pub fn content_type(key: &str) -> String {
    let ext = key
        .rsplit('/')
        .next()
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let mime = match ext.as_str() {
        // Where the registry's answer is dated or missing.
        "js" | "mjs" | "cjs" => "text/javascript".to_string(),
        "map" => "application/json".to_string(),
        "webmanifest" => "application/manifest+json".to_string(),
        "wasm" => "application/wasm".to_string(),
        "woff2" => "font/woff2".to_string(),
        "woff" => "font/woff".to_string(),
        "avif" => "image/avif".to_string(),
        "" => "application/octet-stream".to_string(),
        _ => mime_guess::from_ext(&ext)
            .first_raw()
            .unwrap_or("application/octet-stream")
            .to_string(),
    };
    let text = mime.starts_with("text/")
        || matches!(
            mime.as_str(),
            "application/json"
                | "application/manifest+json"
                | "application/xml"
                | "image/svg+xml"
                | "application/rss+xml"
                | "application/atom+xml"
        );
    if text {
        format!("{mime}; charset=utf-8")
    } else {
        mime
    }
}

/// The first rule that matches, else the defaults.
pub fn cache_control(key: &str, rules: &[CacheRule]) -> String {
    rules
        .iter()
        .find(|r| glob_match(&r.pattern, key))
        .map(|r| r.value.clone())
        .unwrap_or_else(|| {
            if is_fingerprinted(key) {
                IMMUTABLE.to_string()
            } else {
                NO_CACHE.to_string()
            }
        })
}

/// Match `key` against a glob (see [`CacheRule::pattern`]).
pub fn glob_match(pattern: &str, key: &str) -> bool {
    let subject = if pattern.contains('/') {
        key
    } else {
        key.rsplit('/').next().unwrap_or(key)
    };
    let pattern = pattern.trim_start_matches('/');
    matches(pattern.as_bytes(), subject.as_bytes())
}

fn matches(p: &[u8], s: &[u8]) -> bool {
    match p {
        [] => s.is_empty(),
        [b'*', b'*', rest @ ..] => {
            // `**/` may also match nothing at all.
            let rest_after_slash = rest.strip_prefix(b"/").unwrap_or(rest);
            (0..=s.len()).any(|i| matches(rest, &s[i..]))
                || (rest.first() == Some(&b'/') && matches(rest_after_slash, s))
        }
        [b'*', rest @ ..] => (0..=s.len())
            .take_while(|&i| i == 0 || s[i - 1] != b'/')
            .any(|i| matches(rest, &s[i..])),
        [b'?', rest @ ..] => matches!(s, [c, ..] if *c != b'/') && matches(rest, &s[1..]),
        [c, rest @ ..] => s.first() == Some(c) && matches(rest, &s[1..]),
    }
}

/// The manifest as an input value (`files`).
pub fn to_value(manifest: &Manifest) -> Value {
    Value::Object(
        manifest
            .iter()
            .map(|(key, e)| {
                let entry = PropertyMap::from([
                    ("hash".into(), Value::string(&e.hash)),
                    ("size".into(), Value::Number(e.size as f64)),
                    ("contentType".into(), Value::string(&e.content_type)),
                    ("cacheControl".into(), Value::string(&e.cache_control)),
                ]);
                (key.clone(), Value::Object(entry))
            })
            .collect(),
    )
}

/// The manifest recorded in a state (`files`); empty when there is none.
pub fn from_value(value: Option<&Value>) -> Manifest {
    entries(value)
        .into_iter()
        .map(|(key, e)| (key.to_string(), e.to_owned()))
        .collect()
}

/// An [`Entry`] borrowed from a recorded manifest, so that comparing two
/// manifests of a large site (Diff, on every preview) copies nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntryRef<'a> {
    hash: &'a str,
    size: u64,
    content_type: &'a str,
    cache_control: &'a str,
}

impl EntryRef<'_> {
    fn to_owned(self) -> Entry {
        Entry {
            hash: self.hash.to_string(),
            size: self.size,
            content_type: self.content_type.to_string(),
            cache_control: self.cache_control.to_string(),
        }
    }
}

/// [`from_value`] borrowed: key → entry; secret and output wrappers are
/// looked through at every level, and an entry not of the recorded shape
/// is left out (as a file that was never deployed).
pub fn entries(value: Option<&Value>) -> BTreeMap<&str, EntryRef<'_>> {
    fn plain(v: &Value) -> Option<&Value> {
        v.unwrap_top().0
    }
    let Some(Value::Object(files)) = value.and_then(plain) else {
        return BTreeMap::new();
    };
    files
        .iter()
        .filter_map(|(key, entry)| {
            let Some(Value::Object(e)) = plain(entry) else {
                return None;
            };
            let text = |k: &str| match e.get(k).and_then(plain) {
                Some(Value::String(s)) => Some(s.as_str()),
                _ => None,
            };
            let size = match e.get("size").and_then(plain) {
                Some(Value::Number(n)) => *n as u64,
                _ => return None,
            };
            Some((
                key.as_str(),
                EntryRef {
                    hash: text("hash")?,
                    size,
                    content_type: text("contentType")?,
                    cache_control: text("cacheControl")?,
                },
            ))
        })
        .collect()
}

/// One hash naming the whole manifest: equal manifests, equal hashes.
pub fn manifest_hash(manifest: &Manifest) -> String {
    let mut hasher = Sha256::new();
    for (key, e) in manifest {
        for part in [key.as_str(), &e.hash, &e.content_type, &e.cache_control] {
            hasher.update(part.as_bytes());
            hasher.update([0]);
        }
    }
    hex16(&hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_lowercase_hex_and_file_hashes_their_first_half() {
        // SHA-256("abc"), FIPS 180-2 appendix B.1: the value S3 checks x-amz-content-sha256 against.
        let digest = Sha256::digest(b"abc");
        let full = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(hex(&digest), full);
        assert_eq!(hex16(&digest), full[..32]);
    }

    #[test]
    fn fingerprinted_names_are_told_from_plain_ones() {
        for hashed in [
            "assets/app.3f9a1c.js",
            "assets/index-BfX2c3_d.js",
            "static/css/main.8f3a2b1c.chunk.css",
            "_next/static/chunks/framework-2c79e2a64abdb08b.js",
            "fonts/inter.a1b2c3d4.woff2",
        ] {
            assert!(is_fingerprinted(hashed), "{hashed}");
        }
        for plain in [
            "index.html",
            "app.3f9a1c.html",
            "favicon.ico",
            "robots.txt",
            "assets/logo-dark.svg",
            "js/bundle.js",
            "img/photo-2024.jpg",
            "README",
        ] {
            assert!(!is_fingerprinted(plain), "{plain}");
        }
    }

    #[test]
    fn content_types_follow_the_extension_and_text_says_utf8() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("a/app.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("style.CSS"), "text/css; charset=utf-8");
        assert_eq!(content_type("logo.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(content_type("data.json"), "application/json; charset=utf-8");
        assert_eq!(content_type("photo.png"), "image/png");
        assert_eq!(content_type("font.woff2"), "font/woff2");
        assert_eq!(content_type("app.wasm"), "application/wasm");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }

    #[test]
    fn cache_control_rules_come_first_then_the_defaults() {
        let rules = vec![
            CacheRule {
                pattern: "assets/**".into(),
                value: "public, max-age=600".into(),
            },
            CacheRule {
                pattern: "*.pdf".into(),
                value: "public, max-age=86400".into(),
            },
        ];
        assert_eq!(
            cache_control("assets/x/app.3f9a1c.js", &rules),
            "public, max-age=600"
        );
        assert_eq!(
            cache_control("docs/guide.pdf", &rules),
            "public, max-age=86400"
        );
        assert_eq!(cache_control("js/app.3f9a1c.js", &rules), IMMUTABLE);
        assert_eq!(cache_control("index.html", &rules), NO_CACHE);
        assert_eq!(cache_control("robots.txt", &[]), NO_CACHE);
    }

    #[test]
    fn globs_match_within_and_across_segments() {
        assert!(glob_match("*.html", "a/b/index.html"));
        assert!(glob_match("/*.html", "index.html"));
        assert!(!glob_match("/*.html", "a/index.html"));
        assert!(glob_match("a/*.js", "a/x.js"));
        assert!(!glob_match("a/*.js", "a/b/x.js"));
        assert!(glob_match("a/**/*.js", "a/b/c/x.js"));
        assert!(glob_match("a/**/*.js", "a/x.js"));
        assert!(glob_match("**", "anything/at/all"));
        assert!(glob_match("img/?.png", "img/a.png"));
        assert!(!glob_match("img/?.png", "img/ab.png"));
    }

    #[test]
    fn a_folder_is_scanned_with_keys_hashes_and_headers() {
        let dir = std::env::temp_dir().join(format!("lp-scan-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("assets")).expect("mkdir");
        std::fs::write(dir.join("index.html"), "<h1>hi</h1>").expect("write");
        std::fs::write(dir.join("assets/app.3f9a1c.js"), "x()").expect("write");
        let cache = dir.with_extension("cache");
        let scan = |dir: &Path, shown: &str, rules: &[CacheRule]| {
            scan_with_cache(dir, shown, rules, Some(&cache)).map(|s| s.manifest)
        };
        let m = scan(&dir, "./dist", &[]).expect("scan");
        assert_eq!(
            m.keys().collect::<Vec<_>>(),
            ["assets/app.3f9a1c.js", "index.html"]
        );
        assert_eq!(m["index.html"].size, 11);
        assert_eq!(m["index.html"].cache_control, NO_CACHE);
        assert_eq!(m["assets/app.3f9a1c.js"].cache_control, IMMUTABLE);
        assert_eq!(from_value(Some(&to_value(&m))), m);
        let before = manifest_hash(&m);
        std::fs::write(dir.join("index.html"), "<h1>ho</h1>").expect("write");
        let changed = scan(&dir, "./dist", &[]).expect("scan");
        assert_ne!(changed["index.html"].hash, m["index.html"].hash);
        assert_ne!(manifest_hash(&changed), before);

        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/etc", dir.join("escape")).expect("symlink");
            let e = scan(&dir, "./dist", &[]).expect_err("escapes");
            assert!(e.message.contains("outside the folder"), "{e}");
            std::fs::remove_file(dir.join("escape")).expect("rm");
        }
        let empty = dir.join("empty");
        std::fs::create_dir_all(&empty).expect("mkdir");
        assert!(
            scan(&empty, "./e", &[])
                .expect_err("empty")
                .message
                .contains("no files")
        );
        assert!(
            scan(&dir.join("missing"), "./m", &[])
                .expect_err("missing")
                .message
                .contains("cannot be read")
        );
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_dir_all(&cache);
    }

    /// Links inside the folder are followed, each file under the key of the
    /// path that reached it; a link back into a folder the walk is in (its
    /// own parent, two folders linking to each other, or a folder linked
    /// from deeper inside it, reached through another link) is not, so the
    /// walk ends. Only links are resolved: a plain file's real path is its
    /// folder's, as a linked folder's files show.
    #[cfg(unix)]
    #[test]
    fn links_inside_the_folder_are_followed_and_loops_are_not() {
        use std::os::unix::fs::symlink;
        let dir = std::env::temp_dir().join(format!("lp-links-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for sub in ["a", "b/deep"] {
            std::fs::create_dir_all(dir.join(sub)).expect("mkdir");
        }
        std::fs::write(dir.join("a/page.html"), "a").expect("write");
        std::fs::write(dir.join("b/page.html"), "bb").expect("write");
        symlink(dir.join("b"), dir.join("a/to-b")).expect("symlink");
        symlink(dir.join("a"), dir.join("b/to-a")).expect("symlink");
        symlink(&dir, dir.join("a/up")).expect("symlink");
        symlink("page.html", dir.join("b/same.html")).expect("symlink");
        symlink(dir.join("b"), dir.join("b/deep/back")).expect("symlink");
        let scan = scan_with_cache(&dir, "./site", &[], None).expect("scan");
        assert_eq!(
            scan.manifest.keys().collect::<Vec<_>>(),
            [
                "a/page.html",
                "a/to-b/page.html",
                "a/to-b/same.html",
                "b/page.html",
                "b/same.html",
                "b/to-a/page.html",
            ]
        );
        let b = &scan.manifest["b/page.html"];
        assert_eq!(scan.manifest["a/to-b/page.html"], *b);
        assert_eq!(scan.manifest["a/to-b/same.html"].hash, b.hash);
        assert_eq!(scan.manifest["a/to-b/same.html"].size, 2);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A site folder with its own cache directory beside it, removed on drop.
    struct CachedSite {
        dir: PathBuf,
        cache: PathBuf,
    }

    /// Well before any cache of this test run was written.
    fn an_hour_ago() -> std::time::SystemTime {
        std::time::SystemTime::now() - std::time::Duration::from_secs(3600)
    }

    impl CachedSite {
        fn new(name: &str) -> CachedSite {
            let dir = std::env::temp_dir().join(format!("lp-hc-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("mkdir");
            CachedSite {
                cache: dir.with_extension("cache"),
                dir,
            }
        }

        /// Write `key` and set its modification time.
        fn write(&self, key: &str, content: &str, modified: std::time::SystemTime) {
            let path = self.dir.join(key);
            std::fs::write(&path, content).expect("write");
            std::fs::File::options()
                .write(true)
                .open(&path)
                .and_then(|f| f.set_modified(modified))
                .expect("set mtime");
        }

        fn scan(&self) -> Scan {
            scan_with_cache(&self.dir, "./dist", &[], Some(&self.cache)).expect("scan")
        }

        /// The one cache file this site has.
        fn cache_file(&self) -> PathBuf {
            let mut files: Vec<_> = std::fs::read_dir(self.cache.join("site-hashes"))
                .expect("cache dir")
                .map(|e| e.expect("entry").path())
                .collect();
            assert_eq!(files.len(), 1, "{files:?}");
            files.remove(0)
        }
    }

    impl Drop for CachedSite {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.dir);
            let _ = std::fs::remove_dir_all(&self.cache);
        }
    }

    #[test]
    fn an_unchanged_file_is_not_read_again_and_a_changed_one_is() {
        let site = CachedSite::new("unchanged");
        let old = an_hour_ago();
        site.write("index.html", "<h1>hi</h1>", old);
        site.write("about.html", "<h1>about</h1>", old);
        let first = site.scan();
        assert_eq!(first.read, 2);
        let again = site.scan();
        assert_eq!(again.read, 0, "both files came from the cache");
        assert_eq!(again.manifest, first.manifest);

        // Same size, new content, a later mtime: read again, new hash.
        site.write(
            "index.html",
            "<h1>ho</h1>",
            old + std::time::Duration::from_secs(1),
        );
        let edited = site.scan();
        assert_eq!(edited.read, 1);
        assert_ne!(
            edited.manifest["index.html"].hash,
            first.manifest["index.html"].hash
        );
        assert_eq!(edited.manifest["about.html"], first.manifest["about.html"]);

        // A new size with the old mtime: read again too.
        site.write("about.html", "<h1>about us</h1>", old);
        let grown = site.scan();
        assert_eq!(grown.read, 1);
        assert_eq!(grown.manifest["about.html"].size, 17);
        // The hash is the truth: a fresh scan without any cache agrees.
        let fresh = scan_with_cache(&site.dir, "./dist", &[], None).expect("scan");
        assert_eq!((fresh.read, &fresh.manifest), (2, &grown.manifest));
    }

    #[test]
    fn a_file_modified_no_earlier_than_the_cache_was_written_is_read_again() {
        let site = CachedSite::new("racy");
        site.write("index.html", "<h1>hi</h1>", an_hour_ago());
        // As if edited within the second the cache is written in: its mtime
        // cannot prove it unchanged since.
        let racy = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
        site.write("late.html", "<h1>late</h1>", racy);
        assert_eq!(site.scan().read, 2);
        assert_eq!(site.scan().read, 1);
        assert_eq!(site.scan().read, 1, "still racy: it is never trusted");
    }

    #[test]
    fn a_corrupt_or_unwritable_cache_only_means_hashing_everything() {
        let site = CachedSite::new("corrupt");
        site.write("index.html", "<h1>hi</h1>", an_hour_ago());
        site.write("a.js", "x()", an_hour_ago());
        let first = site.scan();
        let file = site.cache_file();
        let good = std::fs::read_to_string(&file).expect("read");
        for corrupt in [
            "garbage".to_string(),
            good.replace("v1", "v0"),
            good.replacen('\t', " ", 1),
            good[..good.len() - 10].to_string(),
            good.replace(&first.manifest["a.js"].hash, "not-a-hash"),
        ] {
            std::fs::write(&file, &corrupt).expect("corrupt");
            let rescanned = site.scan();
            assert_eq!(
                (rescanned.read, &rescanned.manifest),
                (2, &first.manifest),
                "{corrupt:?}"
            );
            assert_eq!(site.scan().read, 0, "the cache was written anew");
        }
        // A cache directory that is a file: nothing can be written there.
        std::fs::remove_dir_all(&site.cache).expect("rm");
        std::fs::write(&site.cache, "a file").expect("write");
        let unwritable = site.scan();
        assert_eq!(
            (unwritable.read, &unwritable.manifest),
            (2, &first.manifest)
        );
        std::fs::remove_file(&site.cache).expect("rm");
    }

    #[test]
    fn a_removed_file_drops_out_of_the_cache() {
        let site = CachedSite::new("removed");
        site.write("index.html", "<h1>hi</h1>", an_hour_ago());
        site.write("gone.html", "<h1>gone</h1>", an_hour_ago());
        site.scan();
        assert!(
            std::fs::read_to_string(site.cache_file())
                .expect("read")
                .contains("gone.html")
        );
        std::fs::remove_file(site.dir.join("gone.html")).expect("rm");
        let after = site.scan();
        assert_eq!((after.read, after.manifest.len()), (0, 1));
        let cached = std::fs::read_to_string(site.cache_file()).expect("read");
        assert!(!cached.contains("gone.html"), "{cached}");
        assert!(cached.contains("index.html"), "{cached}");
    }
}
