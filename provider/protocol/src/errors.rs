//! launchpad-protocol's catalogue (LP11xx): messages about what the engine
//! sends rather than a component's own inputs — resource options such as
//! `customTimeouts`, requests for types this provider does not have, and
//! components given as inputs whose outputs the engine cannot give.
//! See [`launchpad_core::catalogue`] for the rules.

use std::fmt::Display;

launchpad_core::catalogue! {
    area = "protocol";

    /// A `customTimeouts` value is not a duration the engine can pass on.
    /// Write it as Go does: a number and a unit (`ns`, `us`, `ms`, `s`, `m`,
    /// `h`), possibly several in a row, like `1h30m`.
    LP1101 input not_a_duration(property, value: impl Display)
        = "{property}={value} is not a duration; write it like \"30m\", \"1h30m\" or \"90s\"";

    /// The program asked for a resource type this plugin does not implement:
    /// usually an SDK newer than the plugin. Install the plugin version that
    /// matches the SDK, or use one of the listed types.
    LP1102 runtime unknown_resource_type(token: impl Display, known: impl Display)
        = "unknown resource type `{token}`; this provider implements: {known}";

    /// A component given as an input (a Function in a StaticSite's `routes`)
    /// reaches the provider as its URN alone, so Construct asks the engine
    /// for its outputs; the engine could not give them. Create the component
    /// in the same program, before the one that takes it.
    LP1103 input outputs_unreadable(property, urn: impl Display, reason: impl Display)
        = "`{property}` refers to {urn}, whose outputs could not be read from the engine: {reason}";
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_catalogue_is_well_formed() {
        assert_eq!(
            launchpad_core::catalogue::problems(&[super::CATALOGUE]),
            Vec::<String>::new()
        );
    }
}
