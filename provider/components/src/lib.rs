//! # launchpad-components
//!
//! One folder per component: typed, validated args; a pure planner from args
//! to the child resources; the outputs. Components never touch protobuf
//! types, nor a network: they depend on [`launchpad_core`] (values, plans,
//! options, schema definitions) and on the two crates that hold this
//! provider's native resources, [`launchpad_neon`] (Neon's API) and
//! [`launchpad_site_sync`] (S3 + CloudFront), only for their tokens, shared
//! definitions and validation; a planner calls neither client. [`package`]
//! is the one registry of everything the binary serves, and with
//! [`PACKAGE`]'s metadata the source of `schema.json`; [`catalogues`] lists
//! each component's user-facing messages (`static_site/errors.rs` shows how),
//! after [`errors`], the catalogue of the checks components share.
//!
//! Start reading at [`static_site`], then [`web_service`].

pub mod aws_iam;
pub mod aws_regions;
pub mod aws_secrets;
pub mod cloud_run;
pub mod cloudwatch_logs;
pub mod container;
pub mod errors;
#[cfg(test)]
mod feeds_tests;
pub mod function;
pub mod gcp_regions;
pub mod kubernetes;
pub mod naming;
pub mod neon;
pub mod static_site;
pub mod web_service;

use launchpad_core::Package;
use launchpad_core::schema::PackageDef;

/// Version of the `aws` provider plugin every AWS child requests.
pub const AWS_PROVIDER_VERSION: &str = env!("LAUNCHPAD_AWS_PROVIDER_VERSION");
/// Version of the `gcp` provider plugin every GCP child requests.
pub const GCP_PROVIDER_VERSION: &str = env!("LAUNCHPAD_GCP_PROVIDER_VERSION");
/// Version of the `kubernetes` provider plugin every Kubernetes child requests.
pub const KUBERNETES_PROVIDER_VERSION: &str = env!("LAUNCHPAD_KUBERNETES_PROVIDER_VERSION");

/// The launchpad package's metadata; with the registry ([`package`]) it renders `schema.json`.
pub static PACKAGE: PackageDef = PackageDef {
    name: "launchpad",
    version: env!("CARGO_PKG_VERSION"),
    display_name: "launchpad",
    description: "Production-grade, secure-by-default building blocks to deploy an application: static sites, web services, serverless functions, Cloud Run services, Kubernetes services and Neon databases.",
    repository: env!("CARGO_PKG_REPOSITORY"),
    // The repository's releases (provider/components/build.rs):
    // github://api.github.com/launchpad-dev/launchpad.
    plugin_download_url: env!("LAUNCHPAD_PLUGIN_DOWNLOAD_URL"),
    // The registry files a package by its `category/` and `kind/` keywords; the
    // rest are the services its components build on, for search.
    keywords: &[
        "pulumi",
        "category/cloud",
        "kind/component",
        "aws",
        "gcp",
        "kubernetes",
        "neon",
        "postgres",
        "cloudfront",
        "ecs",
        "lambda",
        "cloud-run",
    ],
    publisher: "launchpad",
    // docs/logo.svg by its raw URL under the repository (provider/components/build.rs).
    logo_url: env!("LAUNCHPAD_LOGO_URL"),
    license: env!("CARGO_PKG_LICENSE"),
    npm_package: "pulumi-launchpad",
    python_package: "pulumi_launchpad",
    // The oldest SDKs the generated code is tested with (tools/versions.env).
    nodejs_pulumi_range: concat!("^", env!("LAUNCHPAD_PULUMI_NODEJS_SDK_VERSION")),
    nodejs_typescript_version: env!("LAUNCHPAD_TYPESCRIPT_VERSION"),
    python_pulumi_range: concat!(">=", env!("LAUNCHPAD_PULUMI_PYTHON_SDK_VERSION"), ",<4.0.0"),
    config: launchpad_neon::CONFIG,
};

/// The components' catalogues of user-facing messages, in code order (core's
/// and protocol's come from their crates; the binary's `--messages` prints
/// them all). A component's catalogue joins this list when it has one.
pub fn catalogues() -> Vec<&'static [launchpad_core::catalogue::ErrorDef]> {
    vec![
        errors::CATALOGUE,
        static_site::errors::CATALOGUE,
        launchpad_site_sync::errors::CATALOGUE,
        web_service::errors::CATALOGUE,
        cloud_run::errors::CATALOGUE,
        launchpad_neon::errors::CATALOGUE,
        kubernetes::errors::CATALOGUE,
        function::errors::CATALOGUE,
    ]
}

/// Everything the provider binary serves: the one list of components and
/// native resources (the schema is rendered from it).
pub fn package() -> Package {
    // One Neon client (and so one rate limit) for both Neon resources.
    let neon_clients = std::sync::Arc::new(launchpad_neon::resource::Clients::default());
    Package {
        def: &PACKAGE,
        components: vec![
            Box::new(static_site::StaticSite),
            Box::new(web_service::WebService),
            Box::new(cloud_run::CloudRunService),
            Box::new(neon::NeonDatabase),
            Box::new(kubernetes::KubernetesService),
            Box::new(function::Function),
        ],
        resources: vec![
            Box::new(launchpad_site_sync::SiteContent),
            Box::new(launchpad_neon::project::NeonProject {
                clients: neon_clients.clone(),
            }),
            Box::new(launchpad_neon::branch::NeonBranch {
                clients: neon_clients,
            }),
        ],
    }
}
