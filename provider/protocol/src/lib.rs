//! # launchpad-protocol
//!
//! The Pulumi wire, for the types of [`launchpad_core`]: the
//! `ResourceProvider` gRPC service ([`provider`]), the plugin launch
//! contract ([`launch`]), the one conversion between
//! `google.protobuf.Struct` and [`Value`]s ([`codec`]), Construct and the
//! resource-monitor client ([`construct`]), messages to the user through
//! the engine's `Log` RPC ([`engine`]), the watch that ends the plugin
//! when the engine is gone ([`engine_link`]), and the one mapping of errors to
//! gRPC statuses ([`error`]); its user-facing messages are catalogued in
//! [`errors`].
//!
//! It must not know about any cloud: no AWS, GCP or Neon names live here.
//! Components never see this crate (they depend on `launchpad-core` only),
//! so protobuf types cannot leak into them. Start reading at
//! [`provider::Provider`], then [`construct::construct`].

pub mod codec;
pub mod construct;
pub mod engine;
pub mod engine_link;
pub mod error;
pub mod errors;
pub mod launch;
pub mod provider;
#[cfg(feature = "testing")]
pub mod testing;

pub use error::ProtocolError;
pub use launchpad_core::{Package, PropertyMap, Value};
pub use provider::Provider;

/// Re-exported generated gRPC types, for tests and the binary.
pub use pulumi_gestalt_proto::pulumi::pulumirpc as rpc;
