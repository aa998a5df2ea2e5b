//! Reads the provider versions our children request, and the SDK versions the
//! generated SDKs are built and tested with, from `tools/versions.env`: the
//! one file where every pinned version lives. Derives the plugin's download
//! location (the schema's `pluginDownloadURL`) and its logo's URL (`logoUrl`)
//! from the package's repository.

use std::path::Path;

/// The logo's path in the repository.
const LOGO: &str = "docs/logo.svg";

fn main() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tools/versions.env");
    println!("cargo:rerun-if-changed={}", file.display());
    let text = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
    for key in [
        "AWS_PROVIDER_VERSION",
        "GCP_PROVIDER_VERSION",
        "KUBERNETES_PROVIDER_VERSION",
        "PULUMI_NODEJS_SDK_VERSION",
        "PULUMI_PYTHON_SDK_VERSION",
        "TYPESCRIPT_VERSION",
    ] {
        let value = text
            .lines()
            .filter_map(|l| l.split_once('='))
            .find(|(k, _)| k.trim() == key)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_else(|| panic!("{key} is not set in {}", file.display()));
        println!("cargo:rustc-env=LAUNCHPAD_{key}={value}");
    }
    // Releases are published on the repository's GitHub releases, where the
    // engine's `github://` scheme looks for pulumi-resource-<name>-v<version>-<os>-<arch>.tar.gz.
    let repository = env!("CARGO_PKG_REPOSITORY");
    let owner_repo = repository
        .strip_prefix("https://github.com/")
        .filter(|rest| rest.split('/').count() == 2)
        .unwrap_or_else(|| {
            panic!("repository {repository:?} is not https://github.com/<org>/<repo>")
        });
    println!("cargo:rustc-env=LAUNCHPAD_PLUGIN_DOWNLOAD_URL=github://api.github.com/{owner_repo}");
    // The registry shows the logo from a URL it can fetch: docs/logo.svg on the
    // default branch, served raw.
    println!(
        "cargo:rustc-env=LAUNCHPAD_LOGO_URL=https://raw.githubusercontent.com/{owner_repo}/main/{LOGO}"
    );
}
