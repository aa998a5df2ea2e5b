//! KubernetesService through the real Construct loop against the fake
//! monitor: every object and its key inputs for a default and a full
//! program, what autoscaling, the disruption budget, the NetworkPolicy and
//! each exposure change, the options every child gets, and every refusal.

use std::collections::BTreeSet;
use std::sync::Arc;

use launchpad_core::value::{PropertyMap, Value};
use launchpad_protocol::testing::{ConstructCall, FakeMonitor, FakeMonitorConfig, Registration};
use serde_json::json;

use super::KubernetesService;
use super::plan::token;
use crate::KUBERNETES_PROVIDER_VERSION;

fn v(s: &str) -> Value {
    Value::string(s)
}

fn n(x: f64) -> Value {
    Value::Number(x)
}

fn object(pairs: Vec<(&str, Value)>) -> Value {
    Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

fn list(items: &[&str]) -> Value {
    Value::Array(items.iter().map(|s| v(s)).collect())
}

fn inputs(extra: Vec<(&str, Value)>) -> PropertyMap {
    let mut m = PropertyMap::from([("image".to_string(), v("ghcr.io/acme/api:1.4.2"))]);
    m.extend(extra.into_iter().map(|(k, v)| (k.to_string(), v)));
    m
}

fn call(extra: Vec<(&str, Value)>) -> ConstructCall {
    ConstructCall::new(super::DEFINITION.token, "api", inputs(extra))
}

/// As the cluster answers: every object's metadata with its namespace
/// (`default` when none was sent).
fn deployed() -> FakeMonitorConfig {
    FakeMonitorConfig {
        dry_run: false,
        outputs: Arc::new(|_, _, inputs| {
            let Some(Value::Object(metadata)) = inputs.get("metadata") else {
                return PropertyMap::new();
            };
            let mut metadata = metadata.clone();
            metadata
                .entry("namespace".to_string())
                .or_insert_with(|| v("default"));
            PropertyMap::from([("metadata".to_string(), Value::Object(metadata))])
        }),
        ..FakeMonitorConfig::default()
    }
}

async fn construct_call(c: ConstructCall) -> (FakeMonitor, PropertyMap) {
    let monitor = FakeMonitor::start(deployed()).await;
    let resp = monitor
        .construct(&KubernetesService, &c)
        .await
        .expect("construct");
    (monitor, resp.state)
}

async fn construct(extra: Vec<(&str, Value)>) -> (FakeMonitor, PropertyMap) {
    construct_call(call(extra)).await
}

fn json_of(r: &Registration) -> serde_json::Value {
    Value::Object(r.inputs.clone()).to_json().expect("known")
}

fn child(m: &FakeMonitor, token: &str) -> serde_json::Value {
    json_of(&m.one(token))
}

/// The children's type tokens (registered in dependency order, so as a set).
fn tokens(m: &FakeMonitor) -> BTreeSet<String> {
    m.registrations()[1..]
        .iter()
        .map(|r| r.type_token.clone())
        .collect()
}

fn set(tokens: &[&str]) -> BTreeSet<String> {
    tokens.iter().map(|t| t.to_string()).collect()
}

/// The full program: every object but the HTTPRoute.
fn full() -> Vec<(&'static str, Value)> {
    vec![
        ("name", v("payments-api")),
        ("namespace", v("payments")),
        ("createNamespace", Value::Bool(true)),
        ("labels", object(vec![("team", v("payments"))])),
        ("port", n(8000.0)),
        ("servicePort", n(8080.0)),
        ("command", list(&["/app/server"])),
        ("args", list(&["--listen", ":8000"])),
        ("cpu", v("500m")),
        ("memory", v("1Gi")),
        ("cpuLimit", v("2")),
        ("environment", object(vec![("LOG_LEVEL", v("info"))])),
        (
            "secrets",
            object(vec![(
                "DATABASE_URL",
                object(vec![("name", v("payments-db")), ("key", v("url"))]),
            )]),
        ),
        (
            "configMaps",
            object(vec![(
                "FEATURES",
                object(vec![("name", v("flags")), ("key", v("features.json"))]),
            )]),
        ),
        ("envFromSecrets", list(&["payments-env"])),
        ("envFromConfigMaps", list(&["payments-config"])),
        ("imagePullSecrets", list(&["ghcr-credentials"])),
        (
            "serviceAccount",
            object(vec![(
                "annotations",
                object(vec![(
                    "eks.amazonaws.com/role-arn",
                    v("arn:aws:iam::123456789012:role/payments"),
                )]),
            )]),
        ),
        ("runAsUser", n(10001.0)),
        ("fsGroup", n(10001.0)),
        (
            "healthCheck",
            object(vec![
                ("path", v("/healthz")),
                ("startupTimeoutSeconds", n(120.0)),
                ("periodSeconds", n(15.0)),
            ]),
        ),
        (
            "autoscaling",
            object(vec![
                ("minReplicas", n(3.0)),
                ("maxReplicas", n(20.0)),
                ("memoryUtilization", n(80.0)),
            ]),
        ),
        (
            "networkPolicy",
            object(vec![("allowFromNamespaces", list(&["monitoring"]))]),
        ),
        (
            "ingress",
            object(vec![
                ("hosts", list(&["pay.example.com", "*.pay.example.com"])),
                ("className", v("nginx")),
                ("certManagerClusterIssuer", v("letsencrypt-prod")),
                (
                    "annotations",
                    object(vec![(
                        "nginx.ingress.kubernetes.io/proxy-body-size",
                        v("8m"),
                    )]),
                ),
                ("controllerNamespace", v("ingress-nginx")),
            ]),
        ),
    ]
}

#[tokio::test]
async fn a_default_service_is_restricted_probed_autoscaled_and_fenced() {
    let (m, state) = construct(vec![]).await;
    let regs = m.registrations();
    assert_eq!(regs[0].type_token, "launchpad:index:KubernetesService");
    assert_eq!(
        tokens(&m),
        set(&[
            token::SERVICE_ACCOUNT,
            token::DEPLOYMENT,
            token::SERVICE,
            token::AUTOSCALER,
            token::DISRUPTION_BUDGET,
            token::NETWORK_POLICY,
        ])
    );
    for c in &regs[1..] {
        assert_eq!(c.parent, regs[0].urn, "{}", c.name);
        assert_eq!(c.version, KUBERNETES_PROVIDER_VERSION, "{}", c.name);
        // Fixed names: a replacement must not collide with itself.
        assert!(c.raw.delete_before_replace, "{}", c.name);
        let j = json_of(c);
        assert_eq!(j["metadata"]["name"], "api", "{}", c.name);
        assert!(j["metadata"].get("namespace").is_none(), "{}", c.name);
        assert_eq!(
            j["metadata"]["labels"]["app.kubernetes.io/managed-by"],
            "launchpad"
        );
        assert!(c.name.starts_with("api-"), "{}", c.name);
    }
    let d = child(&m, token::DEPLOYMENT);
    let spec = &d["spec"];
    assert!(
        spec.get("replicas").is_none(),
        "the autoscaler owns the count"
    );
    assert_eq!(
        spec["selector"]["matchLabels"],
        json!({"app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "api"})
    );
    assert_eq!(
        d["metadata"]["labels"]["app.kubernetes.io/version"],
        "1.4.2"
    );
    assert_eq!(
        spec["strategy"],
        json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": "25%"}})
    );
    let pod = &spec["template"]["spec"];
    assert_eq!(
        spec["template"]["metadata"]["labels"]["app.kubernetes.io/version"],
        "1.4.2"
    );
    assert_eq!(pod["serviceAccountName"], "api");
    assert_eq!(pod["automountServiceAccountToken"], false);
    assert_eq!(pod["terminationGracePeriodSeconds"], 30);
    assert_eq!(
        pod["securityContext"],
        json!({"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}})
    );
    let spread = pod["topologySpreadConstraints"].as_array().expect("spread");
    let keys: Vec<&str> = spread
        .iter()
        .map(|s| s["topologyKey"].as_str().expect("key"))
        .collect();
    assert_eq!(
        keys,
        ["topology.kubernetes.io/zone", "kubernetes.io/hostname"]
    );
    for s in spread {
        assert_eq!(s["whenUnsatisfiable"], "ScheduleAnyway");
        assert_eq!(s["maxSkew"], 1);
        assert_eq!(
            s["labelSelector"]["matchLabels"],
            spec["selector"]["matchLabels"]
        );
    }
    assert_eq!(pod["volumes"], json!([{"name": "tmp", "emptyDir": {}}]));
    let c = &pod["containers"][0];
    assert_eq!(c["name"], "app");
    assert_eq!(c["image"], "ghcr.io/acme/api:1.4.2");
    assert_eq!(
        c["ports"],
        json!([{"name": "http", "containerPort": 8080, "protocol": "TCP"}])
    );
    assert_eq!(
        c["resources"],
        json!({"requests": {"cpu": "250m", "memory": "256Mi"}, "limits": {"memory": "256Mi"}}),
        "no CPU limit by default"
    );
    assert_eq!(
        c["securityContext"],
        json!({
            "allowPrivilegeEscalation": false,
            "capabilities": {"drop": ["ALL"]},
            "readOnlyRootFilesystem": true,
            "runAsNonRoot": true
        })
    );
    assert_eq!(
        c["volumeMounts"],
        json!([{"name": "tmp", "mountPath": "/tmp"}])
    );
    // 60 × 5 s: the 300 s a slow starter gets before it is restarted.
    assert_eq!(
        c["startupProbe"],
        json!({"tcpSocket": {"port": "http"}, "periodSeconds": 5, "failureThreshold": 60})
    );
    for probe in ["readinessProbe", "livenessProbe"] {
        assert_eq!(
            c[probe],
            json!({"tcpSocket": {"port": "http"}, "periodSeconds": 10, "failureThreshold": 3})
        );
    }
    assert!(c.get("env").is_none() && c.get("envFrom").is_none());

    let sa = child(&m, token::SERVICE_ACCOUNT);
    assert_eq!(sa["automountServiceAccountToken"], false);
    let svc = child(&m, token::SERVICE);
    assert_eq!(
        svc["spec"],
        json!({
            "type": "ClusterIP",
            "selector": spec["selector"]["matchLabels"],
            "ports": [{"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP"}]
        })
    );
    assert!(
        svc["metadata"]["labels"]
            .get("app.kubernetes.io/version")
            .is_none(),
        "a new image touches only the Deployment"
    );
    let hpa = child(&m, token::AUTOSCALER);
    assert_eq!(
        hpa["spec"]["scaleTargetRef"],
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "name": "api"})
    );
    assert_eq!(hpa["spec"]["minReplicas"], 2);
    assert_eq!(hpa["spec"]["maxReplicas"], 10);
    assert_eq!(
        hpa["spec"]["metrics"],
        json!([{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}])
    );
    let pdb = child(&m, token::DISRUPTION_BUDGET);
    assert_eq!(pdb["spec"]["maxUnavailable"], 1);
    assert_eq!(
        pdb["spec"]["selector"]["matchLabels"],
        spec["selector"]["matchLabels"]
    );
    let np = child(&m, token::NETWORK_POLICY);
    assert_eq!(
        np["spec"],
        json!({
            "podSelector": {"matchLabels": spec["selector"]["matchLabels"]},
            "policyTypes": ["Ingress"],
            "ingress": [{"from": [{"podSelector": {}}], "ports": [{"protocol": "TCP", "port": 8080}]}]
        })
    );

    assert_eq!(state["name"], v("api"));
    assert_eq!(state["serviceName"], v("api"));
    assert_eq!(state["namespace"], v("default"));
    assert_eq!(state["deploymentName"], v("api"));
    assert_eq!(state["clusterDns"], v("api.default.svc.cluster.local"));
    assert!(!state.contains_key("url"), "not exposed: no url");
}

#[tokio::test]
async fn a_full_service_gets_its_namespace_environment_and_ingress() {
    let (m, state) = construct(full()).await;
    assert_eq!(
        tokens(&m),
        set(&[
            token::NAMESPACE,
            token::SERVICE_ACCOUNT,
            token::DEPLOYMENT,
            token::SERVICE,
            token::AUTOSCALER,
            token::DISRUPTION_BUDGET,
            token::NETWORK_POLICY,
            token::INGRESS,
        ])
    );
    let ns = m.one(token::NAMESPACE);
    let labels = &json_of(&ns)["metadata"]["labels"];
    assert_eq!(json_of(&ns)["metadata"]["name"], "payments");
    assert_eq!(labels["pod-security.kubernetes.io/enforce"], "restricted");
    assert_eq!(
        labels["pod-security.kubernetes.io/enforce-version"],
        "latest"
    );
    for c in &m.registrations()[2..] {
        assert!(
            c.dependencies.contains(&ns.urn),
            "{} waits for its namespace",
            c.name
        );
        let j = json_of(c);
        assert_eq!(j["metadata"]["namespace"], "payments", "{}", c.name);
        assert_eq!(j["metadata"]["name"], "payments-api", "{}", c.name);
        assert_eq!(j["metadata"]["labels"]["team"], "payments", "{}", c.name);
    }
    let sa = child(&m, token::SERVICE_ACCOUNT);
    assert_eq!(
        sa["metadata"]["annotations"]["eks.amazonaws.com/role-arn"],
        "arn:aws:iam::123456789012:role/payments"
    );
    let d = child(&m, token::DEPLOYMENT);
    let pod = &d["spec"]["template"]["spec"];
    assert_eq!(
        d["spec"]["template"]["metadata"]["labels"]["team"],
        "payments"
    );
    assert_eq!(pod["securityContext"]["runAsUser"], 10001);
    assert_eq!(pod["securityContext"]["fsGroup"], 10001);
    assert_eq!(
        pod["imagePullSecrets"],
        json!([{"name": "ghcr-credentials"}])
    );
    let c = &pod["containers"][0];
    assert_eq!(c["command"], json!(["/app/server"]));
    assert_eq!(c["args"], json!(["--listen", ":8000"]));
    assert_eq!(
        c["resources"],
        json!({"requests": {"cpu": "500m", "memory": "1Gi"}, "limits": {"cpu": "2", "memory": "1Gi"}})
    );
    assert_eq!(
        c["env"],
        json!([
            {"name": "LOG_LEVEL", "value": "info"},
            {"name": "DATABASE_URL", "valueFrom": {"secretKeyRef": {"name": "payments-db", "key": "url"}}},
            {"name": "FEATURES", "valueFrom": {"configMapKeyRef": {"name": "flags", "key": "features.json"}}}
        ])
    );
    assert_eq!(
        c["envFrom"],
        json!([{"secretRef": {"name": "payments-env"}}, {"configMapRef": {"name": "payments-config"}}])
    );
    // 24 × 5 s = 120 s to start; then every 15 s.
    assert_eq!(c["startupProbe"]["failureThreshold"], 24);
    assert_eq!(
        c["readinessProbe"],
        json!({"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 15, "failureThreshold": 3})
    );
    assert_eq!(c["livenessProbe"], c["readinessProbe"]);
    let hpa = child(&m, token::AUTOSCALER);
    assert_eq!(hpa["spec"]["minReplicas"], 3);
    assert_eq!(hpa["spec"]["metrics"][1]["resource"]["name"], "memory");
    assert_eq!(
        hpa["spec"]["metrics"][1]["resource"]["target"]["averageUtilization"],
        80
    );
    let svc = child(&m, token::SERVICE);
    assert_eq!(svc["spec"]["ports"][0]["port"], 8080);

    let ingress = child(&m, token::INGRESS);
    assert_eq!(
        ingress["metadata"]["annotations"],
        json!({
            "cert-manager.io/cluster-issuer": "letsencrypt-prod",
            "nginx.ingress.kubernetes.io/proxy-body-size": "8m"
        })
    );
    assert_eq!(ingress["spec"]["ingressClassName"], "nginx");
    assert_eq!(
        ingress["spec"]["tls"],
        json!([{"hosts": ["pay.example.com", "*.pay.example.com"], "secretName": "payments-api-tls"}])
    );
    let rule = &ingress["spec"]["rules"][1];
    assert_eq!(rule["host"], "*.pay.example.com");
    assert_eq!(
        rule["http"]["paths"],
        json!([{"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "payments-api", "port": {"name": "http"}}}}])
    );
    let np = child(&m, token::NETWORK_POLICY);
    assert_eq!(
        np["spec"]["ingress"],
        json!([{
            "from": [
                {"podSelector": {}},
                {"namespaceSelector": {"matchExpressions": [{"key": "kubernetes.io/metadata.name", "operator": "In", "values": ["monitoring"]}]}},
                {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "ingress-nginx"}}}
            ],
            "ports": [{"protocol": "TCP", "port": 8000}]
        }])
    );
    assert_eq!(state["url"], v("https://pay.example.com"));
    assert_eq!(state["namespace"], v("payments"));
    assert_eq!(
        state["clusterDns"],
        v("payments-api.payments.svc.cluster.local")
    );
}

#[tokio::test]
async fn every_object_names_its_api_version_and_kind_as_the_provider_needs() {
    // pulumi-kubernetes picks the API endpoint from the object's own
    // `apiVersion` and `kind` (`ResourceClientForObject`), which its SDKs
    // always send; without them the API server is never reached.
    let mut all = full();
    all.retain(|(k, _)| *k != "ingress");
    all.push(("httpRoute", object(vec![("gatewayName", v("public"))])));
    let (m1, _) = construct(full()).await;
    let (m2, _) = construct(all).await;
    for m in [&m1, &m2] {
        for r in &m.registrations()[1..] {
            let expected = match r.type_token.as_str() {
                token::NAMESPACE => ("v1", "Namespace"),
                token::SERVICE_ACCOUNT => ("v1", "ServiceAccount"),
                token::DEPLOYMENT => ("apps/v1", "Deployment"),
                token::SERVICE => ("v1", "Service"),
                token::AUTOSCALER => ("autoscaling/v2", "HorizontalPodAutoscaler"),
                token::DISRUPTION_BUDGET => ("policy/v1", "PodDisruptionBudget"),
                token::NETWORK_POLICY => ("networking.k8s.io/v1", "NetworkPolicy"),
                token::INGRESS => ("networking.k8s.io/v1", "Ingress"),
                token::HTTP_ROUTE => ("gateway.networking.k8s.io/v1", "HTTPRoute"),
                other => panic!("unexpected child {other}"),
            };
            let j = json_of(r);
            assert_eq!(
                (j["apiVersion"].as_str(), j["kind"].as_str()),
                (Some(expected.0), Some(expected.1)),
                "{}",
                r.type_token
            );
        }
    }
}

#[tokio::test]
async fn a_slow_starter_is_given_its_startup_budget_by_the_rollout_and_the_provider() {
    // The Deployment controller gives up on a rollout after
    // progressDeadlineSeconds (600 by default) and pulumi-kubernetes stops
    // waiting after 10 minutes (`pulumi.com/timeoutSeconds` overrides it): a
    // 15-minute startup budget would fail `pulumi up` with both at default.
    let (m, _) = construct(vec![(
        "healthCheck",
        object(vec![("startupTimeoutSeconds", n(900.0))]),
    )])
    .await;
    let d = child(&m, token::DEPLOYMENT);
    assert_eq!(d["spec"]["progressDeadlineSeconds"], 1500);
    assert_eq!(
        d["metadata"]["annotations"]["pulumi.com/timeoutSeconds"],
        "1500"
    );
    let (m, _) = construct(vec![]).await;
    let d = child(&m, token::DEPLOYMENT);
    assert_eq!(d["spec"]["progressDeadlineSeconds"], 900);
    assert_eq!(
        d["metadata"]["annotations"]["pulumi.com/timeoutSeconds"],
        "900"
    );
}

#[tokio::test]
async fn without_autoscaling_replicas_are_sent_and_the_budget_follows_the_count() {
    let off = |extra: Vec<(&'static str, Value)>| {
        let mut all = vec![("autoscaling", object(vec![("enabled", Value::Bool(false))]))];
        all.extend(extra);
        all
    };
    let (m, _) = construct(off(vec![])).await;
    assert_eq!(child(&m, token::DEPLOYMENT)["spec"]["replicas"], 2);
    assert!(!tokens(&m).contains(token::AUTOSCALER));
    assert!(tokens(&m).contains(token::DISRUPTION_BUDGET));

    let (m, _) = construct(off(vec![("replicas", n(5.0))])).await;
    assert_eq!(child(&m, token::DEPLOYMENT)["spec"]["replicas"], 5);

    // One pod: a budget of one unavailable would block every drain for nothing.
    let (m, _) = construct(off(vec![("replicas", n(1.0))])).await;
    assert!(!tokens(&m).contains(token::DISRUPTION_BUDGET));
    let (m, _) = construct(vec![(
        "autoscaling",
        object(vec![("minReplicas", n(1.0)), ("maxReplicas", n(1.0))]),
    )])
    .await;
    assert!(!tokens(&m).contains(token::DISRUPTION_BUDGET));
    let (m, _) = construct(vec![("podDisruptionBudget", Value::Bool(false))]).await;
    assert!(!tokens(&m).contains(token::DISRUPTION_BUDGET));

    // With autoscaling, `replicas` in range is accepted and still never sent.
    let (m, _) = construct(vec![("replicas", n(4.0))]).await;
    assert!(
        child(&m, token::DEPLOYMENT)["spec"]
            .get("replicas")
            .is_none()
    );
}

#[tokio::test]
async fn an_http_route_attaches_to_its_gateway_which_the_policy_lets_in() {
    let route = |extra: Vec<(&'static str, Value)>| {
        let mut r = vec![("gatewayName", v("public"))];
        r.extend(extra);
        vec![("httpRoute", object(r))]
    };
    let (m, state) = construct(route(vec![
        ("gatewayNamespace", v("gateways")),
        ("sectionName", v("https")),
        ("hostnames", list(&["api.example.com"])),
        ("path", v("/v1/")),
    ]))
    .await;
    let r = m.one(token::HTTP_ROUTE);
    assert_eq!(r.version, KUBERNETES_PROVIDER_VERSION);
    let r = json_of(&r);
    assert_eq!(r["apiVersion"], "gateway.networking.k8s.io/v1");
    assert_eq!(r["kind"], "HTTPRoute");
    assert_eq!(r["metadata"]["name"], "api");
    assert_eq!(
        r["spec"],
        json!({
            "parentRefs": [{"name": "public", "namespace": "gateways", "sectionName": "https"}],
            "hostnames": ["api.example.com"],
            "rules": [{
                "matches": [{"path": {"type": "PathPrefix", "value": "/v1/"}}],
                "backendRefs": [{"name": "api", "port": 80}]
            }]
        })
    );
    let from = &child(&m, token::NETWORK_POLICY)["spec"]["ingress"][0]["from"];
    assert_eq!(
        from[1],
        json!({"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "gateways"}}})
    );
    assert_eq!(state["url"], v("https://api.example.com/v1"));
    assert!(!tokens(&m).contains(token::INGRESS));

    // A Gateway in the service's own namespace is let in as that namespace is,
    // even when the namespace's other pods are not.
    let mut extra = route(vec![]);
    extra.push((
        "networkPolicy",
        object(vec![("allowSameNamespace", Value::Bool(false))]),
    ));
    let (m, state) = construct(extra).await;
    assert_eq!(
        child(&m, token::NETWORK_POLICY)["spec"]["ingress"][0]["from"],
        json!([{"podSelector": {}}])
    );
    assert!(!state.contains_key("url"), "no hostnames: no url");
}

#[tokio::test]
async fn a_policy_with_no_one_allowed_denies_everyone() {
    let (m, _) = construct(vec![(
        "networkPolicy",
        object(vec![
            ("allowSameNamespace", Value::Bool(false)),
            ("allowFromNamespaces", list(&[])),
        ]),
    )])
    .await;
    // A rule with no peers would allow every source.
    assert_eq!(
        child(&m, token::NETWORK_POLICY)["spec"]["ingress"],
        json!([])
    );
    let (m, _) = construct(vec![(
        "networkPolicy",
        object(vec![("enabled", Value::Bool(false))]),
    )])
    .await;
    assert!(!tokens(&m).contains(token::NETWORK_POLICY));
}

#[tokio::test]
async fn an_ingress_without_tls_has_an_http_url_and_an_existing_account_is_used() {
    let (m, state) = construct(vec![
        (
            "ingress",
            object(vec![
                ("hosts", list(&["api.internal.example.com"])),
                ("controllerNamespace", v("ingress-nginx")),
            ]),
        ),
        (
            "serviceAccount",
            object(vec![
                ("create", Value::Bool(false)),
                ("name", v("shared-runner")),
                ("automountToken", Value::Bool(true)),
            ]),
        ),
    ])
    .await;
    assert_eq!(state["url"], v("http://api.internal.example.com"));
    assert!(child(&m, token::INGRESS)["spec"].get("tls").is_none());
    assert!(!tokens(&m).contains(token::SERVICE_ACCOUNT));
    let pod = &child(&m, token::DEPLOYMENT)["spec"]["template"]["spec"];
    assert_eq!(pod["serviceAccountName"], "shared-runner");
    assert_eq!(pod["automountServiceAccountToken"], true);
}

#[tokio::test]
async fn providers_and_options_reach_every_child() {
    let kubernetes_ref = "urn:pulumi:dev::proj::pulumi:providers:kubernetes::gitops::04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    let mut c = call(full());
    c.options.providers = [("kubernetes".to_string(), kubernetes_ref.to_string())].into();
    c.options.protect = Some(true);
    let (m, _) = construct_call(c).await;
    for child in &m.registrations()[1..] {
        assert_eq!(child.provider, kubernetes_ref, "{}", child.name);
        assert_eq!(child.protect, Some(true), "{}", child.name);
    }
}

#[tokio::test]
async fn unknown_names_pass_through_at_preview() {
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let c = call(vec![
        ("namespace", Value::unknown()),
        ("envFromSecrets", Value::unknown()),
        (
            "secrets",
            object(vec![(
                "DB",
                object(vec![("name", Value::unknown()), ("key", v("url"))]),
            )]),
        ),
    ]);
    monitor
        .construct(&KubernetesService, &c)
        .await
        .expect("unknowns are not refused");
    let d = monitor.one(token::DEPLOYMENT);
    assert_eq!(
        d.inputs["metadata"].clone().to_json(),
        None,
        "namespace unknown"
    );
}

/// Extra inputs, the property a refusal names, and what its message says.
type Refusal<'a> = (Vec<(&'a str, Value)>, &'a str, &'a str);

#[tokio::test]
async fn bad_inputs_fail_before_anything_is_registered_naming_the_property() {
    let ingress = |extra: Vec<(&'static str, Value)>| {
        let mut i = vec![
            ("hosts", list(&["api.example.com"])),
            ("controllerNamespace", v("ingress-nginx")),
        ];
        i.extend(extra);
        object(i)
    };
    let cases: Vec<Refusal> = vec![
        (
            vec![("memory", v("512MB"))],
            "memory",
            "did you mean \"512M\" or \"512Mi\"?",
        ),
        (
            vec![("memory", v("512m"))],
            "memory",
            "thousandths of a byte",
        ),
        (
            vec![("memory", v("0"))],
            "memory",
            "memory=\"0\" must be more than zero",
        ),
        (
            vec![("cpu", v("2cores"))],
            "cpu",
            "cpu=\"2cores\" is not a Kubernetes quantity (did you mean \"2\"?)",
        ),
        (vec![("cpu", v("0"))], "cpu", "must be more than zero"),
        (
            vec![("cpu", v("1")), ("cpuLimit", v("500m"))],
            "cpuLimit",
            "cpuLimit=\"500m\" is less than cpu=\"1\"",
        ),
        (
            vec![("name", v("Api"))],
            "name",
            "name=\"Api\" is not a valid Kubernetes Service name",
        ),
        (vec![("name", v("1api"))], "name", "DNS-1035"),
        (
            vec![("namespace", v("team_a"))],
            "namespace",
            "is not a valid namespace",
        ),
        (
            vec![("createNamespace", Value::Bool(true))],
            "createNamespace",
            "createNamespace=true needs `namespace`",
        ),
        (
            vec![("labels", object(vec![("team", v("bad value!"))]))],
            "labels.team",
            "labels.team=\"bad value!\" is not a valid label value",
        ),
        (
            vec![("labels", object(vec![("Team/x", v("a"))]))],
            "labels.Team/x",
            "the key \"Team/x\" is not valid",
        ),
        (
            vec![("labels", object(vec![("app.kubernetes.io/name", v("x"))]))],
            "labels.app.kubernetes.io/name",
            "the Deployment selects its pods by",
        ),
        (
            vec![("port", n(70000.0))],
            "port",
            "port=70000 is not valid",
        ),
        (
            vec![("servicePort", n(0.0))],
            "servicePort",
            "servicePort=0 is not valid",
        ),
        (
            vec![("replicas", n(2000.0))],
            "replicas",
            "replicas=2000 is not valid",
        ),
        (
            vec![("runAsUser", n(0.0))],
            "runAsUser",
            "runAsUser=0 is not valid",
        ),
        (
            vec![(
                "autoscaling",
                object(vec![("minReplicas", n(5.0)), ("maxReplicas", n(3.0))]),
            )],
            "autoscaling.minReplicas",
            "autoscaling.minReplicas=5 is more than autoscaling.maxReplicas=3",
        ),
        (
            vec![("replicas", n(12.0))],
            "replicas",
            "with autoscaling the HorizontalPodAutoscaler owns the count; raise autoscaling.maxReplicas",
        ),
        (
            vec![("autoscaling", object(vec![("cpuUtilization", n(150.0))]))],
            "autoscaling.cpuUtilization",
            "from 1 to 100",
        ),
        (
            vec![("healthCheck", object(vec![("path", v("healthz"))]))],
            "healthCheck.path",
            "must start with `/`",
        ),
        (
            vec![(
                "healthCheck",
                object(vec![("startupTimeoutSeconds", n(2.0))]),
            )],
            "healthCheck.startupTimeoutSeconds",
            "from 5 to 3600",
        ),
        (
            vec![("environment", object(vec![("1DB", v("x"))]))],
            "environment.1DB",
            "is not a valid environment variable name",
        ),
        (
            vec![
                ("environment", object(vec![("DB", v("x"))])),
                (
                    "configMaps",
                    object(vec![(
                        "DB",
                        object(vec![("name", v("c")), ("key", v("k"))]),
                    )]),
                ),
            ],
            "configMaps.DB",
            "DB is set in both `environment` and `configMaps`",
        ),
        (
            vec![
                (
                    "secrets",
                    object(vec![(
                        "DB",
                        object(vec![("name", v("s")), ("key", v("k"))]),
                    )]),
                ),
                (
                    "configMaps",
                    object(vec![(
                        "DB",
                        object(vec![("name", v("c")), ("key", v("k"))]),
                    )]),
                ),
            ],
            "configMaps.DB",
            "DB is set in both `secrets` and `configMaps`",
        ),
        (
            vec![(
                "secrets",
                object(vec![(
                    "DB",
                    object(vec![("name", v("Db_Creds")), ("key", v("url"))]),
                )]),
            )],
            "secrets.DB.name",
            "is not a valid Kubernetes object name",
        ),
        (
            vec![(
                "secrets",
                object(vec![(
                    "DB",
                    object(vec![("name", v("db")), ("key", v("a/b"))]),
                )]),
            )],
            "secrets.DB.key",
            "is not a valid Secret or ConfigMap key",
        ),
        (
            vec![("imagePullSecrets", list(&["ok", "Not OK"]))],
            "imagePullSecrets[1]",
            "is not a valid Kubernetes object name",
        ),
        (
            vec![(
                "networkPolicy",
                object(vec![("allowFromNamespaces", list(&["a.b"]))]),
            )],
            "networkPolicy.allowFromNamespaces[0]",
            "is not a valid namespace",
        ),
        (
            vec![("image", v("Acme/API"))],
            "image",
            "is not a valid image reference",
        ),
        (
            vec![
                ("ingress", ingress(vec![])),
                ("httpRoute", object(vec![("gatewayName", v("public"))])),
            ],
            "httpRoute",
            "ingress and httpRoute are both set",
        ),
        (
            vec![(
                "ingress",
                object(vec![("hosts", list(&["api.example.com"]))]),
            )],
            "ingress.controllerNamespace",
            "for example \"ingress-nginx\"), or set networkPolicy.enabled=false",
        ),
        (
            vec![("ingress", ingress(vec![("hosts", list(&[]))]))],
            "ingress.hosts",
            "ingress.hosts is empty",
        ),
        (
            vec![(
                "ingress",
                ingress(vec![(
                    "hosts",
                    list(&["api.example.com", "API.example.com"]),
                )]),
            )],
            "ingress.hosts[1]",
            "is not a valid host name",
        ),
        (
            vec![("ingress", ingress(vec![("path", v("api"))]))],
            "ingress.path",
            "must start with `/`",
        ),
        // The API server refuses these in a Prefix path (Ingress validation's
        // invalidPathSequences), as the HTTPRoute CRD's rules do in a PathPrefix.
        (
            vec![("ingress", ingress(vec![("path", v("/api//v1"))]))],
            "ingress.path",
            "ingress.path=\"/api//v1\" must not contain \"//\"",
        ),
        (
            vec![("ingress", ingress(vec![("path", v("/api/.."))]))],
            "ingress.path",
            "must not end with \"/..\"",
        ),
        (
            vec![(
                "httpRoute",
                object(vec![("gatewayName", v("public")), ("path", v("/a%2Fb"))]),
            )],
            "httpRoute.path",
            "must not contain \"%2F\"",
        ),
        (
            vec![(
                "httpRoute",
                object(vec![("gatewayName", v("public")), ("path", v("/a#b"))]),
            )],
            "httpRoute.path",
            "must not contain \"#\"",
        ),
        (
            vec![(
                "httpRoute",
                object(vec![
                    ("gatewayName", v("public")),
                    ("hostnames", list(&["a..b"])),
                ]),
            )],
            "httpRoute.hostnames[0]",
            "is not a valid host name",
        ),
        (
            vec![(
                "serviceAccount",
                object(vec![("create", Value::Bool(false))]),
            )],
            "serviceAccount.name",
            "name the existing service account",
        ),
    ];
    for (extra, property, message) in cases {
        let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
        let e = monitor
            .construct(&KubernetesService, &call(extra))
            .await
            .expect_err("refused");
        let launchpad_protocol::ProtocolError::Input(i) = e else {
            panic!("{property}: expected an input error, got {e}");
        };
        assert_eq!(i.property, property, "{}", i.message);
        assert!(
            i.message.contains(message),
            "{property}: {:?} should contain {message:?}",
            i.message
        );
        assert!(
            monitor.registrations().is_empty(),
            "{property}: nothing registered"
        );
    }
    // Without `name`, the component's own name must be a Service name.
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let c = ConstructCall::new(super::DEFINITION.token, "Payments_API", inputs(vec![]));
    let e = monitor
        .construct(&KubernetesService, &c)
        .await
        .expect_err("refused");
    assert!(
        e.to_string().contains(
            "the component's name \"Payments_API\" is not a valid Kubernetes Service name"
        ),
        "{e}"
    );
}

#[tokio::test]
async fn manifests_written_without_a_namespace_report_the_default_one() {
    // A provider with `renderYamlToDirectory` answers with the inputs it wrote:
    // no namespace when none was given.
    let monitor = FakeMonitor::start(FakeMonitorConfig {
        dry_run: false,
        outputs: Arc::new(|_, _, inputs| inputs.clone()),
        ..FakeMonitorConfig::default()
    })
    .await;
    let resp = monitor
        .construct(&KubernetesService, &call(vec![]))
        .await
        .expect("construct");
    assert_eq!(resp.state["namespace"], v("default"));
    assert_eq!(resp.state["clusterDns"], v("api.default.svc.cluster.local"));
}
