//! Integration tests of the provider binary: one test binary, one module per area.

mod construct_isolation;
mod construct_memory;
mod launch;
mod messages;
mod native_resource;
mod resource_ids;
mod schema;
mod version;
