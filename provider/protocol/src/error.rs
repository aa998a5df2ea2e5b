//! The protocol layer's error type and the one mapping of every error —
//! bad input, plan bugs, engine refusals, native-resource failures — to a
//! gRPC status. User errors are never `Internal`.

use launchpad_core::args::InputError;
use launchpad_core::custom::{Interrupted, ResourceError};
use launchpad_core::plan::PlanError;
use prost::Message;
use pulumi_gestalt_proto::pulumi::pulumirpc as rpc;

use crate::codec::{DecodeError, EncodeOptions, encode_struct};

/// Everything that can go wrong while serving an RPC.
#[derive(Debug, thiserror::Error)]
pub enum ProtocolError {
    /// A Struct from the engine did not follow Pulumi's encoding.
    #[error("malformed properties: {0}")]
    Decode(#[from] DecodeError),
    /// The user's input is invalid; the message names the property.
    #[error("{0}")]
    Input(#[from] InputError),
    /// A component's plan cannot be registered (a bug in the component).
    #[error("{0}")]
    Plan(#[from] PlanError),
    /// A child's input expression resolved to a value its place cannot hold.
    #[error("internal planning error: input `{property}` of child `{child}`: {message}")]
    Expr {
        /// The child's plan key.
        child: String,
        /// The input property.
        property: String,
        /// What went wrong.
        message: String,
    },
    /// The type token is not one this provider implements.
    #[error("{}", crate::errors::unknown_resource_type(token, known))]
    UnknownType {
        /// The token asked for.
        token: String,
        /// The tokens this provider knows, comma separated.
        known: String,
    },
    /// The resource monitor could not be reached.
    #[error("cannot connect to the resource monitor at {endpoint}: {reason}")]
    MonitorConnect {
        /// Its address.
        endpoint: String,
        /// Why.
        reason: String,
    },
    /// The engine refused a registration.
    #[error("registering `{name}` ({token}) failed: {message}")]
    Register {
        /// Logical name of the resource.
        name: String,
        /// Its type token.
        token: String,
        /// The engine's message.
        message: String,
    },
    /// A native resource's lifecycle call failed.
    #[error("{0}")]
    Resource(#[from] ResourceError),
    /// A request this provider does not serve (a function, a method).
    #[error("{0}")]
    Unsupported(String),
}

impl ProtocolError {
    /// The gRPC status for this error.
    pub fn to_status(&self) -> tonic::Status {
        use tonic::Code;
        let message = self.to_string();
        let code = match self {
            ProtocolError::Decode(_)
            | ProtocolError::Input(_)
            | ProtocolError::Resource(ResourceError::Input(_))
            | ProtocolError::Resource(ResourceError::MalformedId { .. }) => Code::InvalidArgument,
            ProtocolError::UnknownType { .. } => Code::NotFound,
            ProtocolError::MonitorConnect { .. } => Code::Unavailable,
            ProtocolError::Unsupported(_) => Code::Unimplemented,
            ProtocolError::Resource(ResourceError::Interrupted(Interrupted::Cancelled)) => {
                Code::Cancelled
            }
            ProtocolError::Resource(ResourceError::Interrupted(Interrupted::DeadlineExceeded(
                _,
            ))) => Code::DeadlineExceeded,
            ProtocolError::Resource(ResourceError::PartiallyCreated {
                id,
                outputs,
                inputs,
                reasons,
            }) => return partially_created(id, outputs, inputs, reasons),
            ProtocolError::Plan(_)
            | ProtocolError::Expr { .. }
            | ProtocolError::Register { .. }
            | ProtocolError::Resource(ResourceError::Failed(_)) => Code::Unknown,
        };
        tonic::Status::new(code, message)
    }
}

impl From<ProtocolError> for tonic::Status {
    fn from(e: ProtocolError) -> tonic::Status {
        e.to_status()
    }
}

/// `google.rpc.Status`: the encoding of a gRPC status's details, which is
/// how `ErrorResourceInitFailed` reaches the engine.
#[derive(Clone, PartialEq, Message)]
pub struct RpcStatus {
    /// The gRPC code.
    #[prost(int32, tag = "1")]
    pub code: i32,
    /// The message.
    #[prost(string, tag = "2")]
    pub message: String,
    /// Typed details.
    #[prost(message, repeated, tag = "3")]
    pub details: Vec<prost_types::Any>,
}

/// A create that stopped half-way: the status carries what exists, so the
/// engine records it and a later update can finish the job.
fn partially_created(
    id: &str,
    outputs: &launchpad_core::PropertyMap,
    inputs: &launchpad_core::PropertyMap,
    reasons: &[String],
) -> tonic::Status {
    let message = reasons.join("; ");
    let detail = rpc::ErrorResourceInitFailed {
        id: id.to_string(),
        properties: Some(encode_struct(outputs, EncodeOptions::PLAIN)),
        reasons: reasons.to_vec(),
        inputs: Some(encode_struct(inputs, EncodeOptions::PLAIN)),
        refresh_before_update: false,
    };
    let status = RpcStatus {
        code: tonic::Code::Unknown as i32,
        message: message.clone(),
        details: vec![prost_types::Any {
            type_url: "type.googleapis.com/pulumirpc.ErrorResourceInitFailed".into(),
            value: detail.encode_to_vec(),
        }],
    };
    tonic::Status::with_details(tonic::Code::Unknown, message, status.encode_to_vec().into())
}
