//! KubernetesService's catalogue (LP7xxx): every message about a
//! KubernetesService's own inputs — object names, namespaces, labels and
//! hosts as the API server checks them, resource quantities, replicas and
//! the autoscaler's range, environment variables, and the one way the
//! service is exposed. The image reference check it shares with the other
//! container components is the crate's ([`crate::errors`], LP12xx); reading
//! inputs (ranges, types, required properties) is core's (LP10xx). See
//! [`launchpad_core::catalogue`] for the rules.

use std::fmt::Display;

launchpad_core::catalogue! {
    area = "KubernetesService";

    /// Every object the component creates is named `name`, and a Service's
    /// name must be a DNS-1035 label so that its DNS name
    /// (`<name>.<namespace>.svc.cluster.local`) works. Give a name of
    /// lower-case letters, digits and `-`.
    LP7001 input invalid_name(property = "name", value: impl Display)
        = "name={value} is not a valid Kubernetes Service name: 1-63 lower-case letters, digits and `-`, starting with a letter and ending with a letter or digit (a DNS-1035 label), for example \"api\"";

    /// Without `name`, the objects are named after the component's own
    /// (Pulumi) name, which here is not a DNS-1035 label. Set `name`, or
    /// rename the component.
    LP7002 input component_name_not_a_label(property = "name", value: impl Display)
        = "the component's name {value} is not a valid Kubernetes Service name (1-63 lower-case letters, digits and `-`, starting with a letter and ending with a letter or digit); set `name`, for example \"api\"";

    /// A namespace's name is a DNS-1123 label. Fix the name (`kubectl get
    /// namespaces` lists them).
    LP7003 input invalid_namespace(property, value: impl Display)
        = "{property}={value} is not a valid namespace: 1-63 lower-case letters, digits and `-`, starting and ending with a letter or digit (a DNS-1123 label), for example \"payments\"";

    /// Secrets, ConfigMaps, service accounts, Gateways and IngressClasses
    /// are named by DNS-1123 subdomains. Fix the name (`kubectl get <kind>`
    /// lists them).
    LP7004 input invalid_kubernetes_object_name(property, value: impl Display)
        = "{property}={value} is not a valid Kubernetes object name: at most 253 lower-case letters, digits, `-` and `.`, starting and ending with a letter or digit (a DNS-1123 subdomain), for example \"api-secrets\"";

    /// A label or annotation key is `[prefix/]name`: an optional DNS
    /// subdomain prefix (at most 253) and a name of at most 63 letters,
    /// digits, `-`, `_` and `.`, starting and ending with a letter or digit.
    /// Rename the key.
    LP7005 input invalid_kubernetes_label_key(property, key: impl Display)
        = "{property}: the key {key} is not valid: `[prefix/]name`, the name 1-63 letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit, the prefix a DNS subdomain (for example \"team\" or \"example.com/team\")";

    /// A label value is at most 63 letters, digits, `-`, `_` and `.`,
    /// starting and ending with a letter or digit, or empty. The API server
    /// refuses anything else. Change the value.
    LP7006 input invalid_kubernetes_label_value(property, value: impl Display)
        = "{property}={value} is not a valid label value: at most 63 letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit (or empty)";

    /// The Deployment selects its pods by `app.kubernetes.io/name` and
    /// `app.kubernetes.io/instance`, which the component sets from `name`;
    /// a selector cannot change after creation, so `labels` may not set
    /// them. Use another key.
    LP7007 input selector_label(property)
        = "{property} is the label the Deployment selects its pods by, set from `name`; use another key";

    /// Kubernetes takes a variable name of letters, digits, `_`, `-` and
    /// `.`, not starting with a digit. Rename the variable.
    LP7008 input invalid_kubernetes_env_name(property, map: impl Display, name: impl Display)
        = "{map}.{name} is not a valid environment variable name; use letters, digits, `_`, `-` and `.`, not starting with a digit (for example DATABASE_URL)";

    /// A variable may be set once: by `environment`, `secrets` or
    /// `configMaps`. The container would get only one of the values. Keep
    /// it in one map.
    LP7009 input variable_set_twice(property, name: impl Display, first: impl Display, second: impl Display)
        = "{name} is set in both `{first}` and `{second}`; keep it in one of them";

    /// CPU and memory are Kubernetes quantities: a number and a suffix —
    /// `250m` (thousandths) or `0.5` CPU, `512Mi`, `1Gi` (powers of 1024) or
    /// `1G`, `500M` (powers of 1000) of memory. `MB`, `GB` and `GiB` are not
    /// suffixes Kubernetes knows; the message suggests the spelling meant.
    LP7010 input invalid_quantity(property, value: impl Display, hint: impl Display, examples: impl Display)
        = "{property}={value} is not a Kubernetes quantity{hint}; for example {examples}";

    /// A request or limit of zero (or less) is no request: the scheduler
    /// would place the pod anywhere and the kernel would kill it at once.
    /// Give a size above zero.
    LP7011 input quantity_not_positive(property, value: impl Display)
        = "{property}={value} must be more than zero";

    /// In a memory quantity `m` means thousandths of a byte, so `512m` asks
    /// for half a byte (Kubernetes' docs warn about it). Write `Mi` for
    /// mebibytes.
    LP7012 input memory_in_millibytes(property, value: impl Display, meant: impl Display)
        = "{property}={value} is in thousandths of a byte (`m`); did you mean {meant}?";

    /// A container may not be limited to less CPU than it requests: the API
    /// server refuses it. Raise `cpuLimit`, or lower `cpu`.
    LP7013 input cpu_limit_below_request(property = "cpuLimit", value: impl Display, cpu: impl Display)
        = "cpuLimit={value} is less than cpu={cpu}; a limit is at least the request: raise cpuLimit or lower cpu";

    /// The autoscaler keeps the count between `minReplicas` and
    /// `maxReplicas`. Make `minReplicas` at most `maxReplicas`.
    LP7014 input min_replicas_above_max(property = "autoscaling.minReplicas", value: impl Display, max: impl Display)
        = "autoscaling.minReplicas={value} is more than autoscaling.maxReplicas={max}";

    /// With autoscaling on, the HorizontalPodAutoscaler owns the number of
    /// pods and `replicas` is never sent (a deploy would reset what the
    /// autoscaler chose); a `replicas` outside its range contradicts it.
    /// Raise `autoscaling.maxReplicas` (or lower `minReplicas`), or turn
    /// autoscaling off with `autoscaling.enabled: false`.
    LP7015 input replicas_outside_autoscaling(property = "replicas", value: impl Display, min: impl Display, max: impl Display)
        = "replicas={value} is outside autoscaling's range of {min} to {max}: with autoscaling the HorizontalPodAutoscaler owns the count; raise autoscaling.maxReplicas (or lower autoscaling.minReplicas) or set autoscaling.enabled=false";

    /// A service is exposed through an Ingress or through a Gateway API
    /// HTTPRoute, not both. Remove one of `ingress` and `httpRoute`.
    LP7016 input two_exposures(property = "httpRoute")
        = "ingress and httpRoute are both set; expose the service one way: remove one of them";

    /// The NetworkPolicy (on by default) lets only the listed namespaces
    /// reach the pods, so it must know where the ingress controller runs.
    /// Set `ingress.controllerNamespace` to the namespace of the ingress
    /// controller's pods (`kubectl get pods -A -l
    /// app.kubernetes.io/name=ingress-nginx` finds ingress-nginx's), or turn
    /// the policy off with `networkPolicy.enabled: false`.
    LP7017 input controller_namespace_required(property = "ingress.controllerNamespace")
        = "ingress.controllerNamespace is not set, and the NetworkPolicy lets only listed namespaces reach the pods: set it to the namespace the ingress controller's pods run in (for example \"ingress-nginx\"), or set networkPolicy.enabled=false";

    /// A host is a DNS name of lower-case letters, digits and `-` in labels
    /// of at most 63 separated by `.`, at most 253 in all; `*.` may start it
    /// for every subdomain. Fix the host.
    LP7018 input invalid_host(property, value: impl Display)
        = "{property}={value} is not a valid host name: lower-case DNS labels of 1-63 letters, digits and `-` separated by `.`, at most 253 characters, optionally starting with `*.` (for example \"api.example.com\")";

    /// An Ingress needs at least one host to route. List the service's host
    /// names in `ingress.hosts`.
    LP7019 input no_hosts(property = "ingress.hosts")
        = "ingress.hosts is empty; list at least one host, for example [\"api.example.com\"]";

    /// A path is matched from the start of the URL path, so it starts with
    /// `/` and has no spaces.
    LP7020 input invalid_path(property, value: impl Display)
        = "{property}={value} must start with `/` and have no spaces, for example \"/\" or \"/healthz\"";

    /// Without creating its own service account, the pods run as an
    /// existing one, which must be named. Set `serviceAccount.name`, or
    /// leave `serviceAccount.create` at `true`.
    LP7021 input service_account_name_required(property = "serviceAccount.name")
        = "serviceAccount.name is not set and serviceAccount.create=false: name the existing service account the pods run as, or set serviceAccount.create=true";

    /// A key of a Secret or ConfigMap is at most 253 letters, digits, `-`,
    /// `_` and `.` (`kubectl describe secret <name>` lists them). Fix the key.
    LP7022 input invalid_data_key(property, value: impl Display)
        = "{property}={value} is not a valid Secret or ConfigMap key: 1-253 letters, digits, `-`, `_` and `.`, for example \"database-url\"";

    /// `createNamespace` creates the namespace named by `namespace`, which
    /// is not set. Set `namespace`, or leave `createNamespace` off to use the
    /// provider's namespace.
    LP7023 input namespace_to_create_not_named(property = "createNamespace")
        = "createNamespace=true needs `namespace`, the namespace to create; set namespace (for example \"payments\") or createNamespace=false";

    /// An Ingress `Prefix` path and an HTTPRoute `PathPrefix` are matched
    /// segment by segment, so the API server refuses a path with an empty,
    /// `.` or `..` segment or an encoded `/` (`%2f`), and the HTTPRoute's
    /// CRD a `#` or more than 1024 characters. Write the path as a browser
    /// would send it, for example `/api/v1`.
    LP7024 input invalid_route_path(property, value: impl Display, what: impl Display)
        = "{property}={value} must not {what}: the API server refuses it in a path prefix; write the path as a browser sends it, for example \"/api/v1\"";
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
