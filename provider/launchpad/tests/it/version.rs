//! One version, set once (the workspace `Cargo.toml`), reported everywhere a
//! user or the engine reads it: the plugin's GetPluginInfo, `schema.json`, the
//! npm package and the Python package (`make dist` names the tarballs from the
//! plugin's `--version`, so they follow too).

use std::path::PathBuf;

use crate::launch::Plugin;

fn read(relative: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn json_version(relative: &str, pointer: &str) -> String {
    let doc: serde_json::Value = serde_json::from_str(&read(relative)).expect("json");
    doc.pointer(pointer)
        .and_then(|v| v.as_str())
        .unwrap_or_else(|| panic!("{relative} has no {pointer}"))
        .to_string()
}

/// `version = "…"` of the `[project]` table of a pyproject.toml.
fn pyproject_version(relative: &str) -> String {
    let text = read(relative);
    let mut table = "";
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            table = line;
        } else if table == "[project]" {
            let value = line
                .strip_prefix("version")
                .and_then(|v| v.trim_start().strip_prefix('='));
            if let Some(v) = value {
                return v.trim().trim_matches('"').to_string();
            }
        }
    }
    panic!("{relative} has no [project] version")
}

#[tokio::test]
async fn plugin_schema_and_both_sdks_carry_the_workspace_version() {
    let plugin = Plugin::spawn();
    let mut client = plugin.client().await;
    let info = client.get_plugin_info(()).await.expect("info").into_inner();
    let versions = [
        ("the plugin's GetPluginInfo", info.version),
        ("schema.json", json_version("schema.json", "/version")),
        (
            "sdk/nodejs/package.json",
            json_version("sdk/nodejs/package.json", "/version"),
        ),
        (
            "sdk/nodejs/package.json pulumi.version",
            json_version("sdk/nodejs/package.json", "/pulumi/version"),
        ),
        (
            "sdk/python/pyproject.toml",
            pyproject_version("sdk/python/pyproject.toml"),
        ),
        (
            "sdk/python/pulumi_launchpad/pulumi-plugin.json",
            json_version("sdk/python/pulumi_launchpad/pulumi-plugin.json", "/version"),
        ),
    ];
    let workspace = env!("CARGO_PKG_VERSION");
    let differ: Vec<_> = versions.iter().filter(|(_, v)| v != workspace).collect();
    assert!(
        differ.is_empty(),
        "the workspace version is {workspace}, but {differ:?}: run `make sdk`"
    );
}

#[test]
fn the_generated_sdks_name_the_schemas_plugin_download_url() {
    let url = json_version("schema.json", "/pluginDownloadURL");
    assert_eq!(url, "github://api.github.com/launchpad-dev/launchpad");
    assert_eq!(
        json_version("sdk/nodejs/package.json", "/pulumi/server"),
        url
    );
    assert_eq!(
        json_version("sdk/python/pulumi_launchpad/pulumi-plugin.json", "/server"),
        url
    );
}
