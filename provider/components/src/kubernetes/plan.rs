//! The KubernetesService planner: validated args → the Kubernetes objects
//! (pulumi-kubernetes children): a namespace when asked for, a service
//! account, the Deployment, its Service, an autoscaler, a disruption budget,
//! a NetworkPolicy, and an Ingress or HTTPRoute. One function per object and
//! a short [`plan`] composing them. Every object is named `metadata.name =
//! <name>`: a Service's DNS name must be stable, so names are fixed and a
//! replacement deletes the old object first.

use std::collections::BTreeMap;

use launchpad_core::{ChildResource, ComponentPlan, ConstructContext, Expr, Input, Value};

use super::args::{KubernetesArgs, SELECTOR_LABELS};
use crate::KUBERNETES_PROVIDER_VERSION;

/// Child keys, one place.
pub mod key {
    #![allow(missing_docs)]
    pub const NAMESPACE: &str = "namespace";
    pub const SERVICE_ACCOUNT: &str = "serviceAccount";
    pub const DEPLOYMENT: &str = "deployment";
    pub const SERVICE: &str = "service";
    pub const AUTOSCALER: &str = "autoscaler";
    pub const DISRUPTION_BUDGET: &str = "disruptionBudget";
    pub const NETWORK_POLICY: &str = "networkPolicy";
    pub const INGRESS: &str = "ingress";
    pub const HTTP_ROUTE: &str = "httpRoute";
}

/// pulumi-kubernetes type tokens, one place. `kubernetes:<group>/<version>:<Kind>` of a
/// kind the provider has no schema for (HTTPRoute) is a custom resource.
pub mod token {
    #![allow(missing_docs)]
    pub const NAMESPACE: &str = "kubernetes:core/v1:Namespace";
    pub const SERVICE_ACCOUNT: &str = "kubernetes:core/v1:ServiceAccount";
    pub const DEPLOYMENT: &str = "kubernetes:apps/v1:Deployment";
    pub const SERVICE: &str = "kubernetes:core/v1:Service";
    pub const AUTOSCALER: &str = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
    pub const DISRUPTION_BUDGET: &str = "kubernetes:policy/v1:PodDisruptionBudget";
    pub const NETWORK_POLICY: &str = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
    pub const INGRESS: &str = "kubernetes:networking.k8s.io/v1:Ingress";
    pub const HTTP_ROUTE: &str = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute";
}

/// The container's name in the pod.
const CONTAINER: &str = "app";
/// The container port's name, which the Service, Ingress and probes target.
const PORT_NAME: &str = "http";
/// The writable scratch volume beside a read-only root file system.
const TMP_VOLUME: &str = "tmp";
/// The namespace label every namespace carries (Kubernetes sets it), by which
/// the NetworkPolicy selects namespaces.
const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";
/// Seconds between startup checks; `startupTimeoutSeconds` is this × failureThreshold.
const STARTUP_PERIOD_SECONDS: f64 = 5.0;
/// What the Deployment controller allows a rollout without progress by default
/// (`progressDeadlineSeconds`), and pulumi-kubernetes a Deployment's await: time
/// to schedule a pod and pull its image. A pod's startup budget comes on top.
const ROLLOUT_ALLOWANCE_SECONDS: f64 = 600.0;
/// The annotation by which pulumi-kubernetes waits longer than its 10 minutes.
const AWAIT_TIMEOUT_ANNOTATION: &str = "pulumi.com/timeoutSeconds";
/// The cert-manager annotation that has it issue the Ingress's TLS certificate.
const CLUSTER_ISSUER_ANNOTATION: &str = "cert-manager.io/cluster-issuer";

