//! WebService through the real Construct loop against the fake monitor:
//! the child graph for each input that changes it, the security-relevant
//! properties, and every refusal.

use std::collections::BTreeMap;
use std::sync::Arc;

use launchpad_core::value::{PropertyMap, Value};
use launchpad_protocol::testing::{ConstructCall, FakeMonitor, FakeMonitorConfig, Registration};

use super::WebService;
use crate::AWS_PROVIDER_VERSION;

const REGION: &str = "eu-west-1";
const SECRET_ARN: &str = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbC123";
const PARAMETER_ARN: &str = "arn:aws:ssm:eu-west-1:123456789012:parameter/api/key";
const CERTIFICATE_ARN: &str = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d";

fn v(s: &str) -> Value {
    Value::string(s)
}

fn object(pairs: Vec<(&str, Value)>) -> Value {
    Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

fn inputs(extra: Vec<(&str, Value)>) -> PropertyMap {
    let mut m = PropertyMap::from([("image".to_string(), v("ghcr.io/acme/api:1.4.2"))]);
    m.extend(extra.into_iter().map(|(k, v)| (k.to_string(), v)));
    m
}

fn call(name: &str, inputs: PropertyMap) -> ConstructCall {
    let mut c = ConstructCall::new(super::DEFINITION.token, name, inputs);
    c.config = BTreeMap::from([("aws:region".to_string(), REGION.to_string())]);
    c
}

/// Outputs a real deployment would produce beyond the echoed inputs.
fn deployed() -> FakeMonitorConfig {
    FakeMonitorConfig {
        dry_run: false,
        outputs: Arc::new(|token, name, _| {
            let arn =
                |kind: &str| Value::string(format!("arn:aws:{kind}:eu-west-1:123456789012:{name}"));
            let pairs: Vec<(&str, Value)> = match token {
                "aws:lb/loadBalancer:LoadBalancer" => vec![
                    ("dnsName", v("api-lb-123.eu-west-1.elb.amazonaws.com")),
                    ("arn", arn("elasticloadbalancing")),
                    ("arnSuffix", v("app/api-lb/50dc6c495c0c9188")),
                ],
                "aws:lb/targetGroup:TargetGroup" => vec![
                    ("arn", arn("elasticloadbalancing")),
                    ("arnSuffix", v("targetgroup/api-tg/73e2d6bc24d8a067")),
                ],
                "aws:ecs/cluster:Cluster" | "aws:ecs/taskDefinition:TaskDefinition" => {
                    vec![("arn", arn("ecs"))]
                }
                "aws:iam/role:Role" => vec![("arn", arn("iam")), ("name", Value::string(name))],
                _ => vec![],
            };
            pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
        }),
        ..FakeMonitorConfig::default()
    }
}

/// Run Construct as `pulumi up` would and return the monitor.
async fn construct(extra: Vec<(&str, Value)>) -> FakeMonitor {
    let monitor = FakeMonitor::start(deployed()).await;
    monitor
        .construct(&WebService, &call("api", inputs(extra)))
        .await
        .expect("construct");
    monitor
}

/// The child registered under plan key `key` (logical names are `api-<suffix>`).
fn child(monitor: &FakeMonitor, suffix: &str) -> Registration {
    monitor.named(&format!("api-{suffix}"))
}

fn json(value: &Value) -> serde_json::Value {
    match value.strip() {
        Value::String(s) => serde_json::from_str(&s).expect("a JSON document"),
        other => panic!("not JSON text: {other:?}"),
    }
}

fn types(monitor: &FakeMonitor) -> Vec<String> {
    monitor.registrations()[1..]
        .iter()
        .map(|r| r.type_token.clone())
        .collect()
}

#[tokio::test]
async fn a_default_service_gets_its_own_vpc_load_balancer_and_service_under_the_component() {
    let monitor = construct(vec![]).await;
    let regs = monitor.registrations();
    assert_eq!(regs[0].type_token, "launchpad:index:WebService");
    let t = types(&monitor);
    for token in [
        "aws:ec2/vpc:Vpc",
        "aws:ec2/internetGateway:InternetGateway",
        "aws:ec2/route:Route",
        "aws:lb/loadBalancer:LoadBalancer",
        "aws:lb/targetGroup:TargetGroup",
        "aws:lb/listener:Listener",
        "aws:ecs/cluster:Cluster",
        "aws:cloudwatch/logGroup:LogGroup",
        "aws:ecs/taskDefinition:TaskDefinition",
        "aws:ecs/service:Service",
    ] {
        assert_eq!(
            t.iter().filter(|x| *x == token).count(),
            1,
            "{token} in {t:?}"
        );
    }
    assert_eq!(
        t.iter().filter(|x| *x == "aws:ec2/subnet:Subnet").count(),
        2
    );
    assert_eq!(t.iter().filter(|x| *x == "aws:iam/role:Role").count(), 2);
    for c in &regs[1..] {
        assert_eq!(c.parent, regs[0].urn, "{}", c.name);
        assert_eq!(c.version, AWS_PROVIDER_VERSION, "{}", c.name);
    }
    // Two zones of the stack's region, from the built-in table of zone IDs
    // (the same zones in every account): no AWS call.
    let zones: Vec<Value> = ["public-1", "public-2"]
        .iter()
        .map(|s| child(&monitor, s).inputs["availabilityZoneId"].clone())
        .collect();
    assert_ne!(zones[0], zones[1]);
    for z in &zones {
        assert!(
            matches!(z, Value::String(s) if s.starts_with("euw1-az")),
            "{z:?}"
        );
    }
    let names: BTreeMap<_, _> = regs
        .iter()
        .map(|r| (r.name.clone(), r.type_token.clone()))
        .collect();
    assert_eq!(
        names.len(),
        regs.len(),
        "every child has its own logical name"
    );
    // No scaling, no secrets policy, no exec policy, no HTTPS.
    for absent in [
        "scaling",
        "exec-secrets",
        "task-exec",
        "https",
        "lb-in-https",
    ] {
        assert!(
            monitor
                .registrations()
                .iter()
                .all(|r| r.name != format!("api-{absent}")),
            "{absent} registered"
        );
    }
}

#[tokio::test]
async fn only_the_listener_ports_are_open_and_tasks_take_only_the_load_balancers_traffic() {
    let monitor = construct(vec![("port", Value::Number(3000.0))]).await;
    let http = child(&monitor, "lb-in-http").inputs;
    assert_eq!(http["fromPort"], Value::Number(80.0));
    assert_eq!(http["toPort"], Value::Number(80.0));
    assert_eq!(http["cidrIpv4"], v("0.0.0.0/0"));
    let to_tasks = child(&monitor, "lb-out-tasks").inputs;
    assert_eq!(to_tasks["fromPort"], Value::Number(3000.0));
    assert_eq!(to_tasks["referencedSecurityGroupId"], v("api-tasks-sg-id"));
    let from_lb = child(&monitor, "tasks-in-lb").inputs;
    assert_eq!(from_lb["fromPort"], Value::Number(3000.0));
    assert_eq!(from_lb["toPort"], Value::Number(3000.0));
    assert_eq!(from_lb["securityGroupId"], v("api-tasks-sg-id"));
    assert_eq!(from_lb["referencedSecurityGroupId"], v("api-lb-sg-id"));
    assert!(
        !from_lb.contains_key("cidrIpv4"),
        "tasks are not open to any address"
    );
    // Every rule on either group: nothing else is open.
    let rules: Vec<Registration> = monitor
        .registrations()
        .into_iter()
        .filter(|r| r.type_token.starts_with("aws:vpc/securityGroup"))
        .collect();
    let ingress: Vec<(String, Value)> = rules
        .iter()
        .filter(|r| r.type_token.contains("Ingress"))
        .map(|r| (r.name.clone(), r.inputs["fromPort"].clone()))
        .collect();
    assert_eq!(
        ingress,
        vec![
            ("api-lb-in-http".to_string(), Value::Number(80.0)),
            ("api-tasks-in-lb".to_string(), Value::Number(3000.0))
        ]
    );
    let egress_ports: Vec<Value> = rules
        .iter()
        .filter(|r| {
            r.type_token.contains("Egress") && r.inputs["securityGroupId"] == v("api-tasks-sg-id")
        })
        .map(|r| r.inputs["fromPort"].clone())
        .collect();
    assert_eq!(
        egress_ports,
        vec![Value::Number(443.0), Value::Number(5432.0)]
    );
    let tg = child(&monitor, "tg").inputs;
    assert_eq!(tg["port"], Value::Number(3000.0));
    assert_eq!(tg["targetType"], v("ip"));
}

#[tokio::test]
async fn a_certificate_adds_https_with_a_modern_policy_and_http_redirects() {
    let monitor = construct(vec![("certificateArn", v(CERTIFICATE_ARN))]).await;
    let http = Value::Object(child(&monitor, "http").inputs)
        .to_json()
        .expect("known");
    assert_eq!(http["defaultActions"][0]["type"], "redirect");
    assert_eq!(http["defaultActions"][0]["redirect"]["protocol"], "HTTPS");
    assert_eq!(
        http["defaultActions"][0]["redirect"]["statusCode"],
        "HTTP_301"
    );
    let https = Value::Object(child(&monitor, "https").inputs)
        .to_json()
        .expect("known");
    assert_eq!(https["port"], 443);
    assert_eq!(https["protocol"], "HTTPS");
    assert_eq!(https["certificateArn"], CERTIFICATE_ARN);
    assert_eq!(https["sslPolicy"], "ELBSecurityPolicy-TLS13-1-2-2021-06");
    assert_eq!(https["defaultActions"][0]["type"], "forward");
    assert_eq!(
        child(&monitor, "lb-in-https").inputs["fromPort"],
        Value::Number(443.0)
    );
}

#[tokio::test]
async fn https_listener_says_at_preview_whether_the_service_has_its_https_listener() {
    for (extra, https) in [
        (vec![("certificateArn", v(CERTIFICATE_ARN))], true),
        (vec![], false),
    ] {
        let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
        let made = monitor
            .construct(&WebService, &call("api", inputs(extra)))
            .await
            .expect("construct");
        assert_eq!(made.state["httpsListener"], Value::Bool(https));
    }
}

#[tokio::test]
async fn secrets_are_read_by_ecs_and_the_execution_role_may_read_exactly_those() {
    let monitor = construct(vec![
        (
            "secrets",
            object(vec![
                ("DATABASE_URL", v(SECRET_ARN)),
                ("API_KEY", v(PARAMETER_ARN)),
                ("DB_PASSWORD", v(&format!("{SECRET_ARN}:password::"))),
            ]),
        ),
        ("environment", object(vec![("LOG_LEVEL", v("info"))])),
    ])
    .await;
    let task = child(&monitor, "task").inputs;
    let containers = json(&task["containerDefinitions"]);
    let c = &containers[0];
    assert_eq!(
        c["environment"],
        serde_json::json!([{"name": "LOG_LEVEL", "value": "info"}])
    );
    let secrets: Vec<(&str, &str)> = c["secrets"]
        .as_array()
        .expect("secrets")
        .iter()
        .map(|s| {
            (
                s["name"].as_str().expect("name"),
                s["valueFrom"].as_str().expect("from"),
            )
        })
        .collect();
    assert!(secrets.contains(&("DATABASE_URL", SECRET_ARN)));
    assert!(secrets.contains(&("API_KEY", PARAMETER_ARN)));
    assert_eq!(c["logConfiguration"]["options"]["awslogs-region"], REGION);
    let policy = json(&child(&monitor, "exec-secrets").inputs["policy"]);
    let statements = policy["Statement"].as_array().expect("statements");
    assert_eq!(
        statements[0]["Action"],
        serde_json::json!(["secretsmanager:GetSecretValue"])
    );
    // The JSON key is not part of what IAM authorises: the secret itself, once.
    // The secret itself, once (a JSON key is not part of what IAM authorises),
    // and with the suffix Secrets Manager appends to a name-only ARN.
    assert_eq!(
        statements[0]["Resource"],
        serde_json::json!([SECRET_ARN, format!("{SECRET_ARN}-??????")])
    );
    assert_eq!(
        statements[1]["Action"],
        serde_json::json!(["ssm:GetParameters"])
    );
    assert_eq!(
        statements[1]["Resource"],
        serde_json::json!([PARAMETER_ARN])
    );
    assert!(
        !policy.to_string().contains('*'),
        "no wildcard resource: {policy}"
    );
    // The service starts only once its role may read them.
    let service = child(&monitor, "service");
    assert!(
        service
            .dependencies
            .contains(&child(&monitor, "exec-secrets").urn)
    );
}

const KEY_ARN: &str = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

#[tokio::test]
async fn secrets_under_a_customer_managed_key_may_be_decrypted_with_exactly_that_key() {
    // Without kms:Decrypt on the key that encrypts a secret, ECS cannot read it
    // and the task never starts.
    let other_region =
        "arn:aws:kms:us-east-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef";
    let same_region = "arn:aws:kms:eu-west-1:123456789012:key/0000abcd-12ab-34cd-56ef-1234567890ab";
    let monitor = construct(vec![
        (
            "secrets",
            object(vec![
                ("DATABASE_URL", v(SECRET_ARN)),
                ("API_KEY", v(PARAMETER_ARN)),
            ]),
        ),
        (
            "secretsKmsKeyArns",
            Value::Array(vec![v(KEY_ARN), v(other_region), v(same_region)]),
        ),
    ])
    .await;
    let policy = json(&child(&monitor, "exec-secrets").inputs["policy"]);
    let statements = policy["Statement"].as_array().expect("statements");
    let decrypt = statements
        .iter()
        .find(|s| s["Action"] == serde_json::json!(["kms:Decrypt"]))
        .expect("a kms:Decrypt statement");
    assert_eq!(
        decrypt["Resource"],
        serde_json::json!([KEY_ARN, other_region, same_region])
    );
    // Only when Secrets Manager or Systems Manager decrypts for the role, in
    // each key's region (each once): the role cannot use the keys directly.
    assert_eq!(
        decrypt["Condition"],
        serde_json::json!({"StringEquals": {"kms:ViaService": [
            "secretsmanager.eu-west-1.amazonaws.com",
            "ssm.eu-west-1.amazonaws.com",
            "secretsmanager.us-east-1.amazonaws.com",
            "ssm.us-east-1.amazonaws.com",
        ]}})
    );
    // Only the services the secrets come from.
    let only_ssm = construct(vec![
        ("secrets", object(vec![("API_KEY", v(PARAMETER_ARN))])),
        ("secretsKmsKeyArns", Value::Array(vec![v(KEY_ARN)])),
    ])
    .await;
    let policy = json(&child(&only_ssm, "exec-secrets").inputs["policy"]);
    assert!(
        policy
            .to_string()
            .contains(r#""kms:ViaService":["ssm.eu-west-1.amazonaws.com"]"#),
        "{policy}"
    );
    // No keys, no kms:Decrypt.
    let plain = construct(vec![("secrets", object(vec![("DB", v(SECRET_ARN))]))]).await;
    let policy = json(&child(&plain, "exec-secrets").inputs["policy"]);
    assert!(!policy.to_string().contains("kms:"), "{policy}");
}

#[tokio::test]
async fn in_china_the_keys_may_serve_either_spelling_of_the_services_endpoint() {
    let monitor = FakeMonitor::start(deployed()).await;
    let mut c = call(
        "api",
        inputs(vec![
            (
                "secrets",
                object(vec![(
                    "DB",
                    v("arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:db-AbC123"),
                )]),
            ),
            (
                "secretsKmsKeyArns",
                Value::Array(vec![v(
                    "arn:aws-cn:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                )]),
            ),
            (
                "availabilityZones",
                Value::Array(vec![v("cn-north-1a"), v("cn-north-1b")]),
            ),
        ]),
    );
    c.config
        .insert("aws:region".to_string(), "cn-north-1".to_string());
    monitor.construct(&WebService, &c).await.expect("construct");
    let policy = json(&child(&monitor, "exec-secrets").inputs["policy"]);
    assert!(
        policy.to_string().contains(
            r#""kms:ViaService":["secretsmanager.cn-north-1.amazonaws.com","secretsmanager.cn-north-1.amazonaws.com.cn"]"#
        ),
        "{policy}"
    );
}

#[tokio::test]
async fn a_key_that_is_another_resources_output_leaves_the_policy_unknown_at_preview() {
    // At preview the key is another resource's output: the policy is unknown,
    // nothing is refused. At `up` it arrives known, and is granted like any
    // known key (its region from its ARN, as above).
    let preview = FakeMonitor::start(FakeMonitorConfig::default()).await;
    preview
        .construct(
            &WebService,
            &call(
                "api",
                inputs(vec![
                    ("secrets", object(vec![("DB", v(SECRET_ARN))])),
                    ("secretsKmsKeyArns", Value::Array(vec![Value::unknown()])),
                ]),
            ),
        )
        .await
        .expect("construct");
    assert_eq!(
        child(&preview, "exec-secrets").inputs["policy"],
        Value::unknown()
    );
}

#[tokio::test]
async fn ecs_may_assume_the_roles_only_for_tasks_of_the_services_own_account() {
    let monitor = construct(vec![]).await;
    let cluster = child(&monitor, "cluster");
    for role in ["exec-role", "task-role"] {
        let r = child(&monitor, role);
        let trust = json(&r.inputs["assumeRolePolicy"]);
        let statement = &trust["Statement"][0];
        assert_eq!(
            statement["Principal"],
            serde_json::json!({"Service": "ecs-tasks.amazonaws.com"})
        );
        // The account of the cluster this component created (its ARN).
        assert_eq!(
            statement["Condition"],
            serde_json::json!({"StringEquals": {"aws:SourceAccount": "123456789012"}}),
            "{role}"
        );
        assert!(r.dependencies.contains(&cluster.urn), "{role}");
    }
    // At preview the cluster does not exist yet: the policy is unknown, and
    // no lookup (no credentials) is needed to plan it (the fake monitor
    // refuses every invoke, so Construct would fail on one).
    let preview = FakeMonitor::start(FakeMonitorConfig::default()).await;
    preview
        .construct(&WebService, &call("api", inputs(vec![])))
        .await
        .expect("construct");
    assert_eq!(
        child(&preview, "task-role").inputs["assumeRolePolicy"],
        Value::unknown()
    );
}

#[tokio::test]
async fn a_secret_environment_value_keeps_the_task_definition_secret() {
    let monitor = construct(vec![(
        "environment",
        object(vec![("TOKEN", Value::Secret(Box::new(v("t0k3n"))))]),
    )])
    .await;
    let task = child(&monitor, "task").inputs;
    assert!(matches!(task["containerDefinitions"], Value::Secret(_)));
}

#[tokio::test]
async fn an_existing_network_is_used_as_given_with_private_task_subnets() {
    let monitor = construct(vec![(
        "network",
        object(vec![
            ("vpcId", v("vpc-0123456789abcdef0")),
            (
                "subnetIds",
                Value::Array(vec![v("subnet-aaaa1111"), v("subnet-bbbb2222")]),
            ),
            ("taskSubnetIds", Value::Array(vec![v("subnet-cccc3333")])),
        ]),
    )])
    .await;
    let t = types(&monitor);
    assert!(
        !t.iter()
            .any(|x| x.starts_with("aws:ec2/vpc") || x.starts_with("aws:ec2/subnet"))
    );
    let lb = child(&monitor, "lb").inputs;
    assert_eq!(
        lb["subnets"],
        Value::Array(vec![v("subnet-aaaa1111"), v("subnet-bbbb2222")])
    );
    let service = Value::Object(child(&monitor, "service").inputs)
        .to_json()
        .expect("known");
    assert_eq!(
        service["networkConfiguration"]["subnets"],
        serde_json::json!(["subnet-cccc3333"])
    );
    assert_eq!(service["networkConfiguration"]["assignPublicIp"], false);
    assert_eq!(
        child(&monitor, "tg").inputs["vpcId"],
        v("vpc-0123456789abcdef0")
    );
}

#[tokio::test]
async fn scaling_tracks_its_targets_and_updates_never_reset_the_count() {
    let monitor = construct(vec![(
        "scaling",
        object(vec![
            ("minCount", Value::Number(2.0)),
            ("maxCount", Value::Number(10.0)),
            ("cpuTargetPercent", Value::Number(60.0)),
            ("requestsPerTarget", Value::Number(500.0)),
        ]),
    )])
    .await;
    let target = child(&monitor, "scaling").inputs;
    assert_eq!(target["minCapacity"], Value::Number(2.0));
    assert_eq!(target["maxCapacity"], Value::Number(10.0));
    assert_eq!(target["scalableDimension"], v("ecs:service:DesiredCount"));
    let requests = Value::Object(child(&monitor, "scale-requests").inputs)
        .to_json()
        .expect("known");
    let spec = &requests["targetTrackingScalingPolicyConfiguration"];
    assert_eq!(spec["targetValue"], 500);
    assert_eq!(
        spec["predefinedMetricSpecification"]["predefinedMetricType"],
        "ALBRequestCountPerTarget"
    );
    assert!(
        monitor
            .registrations()
            .iter()
            .all(|r| r.name != "api-scale-memory")
    );
    let service = child(&monitor, "service");
    assert!(
        service
            .raw
            .ignore_changes
            .contains(&"desiredCount".to_string())
    );
    assert_eq!(service.inputs["desiredCount"], Value::Number(2.0));
}

#[tokio::test]
async fn spot_uses_capacity_providers_and_keeps_one_task_on_regular_fargate() {
    let monitor = construct(vec![("spot", Value::Number(70.0))]).await;
    let service = Value::Object(child(&monitor, "service").inputs)
        .to_json()
        .expect("known");
    assert!(service.get("launchType").is_none());
    assert_eq!(
        service["capacityProviderStrategies"],
        serde_json::json!([
            {"capacityProvider": "FARGATE", "base": 1, "weight": 30},
            {"capacityProvider": "FARGATE_SPOT", "weight": 70}
        ])
    );
    assert!(
        types(&monitor)
            .contains(&"aws:ecs/clusterCapacityProviders:ClusterCapacityProviders".to_string())
    );
    // Without Spot the strategy is all regular Fargate: changing `spot` later
    // updates the strategy (with a new deployment) instead of replacing the service.
    let regular = construct(vec![]).await;
    let service = Value::Object(child(&regular, "service").inputs)
        .to_json()
        .expect("known");
    assert!(service.get("launchType").is_none());
    assert_eq!(service["forceNewDeployment"], true);
    assert_eq!(
        service["capacityProviderStrategies"],
        serde_json::json!([{"capacityProvider": "FARGATE", "base": 0, "weight": 100}])
    );
}

#[tokio::test]
async fn a_tag_change_changes_only_the_services_tags_so_its_tasks_keep_running() {
    let tags = |team: &str| object(vec![("app", v("api")), ("team", v(team))]);
    let before = construct(vec![("tags", tags("payments"))]).await;
    let after = construct(vec![("tags", tags("billing"))]).await;
    let mut old = child(&before, "service").inputs;
    let mut new = child(&after, "service").inputs;
    assert_ne!(old.remove("tags"), new.remove("tags"));
    // No forceNewDeployment diff, nothing else: the provider updates tags
    // without UpdateService, so no task is replaced.
    assert_eq!(old, new);
    // Nor does any other child change beyond its tags (the task definition
    // keeps its revision, so the service does not deploy it).
    let untagged = |m: &FakeMonitor| {
        m.registrations()
            .into_iter()
            .filter(|r| r.custom)
            .map(|r| {
                let mut inputs = r.inputs;
                inputs.remove("tags");
                (r.name, inputs)
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(untagged(&before), untagged(&after));
}

#[tokio::test]
async fn every_spot_value_forces_the_deployment_a_strategy_change_needs() {
    // The provider refuses a strategy change unless the new inputs force a
    // deployment, and the planner cannot see the old strategy: the value must
    // hold for every `spot` the service can move to.
    for spot in [0.0, 30.0, 100.0] {
        let monitor = construct(vec![("spot", Value::Number(spot))]).await;
        assert_eq!(
            child(&monitor, "service").inputs["forceNewDeployment"],
            Value::Bool(true),
            "spot={spot}"
        );
    }
}

#[tokio::test]
async fn the_load_balancer_waits_for_the_internet_route_and_descriptions_are_plain() {
    let monitor = FakeMonitor::start(deployed()).await;
    // A name EC2 would refuse in a description.
    monitor
        .construct(&WebService, &call("Ünïcode's API", inputs(vec![])))
        .await
        .expect("construct");
    let regs = monitor.registrations();
    let lb = regs
        .iter()
        .find(|r| r.type_token == "aws:lb/loadBalancer:LoadBalancer")
        .expect("load balancer");
    let route = regs
        .iter()
        .find(|r| r.type_token == "aws:ec2/route:Route")
        .expect("route");
    assert!(
        lb.dependencies.contains(&route.urn),
        "public ALB before its gateway"
    );
    // EC2 takes only these characters in security group (and rule) descriptions.
    let allowed = |c: char| c.is_ascii_alphanumeric() || " ._-:/()#,@[]+=;{}!$*".contains(c);
    for r in regs
        .iter()
        .filter(|r| r.type_token.contains("ecurityGroup"))
    {
        let Value::String(d) = &r.inputs["description"] else {
            panic!("{} description", r.name)
        };
        assert!(d.chars().all(allowed), "{}: {d:?}", r.name);
    }
}

#[tokio::test]
async fn execute_command_is_granted_only_when_enabled() {
    let off = construct(vec![]).await;
    assert!(
        off.registrations()
            .iter()
            .all(|r| r.name != "api-task-exec")
    );
    assert_eq!(
        child(&off, "service").inputs["enableExecuteCommand"],
        Value::Bool(false)
    );
    let on = construct(vec![("enableExecuteCommand", Value::Bool(true))]).await;
    let policy = json(&child(&on, "task-exec").inputs["policy"]);
    assert!(policy.to_string().contains("ssmmessages:OpenDataChannel"));
    assert_eq!(
        child(&on, "task-exec").inputs["role"],
        v("api-task-role-id")
    );
}

/// Extra inputs, the property a refusal names, and what its message says.
type Refusal<'a> = (Vec<(&'a str, Value)>, &'a str, &'a str);

/// Construct with `extra`, expecting a refusal; returns (property, message, registrations).
async fn refused(extra: Vec<(&str, Value)>) -> (String, String, usize) {
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let c = call("api", inputs(extra));
    let e = monitor
        .construct(&WebService, &c)
        .await
        .expect_err("refused");
    let launchpad_protocol::ProtocolError::Input(i) = e else {
        panic!("expected an input error, got {e}");
    };
    (i.property, i.message, monitor.registrations().len())
}

#[tokio::test]
async fn bad_inputs_fail_before_anything_is_registered_naming_the_property() {
    let n = Value::Number;
    let cases: Vec<Refusal> = vec![
        (
            vec![("cpu", n(512.0)), ("memory", n(8192.0))],
            "memory",
            "memory=8192 is not valid with cpu=512",
        ),
        (
            vec![("cpu", n(300.0))],
            "cpu",
            "cpu=300 is not a Fargate size",
        ),
        (
            vec![("port", n(70000.0))],
            "port",
            "port=70000 is not valid; it must be a whole number from 1 to 65535",
        ),
        (
            vec![("image", v("Acme/API:latest"))],
            "image",
            "is not a valid image reference",
        ),
        (
            vec![("image", v("acme/api:bad tag"))],
            "image",
            "is not a valid image reference",
        ),
        (
            vec![("healthCheck", object(vec![("path", v("health"))]))],
            "healthCheck.path",
            "healthCheck.path=\"health\" must start with `/`",
        ),
        (
            vec![(
                "healthCheck",
                object(vec![
                    ("intervalSeconds", n(10.0)),
                    ("timeoutSeconds", n(10.0)),
                ]),
            )],
            "healthCheck.timeoutSeconds",
            "must be less than healthCheck.intervalSeconds=10",
        ),
        (
            vec![("healthCheck", object(vec![("matcher", v("ok"))]))],
            "healthCheck.matcher",
            "healthCheck.matcher=\"ok\" is not valid",
        ),
        (
            vec![(
                "scaling",
                object(vec![("minCount", n(5.0)), ("maxCount", n(2.0))]),
            )],
            "scaling.minCount",
            "scaling.minCount=5 is more than scaling.maxCount=2",
        ),
        (
            vec![("environment", object(vec![("1BAD", v("x"))]))],
            "environment.1BAD",
            "is not a valid environment variable name",
        ),
        (
            vec![
                ("environment", object(vec![("DB", v("x"))])),
                ("secrets", object(vec![("DB", v(SECRET_ARN))])),
            ],
            "secrets.DB",
            "DB is set in both `environment` and `secrets`",
        ),
        (
            vec![(
                "secrets",
                object(vec![("DB", v("arn:aws:s3:::bucket/key"))]),
            )],
            "secrets.DB",
            "is not an ARN of secretsmanager",
        ),
        (
            vec![(
                "secrets",
                object(vec![(
                    "DB",
                    v(
                        "arn:aws:ssm:eu-west-1:123456789012:parameter/aws/reference/secretsmanager/db",
                    ),
                )]),
            )],
            "secrets.DB",
            "give the secret's own ARN",
        ),
        (
            vec![(
                "certificateArn",
                v("arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d"),
            )],
            "certificateArn",
            "certificateArn is in us-east-1 but the service runs in eu-west-1",
        ),
        (
            vec![(
                "scaling",
                object(vec![("minCount", n(0.0)), ("maxCount", n(4.0))]),
            )],
            "scaling.minCount",
            "scaling.minCount=0 is not valid; it must be a whole number from 1 to 5000",
        ),
        (
            vec![(
                "certificateArn",
                v("arn:aws:iam::123456789012:server-certificate/x"),
            )],
            "certificateArn",
            "is not an ARN of acm `certificate/…`",
        ),
        (
            vec![("spot", n(50.0)), ("cpuArchitecture", v("ARM64"))],
            "spot",
            "Fargate Spot runs X86_64 only",
        ),
        (
            vec![("logRetentionDays", n(10.0))],
            "logRetentionDays",
            "logRetentionDays=10 is not a CloudWatch Logs retention (nearest: 7)",
        ),
        (
            vec![("availabilityZones", Value::Array(vec![v("eu-west-1a")]))],
            "availabilityZones",
            "needs two different zones",
        ),
        (
            vec![
                (
                    "availabilityZones",
                    Value::Array(vec![v("eu-west-1a"), v("eu-west-1b")]),
                ),
                (
                    "network",
                    object(vec![
                        ("vpcId", v("vpc-0123abcd")),
                        (
                            "subnetIds",
                            Value::Array(vec![v("subnet-1aaa"), v("subnet-2bbb")]),
                        ),
                    ]),
                ),
            ],
            "availabilityZones",
            "with `network` the subnets decide the zones",
        ),
        (
            vec![(
                "availabilityZones",
                Value::Array(vec![v("us-east-1a"), v("us-east-1b")]),
            )],
            "availabilityZones",
            "is not a zone of the stack's region eu-west-1",
        ),
        (
            vec![(
                "network",
                object(vec![
                    ("vpcId", v("vpc-0123abcd")),
                    ("subnetIds", Value::Array(vec![v("subnet-1111aaaa")])),
                ]),
            )],
            "network.subnetIds",
            "needs at least 2 subnets",
        ),
        (
            vec![(
                "network",
                object(vec![
                    ("vpcId", v("vpc-0123abcd")),
                    ("subnetIds", Value::Array(vec![v("sn-1"), v("subnet-2")])),
                ]),
            )],
            "network.subnetIds[0]",
            "is not an ID of the form \"subnet-",
        ),
        (
            vec![("secretsKmsKeyArns", Value::Array(vec![v(KEY_ARN)]))],
            "secretsKmsKeyArns",
            "but `secrets` is empty",
        ),
        (
            vec![
                ("secrets", object(vec![("DB", v(SECRET_ARN))])),
                (
                    "secretsKmsKeyArns",
                    Value::Array(vec![v(
                        "arn:aws:kms:eu-west-1:123456789012:alias/app-secrets",
                    )]),
                ),
            ],
            "secretsKmsKeyArns[0]",
            "is an alias ARN",
        ),
        (
            vec![
                ("secrets", object(vec![("DB", v(SECRET_ARN))])),
                ("secretsKmsKeyArns", Value::Array(vec![Value::Null])),
            ],
            "secretsKmsKeyArns[0]",
            "secretsKmsKeyArns[0] is null; list key ARNs only",
        ),
        (
            vec![
                ("secrets", object(vec![("DB", v(SECRET_ARN))])),
                (
                    "secretsKmsKeyArns",
                    Value::Array(vec![v("1234abcd-12ab-34cd-56ef-1234567890ab")]),
                ),
            ],
            "secretsKmsKeyArns[0]",
            "is not a KMS key ARN; a key ARN looks like \"arn:aws:kms:",
        ),
        (
            vec![
                ("secrets", object(vec![("DB", v(SECRET_ARN))])),
                (
                    "secretsKmsKeyArns",
                    Value::Array(vec![v(
                        "arn:aws-cn:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                    )]),
                ),
            ],
            "secretsKmsKeyArns[0]",
            "is a key of partition \"aws-cn\" but the component runs in \"aws\"",
        ),
        (
            vec![
                ("secrets", object(vec![("DB", v(SECRET_ARN))])),
                (
                    "secretsKmsKeyArns",
                    Value::Array(vec![v(KEY_ARN), v(KEY_ARN)]),
                ),
            ],
            "secretsKmsKeyArns",
            "twice",
        ),
    ];
    for (extra, property, message) in cases {
        let (p, m, registered) = refused(extra).await;
        assert_eq!(p, property, "{m}");
        assert!(
            m.contains(message),
            "{property}: {m:?} should contain {message:?}"
        );
        assert_eq!(registered, 0, "{property}: nothing may be registered");
    }
    // Without `aws:region`: aws_regions tests the refusal, free of this
    // process's environment.
}

#[tokio::test]
async fn an_unchanged_program_plans_the_same_children_twice() {
    // The task definition must not change on every update (awsx's problem).
    let first = construct(vec![(
        "environment",
        object(vec![("B", v("2")), ("A", v("1"))]),
    )])
    .await;
    let second = construct(vec![(
        "environment",
        object(vec![("A", v("1")), ("B", v("2"))]),
    )])
    .await;
    let defs = |m: &FakeMonitor| child(m, "task").inputs["containerDefinitions"].clone();
    assert_eq!(defs(&first), defs(&second));
    let names = |m: &FakeMonitor| {
        m.registrations()
            .iter()
            .map(|r| r.inputs.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&first), names(&second));
}

/// AWS's limits on the physical names a WebService derives.
const NAME_LIMITS: [(&str, &str, usize); 11] = [
    ("aws:lb/loadBalancer:LoadBalancer", "namePrefix", 6),
    ("aws:lb/targetGroup:TargetGroup", "namePrefix", 6),
    ("aws:ec2/securityGroup:SecurityGroup", "namePrefix", 100),
    ("aws:iam/role:Role", "namePrefix", 38),
    ("aws:ecs/cluster:Cluster", "name", 255),
    ("aws:ecs/service:Service", "name", 255),
    ("aws:ecs/taskDefinition:TaskDefinition", "family", 255),
    ("aws:cloudwatch/logGroup:LogGroup", "name", 512),
    ("aws:appautoscaling/policy:Policy", "name", 256),
    ("aws:ec2/securityGroup:SecurityGroup", "description", 255),
    ("aws:iam/role:Role", "description", 1000),
];

proptest::proptest! {
    #[test]
    fn derived_names_stay_within_aws_limits_whatever_the_name(name in "\\PC{1,200}") {
        let ctx = launchpad_core::ConstructContext {
            name: name.clone(),
            project: "p".into(),
            stack: "s".into(),
            config: BTreeMap::from([("aws:region".to_string(), REGION.to_string())]),
            ..Default::default()
        };
        let raw = inputs(vec![(
            "scaling",
            object(vec![("maxCount", Value::Number(4.0)), ("memoryTargetPercent", Value::Number(70.0))]),
        )]);
        let args = super::args::WebServiceArgs::decode(&ctx, &raw).expect("valid");
        let plan = super::plan::plan(&ctx, &args);
        for (token, property, max) in NAME_LIMITS {
            for c in plan.children.iter().filter(|c| c.type_token == token) {
                let Some(launchpad_core::Expr::Value(Value::String(s))) = c.inputs.get(property) else {
                    panic!("{} has no literal {property}", c.key);
                };
                proptest::prop_assert!(s.chars().count() <= max, "{}.{property} = {s:?} is longer than {max}", c.key);
                proptest::prop_assert!(!s.is_empty());
            }
        }
        let keys: std::collections::BTreeSet<&str> = plan.children.iter().map(|c| c.name.as_str()).collect();
        proptest::prop_assert_eq!(keys.len(), plan.children.len(), "child names are unique");
    }
}
