//! What a deploy does, decided from the recorded state and the new manifest
//! alone (no listing of the bucket): which keys to upload (assets first,
//! HTML last), which to delete once the new ones are in, which of the
//! previous deploys' fingerprinted assets stay for open tabs, and which
//! paths to invalidate in CloudFront.

use std::collections::{BTreeMap, BTreeSet};

use super::manifest::{Manifest, is_fingerprinted, is_html};

/// CloudFront allows 3,000 file paths and 15 wildcard paths in progress on a
/// distribution, counting every invalidation in progress, not each request
/// (<https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/InvalidationLimits.html>).
/// One deploy asks for at most a third of each, so two more (another stack,
/// a CI job, the next commit) fit beside it: past this many paths, folders
/// are invalidated by wildcard...
const MAX_PATHS: usize = 1000;
/// ...and past this many folders, everything (`/*`, one wildcard path).
const MAX_WILDCARDS: usize = 5;

/// What the state says about earlier deploys.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Previous {
    /// The files of the last deploy.
    pub manifest: Manifest,
    /// Fingerprinted keys kept from earlier deploys → the deploy in which
    /// they were last part of the site.
    pub retained: BTreeMap<String, u64>,
    /// How many deploys changed something so far.
    pub deploy: u64,
    /// Paths changed by a deploy that stopped before it invalidated them.
    pub pending: BTreeSet<String>,
    /// Key → the ETag S3 gave its upload (for refresh; planning ignores it).
    pub etags: BTreeMap<String, String>,
}

/// The work of one deploy.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// Keys to upload first: everything but HTML.
    pub assets: Vec<String>,
    /// Keys to upload last, once every asset they may load is in.
    pub pages: Vec<String>,
    /// Keys to delete after the uploads.
    pub delete: Vec<String>,
    /// Fingerprinted keys of earlier deploys that stay.
    pub retained: BTreeMap<String, u64>,
    /// CloudFront paths to invalidate (none when nothing served changed).
    pub invalidate: Vec<String>,
    /// This deploy's number.
    pub deploy: u64,
}

impl Plan {
    /// Whether the deploy changes nothing in the bucket.
    pub fn is_empty(&self) -> bool {
        self.assets.is_empty() && self.pages.is_empty() && self.delete.is_empty()
    }
}

/// Plan a deploy of `new` over `prev`, keeping fingerprinted assets of the
/// last `keep` deploys.
pub fn plan(prev: &Previous, new: &Manifest, keep: u64) -> Plan {
    let changed: Vec<&String> = new
        .iter()
        .filter(|(key, entry)| prev.manifest.get(*key) != Some(entry))
        .map(|(key, _)| key)
        .collect();
    let removed: Vec<&String> = prev
        .manifest
        .keys()
        .filter(|key| !new.contains_key(*key))
        .collect();
    let anything = !changed.is_empty() || !removed.is_empty();
    let deploy = if anything {
        prev.deploy + 1
    } else {
        prev.deploy
    };

    let (pages, assets): (Vec<String>, Vec<String>) = changed
        .iter()
        .map(|k| k.to_string())
        .partition(|k| is_html(k));

    let mut retained = BTreeMap::new();
    let mut delete = Vec::new();
    for key in &removed {
        if keep > 0 && is_fingerprinted(key) {
            retained.insert(key.to_string(), prev.deploy);
        } else {
            delete.push(key.to_string());
        }
    }
    for (key, last) in &prev.retained {
        if new.contains_key(key) || retained.contains_key(key) {
            continue;
        }
        if deploy.saturating_sub(*last) <= keep {
            retained.insert(key.clone(), *last);
        } else {
            delete.push(key.clone());
        }
    }

    // Only what visitors may hold an old copy of: changed and removed keys
    // that were served (new keys were 404s for a few seconds at most).
    let mut paths: BTreeSet<String> = prev.pending.clone();
    let served = changed
        .iter()
        .filter(|k| prev.manifest.contains_key(k.as_str()))
        .chain(
            removed
                .iter()
                .filter(|k| !retained.contains_key(k.as_str())),
        );
    for key in served {
        paths.extend(cloudfront_paths(key));
    }
    Plan {
        assets,
        pages,
        delete,
        retained,
        invalidate: collapse(paths),
        deploy,
    }
}