/// Plan the children of a KubernetesService named `ctx.name`.
pub fn plan(ctx: &ConstructContext, args: &KubernetesArgs) -> ComponentPlan {
    let object = Objects { ctx, args };
    let mut children = Vec::new();
    if *args.inputs.create_namespace {
        children.push(object.namespace());
    }
    if *args.inputs.service_account.create {
        children.push(object.service_account());
    }
    children.push(object.deployment());
    children.push(object.service());
    if args.autoscaled() {
        children.push(object.autoscaler());
    }
    if *args.inputs.pod_disruption_budget && args.most_replicas() > 1.0 {
        children.push(object.disruption_budget());
    }
    if *args.inputs.network_policy.enabled {
        children.push(object.network_policy());
    }
    children.extend(object.ingress());
    children.extend(object.http_route());

    let service = |property| Expr::output(key::SERVICE, property);
    // A provider that renders YAML reports no namespace for objects written without one.
    let namespace = || service("metadata.namespace").or("default");
    let mut outputs: BTreeMap<String, Expr> = [
        ("name", service("metadata.name")),
        ("serviceName", service("metadata.name")),
        ("namespace", namespace()),
        (
            "clusterDns",
            Expr::Concat(vec![
                service("metadata.name"),
                ".".into(),
                namespace(),
                ".svc.cluster.local".into(),
            ]),
        ),
        (
            "deploymentName",
            Expr::output(key::DEPLOYMENT, "metadata.name"),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    if let Some(url) = object.url() {
        outputs.insert("url".to_string(), url);
    }
    ComponentPlan {
        children,
        outputs,
        ..ComponentPlan::default()
    }
}

/// The objects of one KubernetesService, each built from the same args.
struct Objects<'a> {
    ctx: &'a ConstructContext,
    args: &'a KubernetesArgs,
}

impl Objects<'_> {
    /// A pulumi-kubernetes child at the pinned version, with the `apiVersion`
    /// and `kind` of its token: the provider picks the API endpoint from the
    /// object's own, which its SDKs always send. Its name is fixed, so a
    /// replacement must delete the old object first or collide with it; and it
    /// waits for the namespace when the component creates it.
    fn child(&self, key: &str, token: &str) -> ChildResource {
        let creates_namespace = *self.args.inputs.create_namespace && key != key::NAMESPACE;
        let (api_version, kind) = api_version_and_kind(token);
        ChildResource::new(key, token, format!("{}-{key}", self.ctx.name))
            .input("apiVersion", api_version)
            .input("kind", kind)
            .with_options(|o| {
                o.version = Some(KUBERNETES_PROVIDER_VERSION.to_string());
                o.delete_before_replace = Some(true);
                if creates_namespace {
                    o.depends_on.push(key::NAMESPACE.to_string());
                }
            })
    }

    /// `app.kubernetes.io/name` and `/instance`: what the Deployment selects its
    /// pods by. Selectors cannot change, so nothing else goes in.
    fn selector(&self) -> Expr {
        Expr::Object(self.selector_labels())
    }

    /// The selector's labels, each `name`.
    fn selector_labels(&self) -> BTreeMap<String, Expr> {
        SELECTOR_LABELS
            .iter()
            .map(|k| (k.to_string(), Expr::from(self.args.name.as_str())))
            .collect()
    }

    /// Labels of an object: the selector's, `managed-by`, the image's version
    /// (on the Deployment and its pods only, so a new image touches no other
    /// object), then the user's.
    fn labels(&self, with_version: bool) -> BTreeMap<String, Expr> {
        let mut labels = self.selector_labels();
        // pulumi-kubernetes keeps it with server-side apply (its default); with
        // client-side apply it writes its own `pulumi` over it.
        labels.insert("app.kubernetes.io/managed-by".into(), "launchpad".into());
        if let (true, Some(version)) = (with_version, &self.args.version_label) {
            labels.insert("app.kubernetes.io/version".into(), version.as_str().into());
        }
        for (k, v) in &self.args.inputs.labels {
            labels.insert(k.clone(), Expr::Value(v.clone()));
        }
        labels
    }

    /// `metadata` of a namespaced object: its name, the namespace when given,
    /// labels (with the image's version on the Deployment).
    fn metadata(&self, with_version: bool) -> BTreeMap<String, Expr> {
        let mut m = BTreeMap::from([
            ("name".to_string(), Expr::from(self.args.name.as_str())),
            (
                "labels".to_string(),
                Expr::Object(self.labels(with_version)),
            ),
        ]);
        if let Some(ns) = &self.args.inputs.namespace {
            m.insert("namespace".into(), Expr::Value(ns.clone()));
        }
        m
    }

    /// The namespace, labelled to enforce the restricted Pod Security Standard.
    fn namespace(&self) -> ChildResource {
        let mut labels = self.labels(false);
        labels.insert(
            "pod-security.kubernetes.io/enforce".into(),
            "restricted".into(),
        );
        labels.insert(
            "pod-security.kubernetes.io/enforce-version".into(),
            "latest".into(),
        );
        let name = self.args.inputs.namespace.clone().unwrap_or(Value::Null);
        self.child(key::NAMESPACE, token::NAMESPACE).input(
            "metadata",
            Expr::object([
                ("name", Expr::Value(name)),
                ("labels", Expr::Object(labels)),
            ]),
        )
    }

    /// The pods' own identity, with no API token mounted.
    fn service_account(&self) -> ChildResource {
        let account = &self.args.inputs.service_account;
        let mut metadata = self.metadata(false);
        metadata.insert("name".into(), Expr::Value(self.args.service_account_name()));
        if !account.annotations.is_empty() {
            metadata.insert("annotations".into(), values(&account.annotations));
        }
        self.child(key::SERVICE_ACCOUNT, token::SERVICE_ACCOUNT)
            .input("metadata", Expr::Object(metadata))
            .input("automountServiceAccountToken", false)
    }

    /// The Deployment: a rolling update that never drops below the current
    /// count, spread over zones and nodes, waited for as long as a pod may
    /// take to start; no `replicas` while an autoscaler owns the count.
    fn deployment(&self) -> ChildResource {
        let mut spec = vec![
            ("selector", Expr::object([("matchLabels", self.selector())])),
            (
                "strategy",
                Expr::object([
                    ("type", "RollingUpdate".into()),
                    (
                        "rollingUpdate",
                        Expr::object([("maxUnavailable", 0.0.into()), ("maxSurge", "25%".into())]),
                    ),
                ]),
            ),
            (
                "template",
                Expr::object([
                    (
                        "metadata",
                        Expr::object([("labels", Expr::Object(self.labels(true)))]),
                    ),
                    ("spec", self.pod()),
                ]),
            ),
        ];
        // Neither the controller nor the provider may give up on a pod before
        // its startup probe does.
        let deadline = (ROLLOUT_ALLOWANCE_SECONDS
            + *self.args.inputs.health_check.startup_timeout_seconds)
            .ceil();
        spec.push(("progressDeadlineSeconds", deadline.into()));
        if !self.args.autoscaled() {
            let replicas = match &self.args.inputs.replicas {
                Some(r) => Value::from(r),
                None => Value::Number(self.args.replicas()),
            };
            spec.push(("replicas", Expr::Value(replicas)));
        }
        let mut metadata = self.metadata(true);
        metadata.insert(
            "annotations".into(),
            Expr::object([(AWAIT_TIMEOUT_ANNOTATION, format!("{deadline}").into())]),
        );
        let mut deployment = self
            .child(key::DEPLOYMENT, token::DEPLOYMENT)
            .input("metadata", Expr::Object(metadata))
            .input("spec", Expr::object(spec));
        if *self.args.inputs.service_account.create {
            // Pods of an account that does not exist yet are refused.
            deployment = deployment.with_options(|o| {
                o.depends_on.push(key::SERVICE_ACCOUNT.to_string());
            });
        }
        deployment
    }

    /// The pod: restricted Pod Security Standard, its account, one container.
    fn pod(&self) -> Expr {
        let i = &self.args.inputs;
        let mut security = vec![
            ("runAsNonRoot", Expr::from(true)),
            (
                "seccompProfile",
                Expr::object([("type", "RuntimeDefault".into())]),
            ),
        ];
        for (name, id) in [
            ("runAsUser", &i.run_as_user),
            ("runAsGroup", &i.run_as_group),
            ("fsGroup", &i.fs_group),
        ] {
            if let Some(id) = id {
                security.push((name, Expr::Value(Value::from(id))));
            }
        }
        let spread = ["topology.kubernetes.io/zone", "kubernetes.io/hostname"].map(|topology| {
            Expr::object([
                ("maxSkew", 1.0.into()),
                ("topologyKey", topology.into()),
                ("whenUnsatisfiable", "ScheduleAnyway".into()),
                (
                    "labelSelector",
                    Expr::object([("matchLabels", self.selector())]),
                ),
            ])
        });
        let mut pod = vec![
            (
                "serviceAccountName",
                Expr::Value(self.args.service_account_name()),
            ),
            (
                "automountServiceAccountToken",
                Value::from(&i.service_account.automount_token).into(),
            ),
            (
                "terminationGracePeriodSeconds",
                Value::from(&i.termination_grace_period_seconds).into(),
            ),
            ("securityContext", Expr::object(security)),
            ("topologySpreadConstraints", Expr::Array(spread.into())),
            ("containers", Expr::Array(vec![self.container()])),
        ];
        if let Some(secrets) = &i.image_pull_secrets {
            pod.push((
                "imagePullSecrets",
                each_name(secrets, |name| Expr::object([("name", name)])),
            ));
        }
        if *i.read_only_root_filesystem {
            pod.push((
                "volumes",
                Expr::Array(vec![Expr::object([
                    ("name", TMP_VOLUME.into()),
                    ("emptyDir", Expr::object::<&str>([])),
                ])]),
            ));
        }
        Expr::object(pod)
    }

    /// The container: image, port, resources, environment, probes, and a
    /// security context that drops every privilege.
    fn container(&self) -> Expr {
        let i = &self.args.inputs;
        let mut limits = vec![("memory", Expr::Value(Value::from(&i.memory)))];
        if let Some(cpu) = &i.cpu_limit {
            limits.push(("cpu", Expr::Value(Value::from(cpu))));
        }
        let mut c = vec![
            ("name", CONTAINER.into()),
            ("image", Expr::Value(i.image.clone())),
            (
                "ports",
                Expr::Array(vec![Expr::object([
                    ("name", PORT_NAME.into()),
                    ("containerPort", Value::from(&i.port).into()),
                    ("protocol", "TCP".into()),
                ])]),
            ),
            (
                "resources",
                Expr::object([
                    (
                        "requests",
                        Expr::object([
                            ("cpu", Value::from(&i.cpu).into()),
                            ("memory", Value::from(&i.memory).into()),
                        ]),
                    ),
                    ("limits", Expr::object(limits)),
                ]),
            ),
            (
                "securityContext",
                Expr::object([
                    ("allowPrivilegeEscalation", false.into()),
                    (
                        "capabilities",
                        Expr::object([("drop", Expr::strings(&["ALL"]))]),
                    ),
                    (
                        "readOnlyRootFilesystem",
                        Value::from(&i.read_only_root_filesystem).into(),
                    ),
                    ("runAsNonRoot", true.into()),
                ]),
            ),
        ];
        for (name, list) in [("command", &i.command), ("args", &i.args)] {
            if let Some(list) = list {
                c.push((name, Expr::Value(list.clone())));
            }
        }
        let env = self.environment();
        if !env.is_empty() {
            c.push(("env", Expr::Array(env)));
        }
        if let Some(env_from) = self.env_from() {
            c.push(("envFrom", env_from));
        }
        if *i.read_only_root_filesystem {
            c.push((
                "volumeMounts",
                Expr::Array(vec![Expr::object([
                    ("name", TMP_VOLUME.into()),
                    ("mountPath", "/tmp".into()),
                ])]),
            ));
        }
        c.extend(self.probes());
        Expr::object(c)
    }

    /// Variables: plain values, then keys of Secrets, then keys of ConfigMaps.
    fn environment(&self) -> Vec<Expr> {
        let i = &self.args.inputs;
        let plain = i.environment.iter().map(|(name, value)| {
            Expr::object([
                ("name", name.as_str().into()),
                ("value", Expr::Value(value.clone())),
            ])
        });
        let refs = [
            ("secretKeyRef", &i.secrets),
            ("configMapKeyRef", &i.config_maps),
        ]
        .into_iter()
        .flat_map(|(kind, refs)| {
            refs.iter().map(move |(name, r)| {
                Expr::object([
                    ("name", name.as_str().into()),
                    (
                        "valueFrom",
                        Expr::object([(
                            kind,
                            Expr::object([
                                ("name", Expr::Value(r.name.clone())),
                                ("key", Expr::Value(r.key.clone())),
                            ]),
                        )]),
                    ),
                ])
            })
        });
        plain.chain(refs).collect()
    }

    /// Whole Secrets, then whole ConfigMaps, as variables.
    fn env_from(&self) -> Option<Expr> {
        let i = &self.args.inputs;
        let mut sources = Vec::new();
        for (kind, list) in [
            ("secretRef", &i.env_from_secrets),
            ("configMapRef", &i.env_from_config_maps),
        ] {
            let Some(list) = list else { continue };
            match each_name(list, |name| {
                Expr::object([(kind, Expr::object([("name", name)]))])
            }) {
                Expr::Array(more) => sources.extend(more),
                // A list unknown until another resource exists makes the whole one unknown.
                unknown => return Some(unknown),
            }
        }
        (!sources.is_empty()).then_some(Expr::Array(sources))
    }

    /// Startup, readiness and liveness probes on the `http` port: an HTTP GET
    /// of `path`, or a TCP connection. The startup probe allows
    /// `startupTimeoutSeconds`; the others start once it has succeeded.
    fn probes(&self) -> Vec<(&'static str, Expr)> {
        let h = &self.args.inputs.health_check;
        let action = || match &h.path {
            Some(path) => (
                "httpGet",
                Expr::object([
                    ("path", Value::from(path).into()),
                    ("port", PORT_NAME.into()),
                ]),
            ),
            None => ("tcpSocket", Expr::object([("port", PORT_NAME.into())])),
        };
        let probe = |period: Expr, failures: Expr| {
            let (kind, check) = action();
            Expr::object([
                (kind, check),
                ("periodSeconds", period),
                ("failureThreshold", failures),
            ])
        };
        let startup_failures = (*h.startup_timeout_seconds / STARTUP_PERIOD_SECONDS).ceil();
        let period = || Value::from(&h.period_seconds).into();
        let failures = || Value::from(&h.failure_threshold).into();
        vec![
            (
                "startupProbe",
                probe(STARTUP_PERIOD_SECONDS.into(), startup_failures.into()),
            ),
            ("readinessProbe", probe(period(), failures())),
            ("livenessProbe", probe(period(), failures())),
        ]
    }

    /// The ClusterIP Service on `servicePort`, forwarding to the `http` port.
    fn service(&self) -> ChildResource {
        self.child(key::SERVICE, token::SERVICE)
            .input("metadata", Expr::Object(self.metadata(false)))
            .input(
                "spec",
                Expr::object([
                    ("type", "ClusterIP".into()),
                    ("selector", self.selector()),
                    (
                        "ports",
                        Expr::Array(vec![Expr::object([
                            ("name", PORT_NAME.into()),
                            ("port", Value::from(&self.args.inputs.service_port).into()),
                            ("targetPort", PORT_NAME.into()),
                            ("protocol", "TCP".into()),
                        ])]),
                    ),
                ]),
            )
    }

    /// The HorizontalPodAutoscaler (autoscaling/v2) of the Deployment.
    fn autoscaler(&self) -> ChildResource {
        let a = &self.args.inputs.autoscaling;
        let target = |resource: &str, percent: &Input<f64>| {
            Expr::object([
                ("type", "Resource".into()),
                (
                    "resource",
                    Expr::object([
                        ("name", resource.into()),
                        (
                            "target",
                            Expr::object([
                                ("type", "Utilization".into()),
                                ("averageUtilization", Value::from(percent).into()),
                            ]),
                        ),
                    ]),
                ),
            ])
        };
        let mut metrics = vec![target("cpu", &a.cpu_utilization)];
        if let Some(memory) = &a.memory_utilization {
            metrics.push(target("memory", memory));
        }
        self.child(key::AUTOSCALER, token::AUTOSCALER)
            .input("metadata", Expr::Object(self.metadata(false)))
            .input(
                "spec",
                Expr::object([
                    (
                        "scaleTargetRef",
                        Expr::object([
                            ("apiVersion", "apps/v1".into()),
                            ("kind", "Deployment".into()),
                            ("name", Expr::from(self.args.name.as_str())),
                        ]),
                    ),
                    ("minReplicas", Value::from(&a.min_replicas).into()),
                    ("maxReplicas", Value::from(&a.max_replicas).into()),
                    ("metrics", Expr::Array(metrics)),
                ]),
            )
            .with_options(|o| o.depends_on.push(key::DEPLOYMENT.to_string()))
    }

    /// At most one pod down at a time for a voluntary disruption (a node drain).
    fn disruption_budget(&self) -> ChildResource {
        self.child(key::DISRUPTION_BUDGET, token::DISRUPTION_BUDGET)
            .input("metadata", Expr::Object(self.metadata(false)))
            .input(
                "spec",
                Expr::object([
                    ("maxUnavailable", 1.0.into()),
                    ("selector", Expr::object([("matchLabels", self.selector())])),
                ]),
            )
    }

    /// Deny every connection to the pods but TCP to the container port from
    /// the namespaces allowed: the own one, those listed, and the ingress
    /// controller's or the Gateway's.
    fn network_policy(&self) -> ChildResource {
        let i = &self.args.inputs;
        let own_namespace = || Expr::object([("podSelector", Expr::object::<&str>([]))]);
        let namespace_named = |ns: &Value| {
            Expr::object([(
                "namespaceSelector",
                Expr::object([(
                    "matchLabels",
                    Expr::object([(NAMESPACE_NAME_LABEL, Expr::Value(ns.clone()))]),
                )]),
            )])
        };
        let mut peers = Vec::new();
        if *i.network_policy.allow_same_namespace {
            peers.push(own_namespace());
        }
        let listed = i.network_policy.allow_from_namespaces.as_ref();
        // `In` with no values is refused; an empty list allows nobody more.
        let empty = |v: &Value| matches!(v.unwrap_top().0, Some(Value::Array(a)) if a.is_empty());
        if let Some(list) = listed.filter(|v| !empty(v)) {
            peers.push(Expr::object([(
                "namespaceSelector",
                Expr::object([(
                    "matchExpressions",
                    Expr::Array(vec![Expr::object([
                        ("key", NAMESPACE_NAME_LABEL.into()),
                        ("operator", "In".into()),
                        ("values", Expr::Value(list.clone())),
                    ])]),
                )]),
            )]));
        }
        if let Some(ns) = i
            .ingress
            .as_ref()
            .and_then(|g| g.controller_namespace.as_ref())
        {
            peers.push(namespace_named(ns));
        }
        if let Some(route) = &i.http_route {
            match &route.gateway_namespace {
                Some(ns) => peers.push(namespace_named(ns)),
                // The Gateway is in the service's own namespace.
                None if !*i.network_policy.allow_same_namespace => peers.push(own_namespace()),
                None => {}
            }
        }
        // A rule without peers would allow everyone: no rule at all denies all.
        let rules = if peers.is_empty() {
            vec![]
        } else {
            vec![Expr::object([
                ("from", Expr::Array(peers)),
                (
                    "ports",
                    Expr::Array(vec![Expr::object([
                        ("protocol", "TCP".into()),
                        ("port", Value::from(&i.port).into()),
                    ])]),
                ),
            ])]
        };
        self.child(key::NETWORK_POLICY, token::NETWORK_POLICY)
            .input("metadata", Expr::Object(self.metadata(false)))
            .input(
                "spec",
                Expr::object([
                    (
                        "podSelector",
                        Expr::object([("matchLabels", self.selector())]),
                    ),
                    ("policyTypes", Expr::strings(&["Ingress"])),
                    ("ingress", Expr::Array(rules)),
                ]),
            )
    }

    /// The TLS Secret of the Ingress: `tlsSecretName`, else `<name>-tls` when
    /// cert-manager issues it; none without either.
    fn tls_secret(&self) -> Option<Value> {
        let ingress = self.args.inputs.ingress.as_ref()?;
        match (
            &ingress.tls_secret_name,
            &ingress.cert_manager_cluster_issuer,
        ) {
            (Some(name), _) => Some(name.clone()),
            (None, Some(_)) => Some(Value::string(format!("{}-tls", self.args.name))),
            (None, None) => None,
        }
    }

    /// The Ingress: each host's `path` prefix to the Service's `http` port.
    fn ingress(&self) -> Option<ChildResource> {
        let ingress = self.args.inputs.ingress.as_ref()?;
        let mut annotations: BTreeMap<String, Expr> = ingress
            .annotations
            .iter()
            .map(|(k, v)| (k.clone(), Expr::Value(v.clone())))
            .collect();
        if let Some(issuer) = &ingress.cert_manager_cluster_issuer {
            annotations.insert(
                CLUSTER_ISSUER_ANNOTATION.into(),
                Expr::Value(issuer.clone()),
            );
        }
        let mut metadata = self.metadata(false);
        if !annotations.is_empty() {
            metadata.insert("annotations".into(), Expr::Object(annotations));
        }
        let hosts: Vec<Expr> = ingress
            .hosts
            .iter()
            .map(|h| Value::from(h).into())
            .collect();
        let backend = Expr::object([(
            "service",
            Expr::object([
                ("name", Expr::from(self.args.name.as_str())),
                ("port", Expr::object([("name", PORT_NAME.into())])),
            ]),
        )]);
        let rules = hosts
            .iter()
            .map(|host| {
                Expr::object([
                    ("host", host.clone()),
                    (
                        "http",
                        Expr::object([(
                            "paths",
                            Expr::Array(vec![Expr::object([
                                ("path", Value::from(&ingress.path).into()),
                                ("pathType", "Prefix".into()),
                                ("backend", backend.clone()),
                            ])]),
                        )]),
                    ),
                ])
            })
            .collect();
        let mut spec = vec![("rules", Expr::Array(rules))];
        if let Some(class) = &ingress.class_name {
            spec.push(("ingressClassName", Expr::Value(class.clone())));
        }
        if let Some(secret) = self.tls_secret() {
            spec.push((
                "tls",
                Expr::Array(vec![Expr::object([
                    ("hosts", Expr::Array(hosts)),
                    ("secretName", Expr::Value(secret)),
                ])]),
            ));
        }
        Some(
            self.child(key::INGRESS, token::INGRESS)
                .input("metadata", Expr::Object(metadata))
                .input("spec", Expr::object(spec))
                .with_options(|o| o.depends_on.push(key::SERVICE.to_string())),
        )
    }

    /// The HTTPRoute (a custom resource): `path` prefix to the Service's port,
    /// attached to the Gateway.
    fn http_route(&self) -> Option<ChildResource> {
        let route = self.args.inputs.http_route.as_ref()?;
        let mut parent = vec![("name", Expr::Value(route.gateway_name.clone()))];
        if let Some(ns) = &route.gateway_namespace {
            parent.push(("namespace", Expr::Value(ns.clone())));
        }
        if let Some(section) = &route.section_name {
            parent.push(("sectionName", Expr::Value(section.clone())));
        }
        let mut spec = vec![
            ("parentRefs", Expr::Array(vec![Expr::object(parent)])),
            (
                "rules",
                Expr::Array(vec![Expr::object([
                    (
                        "matches",
                        Expr::Array(vec![Expr::object([(
                            "path",
                            Expr::object([
                                ("type", "PathPrefix".into()),
                                ("value", Value::from(&route.path).into()),
                            ]),
                        )])]),
                    ),
                    (
                        "backendRefs",
                        Expr::Array(vec![Expr::object([
                            ("name", Expr::from(self.args.name.as_str())),
                            ("port", Value::from(&self.args.inputs.service_port).into()),
                        ])]),
                    ),
                ])]),
            ),
        ];
        if !route.hostnames.is_empty() {
            spec.push((
                "hostnames",
                Expr::Array(
                    route
                        .hostnames
                        .iter()
                        .map(|h| Value::from(h).into())
                        .collect(),
                ),
            ));
        }
        Some(
            self.child(key::HTTP_ROUTE, token::HTTP_ROUTE)
                .input("metadata", Expr::Object(self.metadata(false)))
                .input("spec", Expr::object(spec))
                .with_options(|o| o.depends_on.push(key::SERVICE.to_string())),
        )
    }

    /// `https://<first host><path>` (`http://` for an Ingress without TLS) once
    /// the Ingress or HTTPRoute exists; none for a service not exposed, or
    /// exposed only under wildcards. An HTTPRoute's TLS is its Gateway's
    /// listener's, assumed on.
    fn url(&self) -> Option<Expr> {
        let i = &self.args.inputs;
        let (hosts, path, tls, child) = match (&i.ingress, &i.http_route) {
            (Some(g), _) => (&g.hosts, &g.path, self.tls_secret().is_some(), key::INGRESS),
            (None, Some(r)) => (&r.hostnames, &r.path, true, key::HTTP_ROUTE),
            (None, None) => return None,
        };
        let host = hosts.iter().find(|h| !h.starts_with("*."))?;
        let scheme = if tls { "https" } else { "http" };
        let path = path.trim_end_matches('/').to_string();
        let url = host.clone().map(|h| format!("{scheme}://{h}{path}"));
        Some(Expr::After(
            Box::new(Value::from(&url).into()),
            vec![child.to_string()],
        ))
    }
}

