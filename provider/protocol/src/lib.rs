//! # launchpad-protocol
//!
//! Everything Pulumi-specific and cloud-agnostic: the `ResourceProvider`
//! gRPC service ([`provider`]), the plugin launch contract ([`launch`]), the
//! one conversion between `google.protobuf.Struct` and typed values
//! ([`codec`], [`value`]), Construct and the resource-monitor client
//! ([`construct`]), and the traits components ([`component`]) and native
//! custom resources ([`custom`]) implement.
//!
//! It must not know about any cloud: no AWS, GCP or Neon names live here.
//! Start reading at [`provider::Provider`], then [`construct::construct`].

pub mod args;
pub mod codec;
pub mod component;
pub mod construct;
pub mod custom;
pub mod error;
pub mod launch;
pub mod plan;
pub mod provider;
pub mod schema;
#[cfg(feature = "testing")]
pub mod testing;
pub mod value;

pub use args::{ArgsReader, Input, InputError};
pub use component::{Component, ConstructContext};
pub use custom::CustomResource;
pub use error::ProtocolError;
pub use plan::{ChildResource, ComponentPlan, Expr};
pub use provider::{Package, Provider};
pub use value::{PropertyMap, Value};

/// Re-exported generated gRPC types, for tests and the binary.
pub use pulumi_gestalt_proto::pulumi::pulumirpc as rpc;
