//! # launchpad-core
//!
//! What a launchpad component or native resource *is*, in plain Rust types:
//! property values ([`value`]), schema definitions ([`schema`]), reading and
//! validating raw inputs ([`args`]), a component's plan of children and their
//! resource options ([`plan`], [`options`]), and the traits a component
//! ([`component`]) or a native custom resource ([`custom`]) implements;
//! and the one jittered [`backoff`] the clients that wait on a service share.
//!
//! It must not know about protobuf, gRPC or any cloud: `launchpad-protocol`
//! puts these types on the wire, and components depend on this crate only,
//! so a component cannot name a protobuf type. Start reading at
//! [`component::Component`] and [`plan::ChildResource`].

pub mod args;
pub mod backoff;
pub mod component;
pub mod custom;
pub mod log;
pub mod options;
pub mod package;
pub mod plan;
pub mod schema;
pub mod value;

pub use args::{ArgsReader, Input, InputError};
pub use component::{Component, ConstructContext};
pub use custom::CustomResource;
pub use options::{ChildAlias, ChildOptions, ComponentOptions, CustomTimeouts};
pub use package::Package;
pub use plan::{ChildResource, ComponentPlan, Expr};
pub use value::{PropertyMap, Value};
