//! The protocol layer's error type and its one mapping to gRPC status.

use crate::args::InputError;
use crate::codec::DecodeError;

/// Everything that can go wrong while serving an RPC.
#[derive(Debug, thiserror::Error)]
pub enum ProtocolError {
    /// A Struct from the engine did not follow Pulumi's encoding.
    #[error("malformed properties: {0}")]
    Decode(#[from] DecodeError),
    /// The user's input is invalid; the message names the property.
    #[error("{0}")]
    Input(#[from] InputError),
    /// The type token is not one this provider implements.
    #[error("unknown resource type `{token}`; this provider implements: {known}")]
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
    /// A provider operation failed (message for the user).
    #[error("{0}")]
    Failed(String),
}

impl ProtocolError {
    /// The gRPC status for this error; user errors are never `Internal`.
    pub fn to_status(&self) -> tonic::Status {
        let message = self.to_string();
        match self {
            ProtocolError::Decode(_) | ProtocolError::Input(_) => {
                tonic::Status::invalid_argument(message)
            }
            ProtocolError::UnknownType { .. } => tonic::Status::not_found(message),
            ProtocolError::MonitorConnect { .. } => tonic::Status::unavailable(message),
            ProtocolError::Register { .. } | ProtocolError::Failed(_) => {
                tonic::Status::unknown(message)
            }
        }
    }
}

impl From<ProtocolError> for tonic::Status {
    fn from(e: ProtocolError) -> tonic::Status {
        e.to_status()
    }
}