/// The paths a key is served under: `/a/b.js`; `a/index.html` also as `/a/`.
pub fn cloudfront_paths(key: &str) -> Vec<String> {
    let mut paths = vec![format!("/{}", encode_path(key))];
    if let Some(dir) = key.strip_suffix("index.html")
        && (dir.is_empty() || dir.ends_with('/'))
    {
        paths.push(format!("/{}", encode_path(dir)));
    }
    paths
}

/// CloudFront wants paths URL-encoded as a browser would send them, and `*`
/// only as a wildcard.
fn encode_path(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for b in key.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'/'
            | b'-'
            | b'_'
            | b'.'
            | b'~'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'+'
            | b','
            | b';'
            | b'='
            | b':'
            | b'@' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Many paths → a wildcard per top-level folder; too many folders → `/*`.
fn collapse(paths: BTreeSet<String>) -> Vec<String> {
    if paths.len() <= MAX_PATHS {
        return paths.into_iter().collect();
    }
    let mut collapsed = BTreeSet::new();
    for path in paths {
        match path[1..].split_once('/') {
            Some((top, _)) => collapsed.insert(format!("/{top}/*")),
            None => collapsed.insert(path),
        };
    }
    let wildcards = collapsed.iter().filter(|p| p.ends_with('*')).count();
    if wildcards > MAX_WILDCARDS || collapsed.len() > MAX_PATHS {
        return vec!["/*".to_string()];
    }
    collapsed.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{Entry, IMMUTABLE, NO_CACHE};

    fn entry(hash: &str, key: &str) -> Entry {
        Entry {
            hash: hash.into(),
            size: 1,
            content_type: "text/plain".into(),
            cache_control: if is_fingerprinted(key) {
                IMMUTABLE
            } else {
                NO_CACHE
            }
            .into(),
        }
    }

    fn manifest(files: &[(&str, &str)]) -> Manifest {
        files
            .iter()
            .map(|(k, h)| (k.to_string(), entry(h, k)))
            .collect()
    }

    #[test]
    fn a_first_deploy_uploads_everything_assets_before_pages_and_invalidates_nothing() {
        let new = manifest(&[
            ("index.html", "1"),
            ("assets/app.3f9a1c.js", "2"),
            ("about/index.html", "3"),
        ]);
        let p = plan(&Previous::default(), &new, 1);
        assert_eq!(p.assets, ["assets/app.3f9a1c.js"]);
        assert_eq!(p.pages, ["about/index.html", "index.html"]);
        assert!(p.delete.is_empty() && p.invalidate.is_empty());
        assert_eq!(p.deploy, 1);
    }

    #[test]
    fn an_unchanged_site_does_nothing() {
        let m = manifest(&[("index.html", "1")]);
        let prev = Previous {
            manifest: m.clone(),
            deploy: 4,
            ..Previous::default()
        };
        let p = plan(&prev, &m, 1);
        assert!(p.is_empty() && p.invalidate.is_empty());
        assert_eq!(p.deploy, 4);
    }

    #[test]
    fn one_changed_page_is_one_upload_and_its_paths_are_invalidated() {
        let prev = Previous {
            manifest: manifest(&[("index.html", "1"), ("about/index.html", "2")]),
            deploy: 1,
            ..Previous::default()
        };
        let new = manifest(&[("index.html", "1"), ("about/index.html", "9")]);
        let p = plan(&prev, &new, 1);
        assert_eq!(p.pages, ["about/index.html"]);
        assert!(p.assets.is_empty());
        assert_eq!(p.invalidate, ["/about/", "/about/index.html"]);
    }

    #[test]
    fn old_fingerprinted_assets_stay_for_one_more_deploy_the_rest_go_at_once() {
        let d1 = manifest(&[
            ("index.html", "1"),
            ("a.1111aa.js", "a"),
            ("robots.txt", "r"),
        ]);
        let d2 = manifest(&[("index.html", "2"), ("a.2222bb.js", "b")]);
        let d3 = manifest(&[("index.html", "3"), ("a.3333cc.js", "c")]);
        let p2 = plan(
            &Previous {
                manifest: d1,
                deploy: 1,
                ..Previous::default()
            },
            &d2,
            1,
        );
        assert_eq!(p2.delete, ["robots.txt"]);
        assert_eq!(p2.retained, BTreeMap::from([("a.1111aa.js".into(), 1)]));
        assert_eq!(p2.invalidate, ["/", "/index.html", "/robots.txt"]);
        let p3 = plan(
            &Previous {
                manifest: d2,
                retained: p2.retained.clone(),
                deploy: p2.deploy,
                ..Previous::default()
            },
            &d3,
            1,
        );
        assert_eq!(p3.delete, ["a.1111aa.js"]);
        assert_eq!(p3.retained, BTreeMap::from([("a.2222bb.js".into(), 2)]));
        // keep 0: nothing stays.
        let p = plan(
            &Previous {
                manifest: manifest(&[("a.2222bb.js", "b")]),
                deploy: 2,
                ..Previous::default()
            },
            &manifest(&[("a.3333cc.js", "c")]),
            0,
        );
        assert_eq!(p.delete, ["a.2222bb.js"]);
        assert!(p.retained.is_empty());
    }

    #[test]
    fn a_retained_asset_that_comes_back_is_current_again() {
        let prev = Previous {
            manifest: manifest(&[("a.2222bb.js", "b")]),
            retained: BTreeMap::from([("a.1111aa.js".into(), 1)]),
            deploy: 2,
            ..Previous::default()
        };
        let p = plan(&prev, &manifest(&[("a.1111aa.js", "a")]), 1);
        assert_eq!(p.assets, ["a.1111aa.js"]);
        assert!(!p.retained.contains_key("a.1111aa.js"));
        assert!(!p.delete.contains(&"a.1111aa.js".to_string()));
    }

    #[test]
    fn pending_invalidations_of_a_stopped_deploy_are_carried_over() {
        let m = manifest(&[("index.html", "1")]);
        let prev = Previous {
            manifest: m.clone(),
            pending: BTreeSet::from(["/index.html".to_string()]),
            ..Previous::default()
        };
        assert_eq!(plan(&prev, &m, 1).invalidate, ["/index.html"]);
    }

    #[test]
    fn many_paths_collapse_to_wildcards_and_too_many_folders_to_everything() {
        let many: BTreeSet<String> = (0..1500).map(|i| format!("/docs/p{i}.html")).collect();
        assert_eq!(collapse(many), ["/docs/*"]);
        let folders: BTreeSet<String> = (0..1500).map(|i| format!("/d{i}/x.html")).collect();
        assert_eq!(collapse(folders), ["/*"]);
        // Six folders would take more than a third of the 15 wildcard paths
        // a distribution may have in progress: everything, as one.
        let six: BTreeSet<String> = (0..1200)
            .map(|i| format!("/d{}/p{i}.html", i % 6))
            .collect();
        assert_eq!(collapse(six), ["/*"]);
        let five: BTreeSet<String> = (0..1200)
            .map(|i| format!("/d{}/p{i}.html", i % 5))
            .collect();
        assert_eq!(
            collapse(five),
            ["/d0/*", "/d1/*", "/d2/*", "/d3/*", "/d4/*"]
        );
        assert_eq!(
            cloudfront_paths("a b/ü.html"),
            ["/a%20b/%C3%BC.html".to_string()]
        );
    }
}
