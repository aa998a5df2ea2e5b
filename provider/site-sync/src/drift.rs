//! What `pulumi refresh` finds: the files of the last deploy checked against
//! a listing of the bucket, so a file deleted or changed behind Pulumi's
//! back shows as drift, and the next `pulumi up` puts it back.
//!
//! Only the keys this resource deployed are looked at; other objects in the
//! bucket are not its business. An object is the one we uploaded when its
//! size is the file's and its ETag is the one S3 gave that upload. ETags are
//! compared with ETags only, never with a hash of the file: S3 makes the
//! ETag an MD5 of the content only for single-part uploads stored
//! unencrypted or with SSE-S3 — a multipart upload or an SSE-KMS bucket
//! gives another value — but any new upload or copy of other content gives
//! the object a new ETag. What the ETag cannot tell: a copy onto itself
//! that only replaces headers (Content-Type, Cache-Control) keeps the
//! content's ETag, so that change is not seen (a HEAD per file would see
//! it, at one request per file on every refresh). State recorded before
//! ETags were kept is checked by size alone.

use std::collections::BTreeMap;

use super::aws::Listed;
use super::manifest::{Entry, Manifest};

/// The files of the last deploy as the bucket holds them now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Live {
    /// The recorded manifest without the keys that are gone; a key whose
    /// object differs keeps its entry with an empty hash (content unknown,
    /// never equal to a file's), so the next deploy uploads it again and
    /// invalidates it.
    pub manifest: Manifest,
    /// The recorded ETags of the objects that are still ours: an ETag is
    /// only ever learnt from S3's answer to our own upload, never adopted
    /// from a listing (it could be someone else's object).
    pub etags: BTreeMap<String, String>,
}

/// Check `recorded` (with the ETags its uploads got) against `listed`.
pub fn live(
    recorded: &Manifest,
    etags: &BTreeMap<String, String>,
    listed: &BTreeMap<String, Listed>,
) -> Live {
    let mut live = Live {
        manifest: Manifest::new(),
        etags: BTreeMap::new(),
    };
    for (key, entry) in recorded {
        let Some(object) = listed.get(key) else {
            continue;
        };
        let ours = object.size == entry.size
            && etags
                .get(key)
                .is_none_or(|etag| etag.is_empty() || *etag == object.etag);
        if ours {
            live.manifest.insert(key.clone(), entry.clone());
            if let Some(etag) = etags.get(key) {
                live.etags.insert(key.clone(), etag.clone());
            }
        } else {
            let unknown = Entry {
                hash: String::new(),
                size: object.size,
                ..entry.clone()
            };
            live.manifest.insert(key.clone(), unknown);
        }
    }
    live
}

/// The longest prefix shared by every key: where to list.
pub fn common_prefix<'a>(mut keys: impl Iterator<Item = &'a String>) -> String {
    let Some(first) = keys.next() else {
        return String::new();
    };
    let mut prefix: &str = first;
    for key in keys {
        let shared = prefix
            .char_indices()
            .zip(key.chars())
            .find(|((_, a), b)| a != b)
            .map_or(prefix.len().min(key.len()), |((i, _), _)| i);
        prefix = &prefix[..shared];
    }
    prefix.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(hash: &str, size: u64) -> Entry {
        Entry {
            hash: hash.into(),
            size,
            content_type: "text/html; charset=utf-8".into(),
            cache_control: "no-cache".into(),
        }
    }

    fn listed(etag: &str, size: u64) -> Listed {
        Listed {
            etag: etag.into(),
            size,
        }
    }

    #[test]
    fn the_bucket_as_deployed_is_no_drift() {
        let recorded = Manifest::from([("index.html".into(), entry("h1", 10))]);
        let etags = BTreeMap::from([("index.html".into(), "\"e1\"".into())]);
        let bucket = BTreeMap::from([
            ("index.html".into(), listed("\"e1\"", 10)),
            ("someone-elses.txt".into(), listed("\"e9\"", 3)),
        ]);
        assert_eq!(
            live(&recorded, &etags, &bucket),
            Live {
                manifest: recorded,
                etags
            }
        );
    }

    #[test]
    fn a_deleted_file_is_dropped_and_a_changed_one_loses_its_hash() {
        let recorded = Manifest::from([
            ("index.html".into(), entry("h1", 10)),
            ("about.html".into(), entry("h2", 20)),
            ("big.bin".into(), entry("h3", 30)),
        ]);
        let etags = BTreeMap::from([
            ("index.html".into(), "\"e1\"".into()),
            ("about.html".into(), "\"e2\"".into()),
            ("big.bin".into(), "\"e3-2\"".into()),
        ]);
        let bucket = BTreeMap::from([
            // Same size, other content: only the ETag tells.
            ("about.html".into(), listed("\"e7\"", 20)),
            // Copied over with the same ETag kind but another size.
            ("big.bin".into(), listed("\"e3-2\"", 31)),
        ]);
        let found = live(&recorded, &etags, &bucket);
        assert_eq!(
            found.manifest,
            Manifest::from([
                ("about.html".into(), entry("", 20)),
                ("big.bin".into(), entry("", 31)),
            ])
        );
        // Their recorded ETags go: the objects are not the ones we uploaded.
        assert!(found.etags.is_empty());
    }

    #[test]
    fn without_a_recorded_etag_the_size_decides() {
        let recorded = Manifest::from([
            ("a.txt".into(), entry("h1", 10)),
            ("b.txt".into(), entry("h2", 10)),
        ]);
        let bucket = BTreeMap::from([
            ("a.txt".into(), listed("\"x\"", 10)),
            ("b.txt".into(), listed("\"y\"", 11)),
        ]);
        let found = live(&recorded, &BTreeMap::new(), &bucket);
        assert_eq!(found.manifest["a.txt"].hash, "h1");
        assert_eq!(found.manifest["b.txt"].hash, "");
        assert!(
            found.etags.is_empty(),
            "a listing's ETag is never taken as ours"
        );
        // Found again, a file with unknown content stays so until the next up.
        let again = live(&found.manifest, &found.etags, &bucket);
        assert_eq!(again, found);
    }

    #[test]
    fn listing_starts_at_the_longest_prefix_every_key_shares() {
        let keys = |ks: &[&str]| ks.iter().map(|k| k.to_string()).collect::<Vec<_>>();
        assert_eq!(
            common_prefix(keys(&["docs/a.html", "docs/b/c.html"]).iter()),
            "docs/"
        );
        assert_eq!(
            common_prefix(keys(&["index.html", "assets/app.js"]).iter()),
            ""
        );
        assert_eq!(common_prefix(keys(&["ü/a", "ü/b"]).iter()), "ü/");
        assert_eq!(common_prefix(keys(&["a/b", "a"]).iter()), "a");
        assert_eq!(common_prefix(keys(&["only.txt"]).iter()), "only.txt");
        assert_eq!(common_prefix(keys(&[]).iter()), "");
    }
}