/// `apiVersion` and `kind` of a `kubernetes:<group>/<version>:<Kind>` token;
/// the `core` group's apiVersion is the bare version (`v1`).
fn api_version_and_kind(token: &str) -> (String, String) {
    let mut parts = token.splitn(3, ':').skip(1);
    let group_version = parts.next().unwrap_or_default();
    let kind = parts.next().unwrap_or_default();
    let api_version = group_version.strip_prefix("core/").unwrap_or(group_version);
    (api_version.to_string(), kind.to_string())
}

/// A map of values passed on as they came.
fn values(map: &BTreeMap<String, Value>) -> Expr {
    Expr::Object(
        map.iter()
            .map(|(k, v)| (k.clone(), Expr::Value(v.clone())))
            .collect(),
    )
}

/// `wrap(name)` for each name of a list of object names; the list itself
/// while it is unknown (another resource's output at preview).
fn each_name(list: &Value, wrap: impl Fn(Expr) -> Expr) -> Expr {
    match list.unwrap_top() {
        (Some(Value::Array(items)), _) => Expr::Array(
            items
                .iter()
                // The list's own wrappers (secret, dependencies) go to each item.
                .map(|item| wrap(Expr::Value(list.replace_plain(item.clone()))))
                .collect(),
        ),
        _ => Expr::Value(list.clone()),
    }
}
