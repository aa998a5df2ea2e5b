//! launchpad-core's catalogue (LP10xx): what every component and native
//! resource reports the same way — the input reader's refusals (LP1001–LP1049)
//! and the runtime errors every native resource can end with (LP1050–LP1099).
//!
//! The reader ([`crate::args`]) and the lifecycle context ([`crate::custom`])
//! call these constructors; components call them for the same problems
//! (a missing nested property). See [`crate::catalogue`] for the rules.

use std::fmt::Display;

crate::catalogue! {
    area = "core";

    /// The object has a property its schema does not declare: usually a typo
    /// (`sap` for `spa`) or an input of a newer launchpad than the plugin that
    /// runs. Use one of the listed names, or upgrade the plugin.
    LP1001 input unknown_property(property, valid: impl Display)
        = "unknown property `{property}`; valid properties: {valid}";

    /// A required input is not set (or is `null`). Set it; the component's
    /// page lists which inputs are required.
    LP1002 input missing_required(property)
        = "missing required property `{property}`";

    /// The value has the wrong type: a string where a number belongs, a list
    /// where an object does. `{expected}` is `a string`, `a boolean`, `a
    /// number`, `an integer`, `one of …` (an enum's choices), `a list`, `a map`
    /// or `an object`; `{got}` describes what came, never quoting a secret.
    LP1003 input wrong_type(property, expected: impl Display, got: impl Display)
        = "`{property}` must be {expected}, got {got}";

    /// The value is not one of the enum's choices (`{name}` is the property's
    /// own name, `{value}` is `[secret]` for a secret). Give one of the listed
    /// values; they are case sensitive.
    LP1004 input not_a_choice(property, name: impl Display, value: impl Display, choices: impl Display)
        = "{name}={value} is not valid; valid: {choices}";

    /// The component has to inspect this value to plan its children, but it
    /// is another resource's output that does not exist yet (during a first
    /// preview, say). Pass a value known when the program runs, or create the
    /// other resource first.
    LP1005 input not_known_yet(property)
        = "`{property}` must be known when the program runs; it is computed from another resource's output";

    /// The value must be a whole number in the range shown. Give one inside it.
    LP1006 input whole_number_out_of_range(property, value: impl Display, min: u32, max: u32)
        = "{property}={value} is not valid; it must be a whole number from {min} to {max}";

    /// The value must be a whole number no smaller than the one shown. Give one
    /// that is.
    LP1007 input whole_number_too_small(property, value: impl Display, min: u32)
        = "{property}={value} is not valid; it must be a whole number from {min}";

    /// A bug in launchpad: a component reads a property its own schema does
    /// not declare. Nothing you can fix in your program; please report it with
    /// the message.
    LP1008 input internal_undeclared_property(property)
        = "internal error in launchpad: property `{property}` is not declared in the component's schema; please report this";

    /// A bug in launchpad: a component reads a property as an object that its
    /// schema declares as another type. Please report it with the message.
    LP1009 input internal_not_an_object(property)
        = "internal error in launchpad: property `{property}` is not an object in the component's schema; please report this";

    /// A bug in launchpad: a component reads a property as a map of objects
    /// that its schema declares as another type. Please report it with the message.
    LP1010 input internal_not_a_map_of_objects(property)
        = "internal error in launchpad: property `{property}` is not a map of objects in the component's schema; please report this";

    /// A bug in launchpad: a component reads a property as a list of objects
    /// that its schema declares as another type. Please report it with the message.
    LP1011 input internal_not_a_list_of_objects(property)
        = "internal error in launchpad: property `{property}` is not a list of objects in the component's schema; please report this";

    /// A bug in launchpad: a component reads another resource's outputs that
    /// Construct did not fetch from the engine. Please report it with the message.
    LP1012 input internal_outputs_not_read(property, urn: impl Display)
        = "internal error in launchpad: the outputs of {urn}, given as `{property}`, were not read; please report this";

    /// The user cancelled the update (Ctrl-C); the engine called Cancel. The
    /// resource stopped before changing anything that needs recording; run
    /// the update again to finish.
    LP1050 runtime cancelled() = "cancelled";

    /// The operation's deadline (`customTimeouts`) passed before the cloud
    /// finished. Raise the resource's `customTimeouts` if it needs longer,
    /// then run the update again.
    LP1051 runtime timed_out(after: impl Display)
        = "timed out after {after}; raise the resource's customTimeouts if it needs longer";

    /// The engine passed a resource ID that is not of the resource type's
    /// form: usually one typed in `pulumi import`, or a state edited by
    /// hand. Nothing was asked of the cloud. Give the ID in the form shown
    /// (the resource's page says where to find its parts).
    LP1052 runtime malformed_id(id: impl Display, resource: impl Display, form: impl Display)
        = "`{id}` is not a {resource} ID; a {resource} ID is {form}";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_is_well_formed() {
        assert_eq!(
            crate::catalogue::problems(&[CATALOGUE]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn constructors_format_the_template_with_their_parameters() {
        let e = whole_number_out_of_range("port", "0", 1, 65535);
        assert_eq!(e.code, "LP1006");
        assert_eq!(e.property, "port");
        assert_eq!(
            e.message,
            "port=0 is not valid; it must be a whole number from 1 to 65535"
        );
        assert_eq!(cancelled().code, "LP1050");
        assert_eq!(
            malformed_id("i", "NeonBranch", "`<projectId>/<branchId>`").message,
            "`i` is not a NeonBranch ID; a NeonBranch ID is `<projectId>/<branchId>`"
        );
    }
}
