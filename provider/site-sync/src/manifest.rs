//! The manifest of a site folder: every file's key, content hash, size,
//! Content-Type and Cache-Control. Computed by Check (so Diff knows exactly
//! which keys change, and preview shows them) and recorded in the state,
//! so a re-run compares manifests instead of listing the bucket.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use launchpad_core::{InputError, PropertyMap, Value};
use sha2::{Digest, Sha256};

use crate::errors;

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
/// a Check failure on `path` with its catalogue entry.
pub fn scan(root: &Path, shown: &str, rules: &[CacheRule]) -> Result<Manifest, InputError> {
    let mut manifest = Manifest::new();
    for (key, file) in files(root, shown)? {
        let (hash, size) =
            hash_file(&file).map_err(|e| errors::file_unreadable(quote(&key), quote(shown), e))?;
        let entry = Entry {
            hash,
            size,
            content_type: content_type(&key),
            cache_control: cache_control(&key, rules),
        };
        manifest.insert(key, entry);
    }
    Ok(manifest)
}

/// The keys [`scan`] gives the files of `root`, without reading them: for
/// whoever must know what the bucket will hold (StaticSite's path function).
pub fn keys(root: &Path, shown: &str) -> Result<Vec<String>, InputError> {
    Ok(files(root, shown)?
        .into_iter()
        .map(|(key, _)| key)
        .collect())
}

/// Every file of `root`: its key and where it really is, refused as [`scan`] says.
fn files(root: &Path, shown: &str) -> Result<Vec<(String, PathBuf)>, InputError> {
    let meta = std::fs::metadata(root)
        .map_err(|e| errors::path_unreadable(quote(shown), root.display(), e))?;
    if !meta.is_dir() {
        return Err(errors::path_is_a_file(quote(shown)));
    }
    let canonical_root = root
        .canonicalize()
        .map_err(|e| errors::path_unresolvable(quote(shown), e))?;
    let mut files = Vec::new();
    walk(&canonical_root, &canonical_root, shown, &mut files)?;
    if files.is_empty() {
        return Err(errors::path_has_no_files(quote(shown)));
    }
    if let Some((key, _)) = files.iter().find(|(key, _)| key.len() > MAX_KEY_BYTES) {
        return Err(errors::key_too_long(
            quote(key),
            quote(shown),
            key.len(),
            MAX_KEY_BYTES,
        ));
    }
    Ok(files)
}

/// A name as the walk's messages quote it: in plain double quotes, as it is.
fn quote(name: &str) -> String {
    format!("\"{name}\"")
}

fn walk(
    root: &Path,
    dir: &Path,
    shown: &str,
    out: &mut Vec<(String, PathBuf)>,
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
        let real = path.canonicalize().map_err(|e| unreadable(&path, e))?;
        if !real.starts_with(root) {
            return Err(errors::link_outside_folder(
                quote(&relative(root, &path)),
                quote(shown),
                real.display(),
            ));
        }
        let meta = std::fs::metadata(&real).map_err(|e| unreadable(&path, e))?;
        if meta.is_dir() {
            // A link back up the tree would never end.
            if real != path && path.starts_with(&real) {
                continue;
            }
            walk(root, &path, shown, out)?;
        } else if meta.is_file() {
            out.push((relative(root, &path), real));
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
    let digest = hasher.finalize();
    Ok((
        digest.iter().take(16).map(|b| format!("{b:02x}")).collect(),
        size,
    ))
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
    let Some(Value::Object(files)) = value.map(Value::strip) else {
        return Manifest::new();
    };
    files
        .into_iter()
        .filter_map(|(key, entry)| {
            let Value::Object(e) = entry else { return None };
            let text = |k: &str| match e.get(k) {
                Some(Value::String(s)) => Some(s.clone()),
                _ => None,
            };
            let size = match e.get("size") {
                Some(Value::Number(n)) => *n as u64,
                _ => return None,
            };
            Some((
                key,
                Entry {
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
    hasher
        .finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
