//! # launchpad-core
//!
//! What a launchpad component or native resource *is*, in plain Rust types:
//! property values ([`value`]), schema definitions ([`schema`]), reading and
//! validating raw inputs ([`args`]), a component's plan of children and their
//! resource options ([`plan`], [`options`]), and the traits a component
//! ([`component`]) or a native custom resource ([`custom`]) implements;
//! and the one jittered [`backoff`] the clients that wait on a service share.
//! Every user-facing message has a code in a catalogue ([`catalogue`]; core's
//! own entries are in [`errors`]).
//!
//! It must not know about protobuf, gRPC or any cloud: `launchpad-protocol`
//! puts these types on the wire, and components depend on this crate only,
//! so a component cannot name a protobuf type. Start reading at
//! [`component::Component`] and [`plan::ChildResource`].

// The derive's generated code names `::launchpad_core`, this crate's tests too.
extern crate self as launchpad_core;

pub mod args;
pub mod backoff;
pub mod catalogue;
pub mod component;
pub mod custom;
pub mod errors;
pub mod log;
pub mod options;
pub mod package;
pub mod plan;
pub mod schema;
pub mod value;

// The derive and the trait share a name, as serde's do: `#[derive(Inputs)]`
// implements `Inputs`.
pub use args::{ArgsReader, Input, InputError, Inputs, ObjectInputs, ResourceInput};
pub use component::{Component, ConstructContext};
pub use custom::CustomResource;
pub use launchpad_macros::Inputs;
pub use options::{ChildAlias, ChildOptions, ComponentOptions, CustomTimeouts};
pub use package::Package;
pub use plan::{ChildResource, ComponentPlan, Expr};
pub use value::{PropertyMap, Value};
