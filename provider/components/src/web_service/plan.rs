//! The WebService planner: validated args → the child resources, one
//! function per concern (network, security groups, load balancer, IAM,
//! service, scaling) composed by [`plan`].

use launchpad_core::{ChildResource, ComponentPlan, ConstructContext, Expr, Value};

use super::args::{ExistingNetwork, Network, WebServiceArgs, Zone};
use crate::aws_iam::{self, allow, role_policy};
use crate::aws_secrets;
use crate::cloudwatch_logs;
use crate::naming::AwsNames as Names;

/// Child keys, one place: a typo is a compile error, not a dangling reference.
pub mod key {
    #![allow(missing_docs)]
    pub const VPC: &str = "vpc";
    pub const SUBNETS: [&str; 2] = ["subnetA", "subnetB"];
    pub const GATEWAY: &str = "internetGateway";
    pub const ROUTE_TABLE: &str = "routeTable";
    pub const ROUTE: &str = "internetRoute";
    pub const ASSOCIATIONS: [&str; 2] = ["routeTableAssociationA", "routeTableAssociationB"];
    pub const LB_GROUP: &str = "loadBalancerSecurityGroup";
    pub const TASK_GROUP: &str = "taskSecurityGroup";
    pub const LB_INGRESS_HTTP: &str = "loadBalancerIngressHttp";
    pub const LB_INGRESS_HTTPS: &str = "loadBalancerIngressHttps";
    pub const LB_EGRESS: &str = "loadBalancerEgressToTasks";
    pub const TASK_INGRESS: &str = "taskIngressFromLoadBalancer";
    pub const TASK_EGRESS: [&str; 2] = ["taskEgressHttps", "taskEgressPostgres"];
    pub const LOAD_BALANCER: &str = "loadBalancer";
    pub const TARGET_GROUP: &str = "targetGroup";
    pub const HTTP_LISTENER: &str = "httpListener";
    pub const HTTPS_LISTENER: &str = "httpsListener";
    pub const CLUSTER: &str = "cluster";
    pub const CAPACITY_PROVIDERS: &str = "capacityProviders";
    pub const LOG_GROUP: &str = "logGroup";
    pub const EXECUTION_ROLE: &str = "executionRole";
    pub const EXECUTION_POLICY: &str = "executionRolePolicy";
    pub const SECRETS_POLICY: &str = "executionSecretsPolicy";
    pub const TASK_ROLE: &str = "taskRole";
    pub const EXEC_POLICY: &str = "taskExecuteCommandPolicy";
    pub const TASK_DEFINITION: &str = "taskDefinition";
    pub const SERVICE: &str = "service";
    pub const SCALING_TARGET: &str = "scalingTarget";
    pub const SCALING_POLICIES: [&str; 3] = ["scaleOnCpu", "scaleOnMemory", "scaleOnRequests"];
}

/// The container's name inside the task definition.
const CONTAINER: &str = "app";
/// The new VPC's address range and its two public subnets.
const VPC_CIDR: &str = "10.0.0.0/16";
const SUBNET_CIDRS: [&str; 2] = ["10.0.0.0/20", "10.0.16.0/20"];
/// ELB's TLS 1.3 + 1.2 policy, the current recommendation.
const TLS_POLICY: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/// Seconds a draining task keeps serving in-flight requests.
const DEREGISTRATION_DELAY: f64 = 30.0;
/// Ports the tasks may reach: HTTPS (image pulls, AWS APIs, web APIs) and
/// PostgreSQL (a database such as Neon).
const TASK_EGRESS_PORTS: [f64; 2] = [443.0, 5432.0];

/// Plan the children of a WebService named `ctx.name`.
pub fn plan(ctx: &ConstructContext, args: &WebServiceArgs) -> ComponentPlan {
    let names = Names::new(ctx, super::DEFINITION.token, "WebService", "service");
    let net = network(&names, args);
    let mut children = net.children;
    children.extend(security_groups(&names, args, &net.vpc_id));
    children.extend(load_balancer(
        &names,
        args,
        &net.vpc_id,
        &net.public_subnets,
        &net.ready,
    ));
    children.extend(iam(&names, args));
    children.extend(service(
        &names,
        args,
        &net.task_subnets,
        net.assign_public_ip,
        &net.ready,
    ));
    if args.inputs.scaling.is_some() {
        children.extend(scaling(&names, args));
    }
    let https = args.inputs.certificate_arn.is_some();
    let scheme = if https { "https://" } else { "http://" };
    ComponentPlan {
        children,
        outputs: [
            (
                "url",
                Expr::Concat(vec![
                    scheme.into(),
                    Expr::output(key::LOAD_BALANCER, "dnsName"),
                ]),
            ),
            (
                "loadBalancerDnsName",
                Expr::output(key::LOAD_BALANCER, "dnsName"),
            ),
            ("loadBalancerArn", Expr::output(key::LOAD_BALANCER, "arn")),
            ("serviceName", Expr::output(key::SERVICE, "name")),
            ("clusterName", Expr::output(key::CLUSTER, "name")),
            ("logGroupName", Expr::output(key::LOG_GROUP, "name")),
            ("vpcId", net.vpc_id),
            ("securityGroupId", Expr::output(key::TASK_GROUP, "id")),
            ("taskRoleArn", Expr::output(key::TASK_ROLE, "arn")),
            // Plain, known at preview: a StaticSite route checks it.
            ("httpsListener", Expr::Value(https.into())),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect(),
        ..ComponentPlan::default()
    }
}

fn tags(args: &WebServiceArgs) -> Option<Expr> {
    args.inputs.tags.clone().map(Expr::Value)
}

fn id(key: &str) -> Expr {
    Expr::output(key, "id")
}

/// The network the service runs in.
struct NetworkPlan {
    children: Vec<ChildResource>,
    vpc_id: Expr,
    public_subnets: Expr,
    task_subnets: Expr,
    assign_public_ip: bool,
    /// Children the service needs first (its route to the internet).
    ready: Vec<String>,
}

/// How a subnet names its zone.
fn zone_property(zone: &Zone) -> (&'static str, &str) {
    match zone {
        Zone::Name(n) => ("availabilityZone", n),
        Zone::Id(id) => ("availabilityZoneId", id),
    }
}

/// A VPC with two public subnets and an internet gateway, or the given one.
fn network(names: &Names, args: &WebServiceArgs) -> NetworkPlan {
    match &args.network {
        Network::Existing(ExistingNetwork {
            vpc_id,
            subnet_ids,
            task_subnet_ids,
        }) => NetworkPlan {
            children: Vec::new(),
            vpc_id: Expr::Value(vpc_id.clone()),
            public_subnets: Expr::Value(subnet_ids.clone()),
            task_subnets: Expr::Value(
                task_subnet_ids
                    .clone()
                    .unwrap_or_else(|| subnet_ids.clone()),
            ),
            assign_public_ip: task_subnet_ids.is_none(),
            ready: Vec::new(),
        },
        Network::New { zones } => {
            let vpc = names
                .child(key::VPC, "aws:ec2/vpc:Vpc", "vpc")
                .input("cidrBlock", VPC_CIDR)
                .input("enableDnsHostnames", true)
                .input("enableDnsSupport", true)
                .input_opt("tags", tags(args));
            let mut children = vec![vpc];
            for (i, zone) in zones.iter().enumerate() {
                children.push(
                    names
                        .child(
                            key::SUBNETS[i],
                            "aws:ec2/subnet:Subnet",
                            &format!("public-{}", i + 1),
                        )
                        .input("vpcId", id(key::VPC))
                        .input("cidrBlock", SUBNET_CIDRS[i])
                        .input(zone_property(zone).0, zone_property(zone).1)
                        // Tasks get public IPs from the service, not from the subnet.
                        .input("mapPublicIpOnLaunch", false)
                        .input_opt("tags", tags(args)),
                );
            }
            children.push(
                names
                    .child(
                        key::GATEWAY,
                        "aws:ec2/internetGateway:InternetGateway",
                        "igw",
                    )
                    .input("vpcId", id(key::VPC))
                    .input_opt("tags", tags(args)),
            );
            children.push(
                names
                    .child(
                        key::ROUTE_TABLE,
                        "aws:ec2/routeTable:RouteTable",
                        "public-routes",
                    )
                    .input("vpcId", id(key::VPC))
                    .input_opt("tags", tags(args)),
            );
            children.push(
                names
                    .child(key::ROUTE, "aws:ec2/route:Route", "internet-route")
                    .input("routeTableId", id(key::ROUTE_TABLE))
                    .input("destinationCidrBlock", "0.0.0.0/0")
                    .input("gatewayId", id(key::GATEWAY)),
            );
            for i in 0..2 {
                children.push(
                    names
                        .child(
                            key::ASSOCIATIONS[i],
                            "aws:ec2/routeTableAssociation:RouteTableAssociation",
                            &format!("public-{}-routes", i + 1),
                        )
                        .input("subnetId", id(key::SUBNETS[i]))
                        .input("routeTableId", id(key::ROUTE_TABLE)),
                );
            }
            let subnets = Expr::Array(key::SUBNETS.iter().map(|k| id(k)).collect());
            NetworkPlan {
                children,
                vpc_id: id(key::VPC),
                public_subnets: subnets.clone(),
                task_subnets: subnets,
                assign_public_ip: true,
                ready: [key::ROUTE, key::ASSOCIATIONS[0], key::ASSOCIATIONS[1]]
                    .map(String::from)
                    .to_vec(),
            }
        }
    }
}

/// One TCP rule of a security group, as data.
struct Rule<'a> {
    key: &'a str,
    suffix: String,
    group: &'a str,
    ingress: bool,
    port: Expr,
    /// `cidrIpv4` or `referencedSecurityGroupId`, and its value.
    peer: (&'static str, Expr),
    description: &'a str,
}

impl Rule<'_> {
    fn child(self, names: &Names) -> ChildResource {
        let token = if self.ingress {
            "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
        } else {
            "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
        };
        names
            .child(self.key, token, &self.suffix)
            .input("securityGroupId", id(self.group))
            .input("ipProtocol", "tcp")
            .input("fromPort", self.port.clone())
            .input("toPort", self.port)
            .input(self.peer.0, self.peer.1)
            .input("description", self.description)
    }
}

/// The load balancer's and the tasks' groups, and their rules: the load
/// balancer takes only its listener ports and talks only to the tasks'
/// port; the tasks take only the load balancer's traffic.
fn security_groups(names: &Names, args: &WebServiceArgs, vpc_id: &Expr) -> Vec<ChildResource> {
    let group = |key: &str, suffix: &str, what: &str| {
        names
            .child(key, "aws:ec2/securityGroup:SecurityGroup", suffix)
            .input("vpcId", vpc_id.clone())
            .input("namePrefix", names.prefix(suffix, 100))
            .input("description", names.description(what))
            // Rules are their own resources: none inline, so none are removed by surprise.
            .input("revokeRulesOnDelete", true)
            .input_opt("tags", tags(args))
            // Both follow the component's name; changing either replaces the group.
            .with_options(|o| o.ignore_changes = vec!["namePrefix".into(), "description".into()])
    };
    let port = || Expr::Value(Value::from(&args.inputs.port));
    let anywhere = || ("cidrIpv4", Expr::from("0.0.0.0/0"));
    let mut rules = vec![Rule {
        key: key::LB_INGRESS_HTTP,
        suffix: "lb-in-http".into(),
        group: key::LB_GROUP,
        ingress: true,
        port: 80.0.into(),
        peer: anywhere(),
        description: "HTTP from anywhere",
    }];
    if args.inputs.certificate_arn.is_some() {
        rules.push(Rule {
            key: key::LB_INGRESS_HTTPS,
            suffix: "lb-in-https".into(),
            group: key::LB_GROUP,
            ingress: true,
            port: 443.0.into(),
            peer: anywhere(),
            description: "HTTPS from anywhere",
        });
    }
    rules.push(Rule {
        key: key::LB_EGRESS,
        suffix: "lb-out-tasks".into(),
        group: key::LB_GROUP,
        ingress: false,
        port: port(),
        peer: ("referencedSecurityGroupId", id(key::TASK_GROUP)),
        description: "to the task container port",
    });
    rules.push(Rule {
        key: key::TASK_INGRESS,
        suffix: "tasks-in-lb".into(),
        group: key::TASK_GROUP,
        ingress: true,
        port: port(),
        peer: ("referencedSecurityGroupId", id(key::LB_GROUP)),
        description: "from the load balancer",
    });
    for (i, p) in TASK_EGRESS_PORTS.into_iter().enumerate() {
        rules.push(Rule {
            key: key::TASK_EGRESS[i],
            suffix: format!("tasks-out-{p}"),
            group: key::TASK_GROUP,
            ingress: false,
            port: p.into(),
            peer: anywhere(),
            description: if p == 443.0 {
                "HTTPS out (images, AWS APIs)"
            } else {
                "PostgreSQL out"
            },
        });
    }
    let mut children = vec![
        group(key::LB_GROUP, "lb-sg", "load balancer"),
        group(key::TASK_GROUP, "tasks-sg", "tasks"),
    ];
    children.extend(rules.into_iter().map(|r| r.child(names)));
    children
}

/// The load balancer, its target group and listeners (HTTP forwards, or
/// redirects to HTTPS when a certificate is given).
fn load_balancer(
    names: &Names,
    args: &WebServiceArgs,
    vpc_id: &Expr,
    subnets: &Expr,
    network_ready: &[String],
) -> Vec<ChildResource> {
    let h = &args.inputs.health_check;
    let forward = || {
        Expr::Array(vec![Expr::object([
            ("type", "forward".into()),
            ("targetGroupArn", Expr::output(key::TARGET_GROUP, "arn")),
        ])])
    };
    let mut children = vec![
        names
            .child(key::LOAD_BALANCER, "aws:lb/loadBalancer:LoadBalancer", "lb")
            .input("namePrefix", names.short_prefix())
            .input("loadBalancerType", "application")
            .input("internal", false)
            .input("securityGroups", Expr::Array(vec![id(key::LB_GROUP)]))
            .input("subnets", subnets.clone())
            .input("dropInvalidHeaderFields", true)
            .input_opt("tags", tags(args))
            .with_options(|o| {
                o.ignore_changes = vec!["namePrefix".into()];
                // A public load balancer needs the VPC's internet gateway and
                // route first (and keeps them until it is gone).
                o.depends_on = network_ready.to_vec();
            }),
        names
            .child(key::TARGET_GROUP, "aws:lb/targetGroup:TargetGroup", "tg")
            // A prefix, so a replacement (new port) never collides with the old name.
            .input("namePrefix", names.short_prefix())
            .input("port", Value::from(&args.inputs.port))
            .input("protocol", "HTTP")
            .input("targetType", "ip")
            .input("vpcId", vpc_id.clone())
            .input("deregistrationDelay", DEREGISTRATION_DELAY)
            .input(
                "healthCheck",
                Expr::object([
                    ("enabled", true.into()),
                    ("path", Value::from(&h.path).into()),
                    ("interval", Value::from(&h.interval_seconds).into()),
                    ("timeout", Value::from(&h.timeout_seconds).into()),
                    ("healthyThreshold", Value::from(&h.healthy_threshold).into()),
                    (
                        "unhealthyThreshold",
                        Value::from(&h.unhealthy_threshold).into(),
                    ),
                    ("matcher", Value::from(&h.matcher).into()),
                ]),
            )
            .input_opt("tags", tags(args))
            .with_options(|o| o.ignore_changes = vec!["namePrefix".into()]),
    ];
    let http = names
        .child(key::HTTP_LISTENER, "aws:lb/listener:Listener", "http")
        .input("loadBalancerArn", Expr::output(key::LOAD_BALANCER, "arn"))
        .input("port", 80.0)
        .input("protocol", "HTTP")
        .input_opt("tags", tags(args));
    match &args.inputs.certificate_arn {
        None => children.push(http.input("defaultActions", forward())),
        Some(certificate) => {
            children.push(http.input(
                "defaultActions",
                Expr::Array(vec![Expr::object([
                    ("type", "redirect".into()),
                    (
                        "redirect",
                        Expr::object([
                            ("protocol", "HTTPS".into()),
                            ("port", "443".into()),
                            ("statusCode", "HTTP_301".into()),
                        ]),
                    ),
                ])]),
            ));
            children.push(
                names
                    .child(key::HTTPS_LISTENER, "aws:lb/listener:Listener", "https")
                    .input("loadBalancerArn", Expr::output(key::LOAD_BALANCER, "arn"))
                    .input("port", 443.0)
                    .input("protocol", "HTTPS")
                    .input("sslPolicy", TLS_POLICY)
                    .input("certificateArn", Expr::Value(certificate.clone()))
                    .input("defaultActions", forward())
                    .input_opt("tags", tags(args)),
            );
        }
    }
    children
}

/// A role ECS tasks assume, only for tasks of the account the service runs in.
///
/// ECS recommends `aws:SourceAccount` in the trust policy against the confused
/// deputy (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html).
/// The account ID is read from the cluster's ARN: the cluster is created
/// by this component before any task can assume the roles, its ARN names the
/// account (`arn:aws:ecs:<region>:<account>:cluster/<name>`), and reading it
/// needs no credentials at preview (unknown on the first preview, the deployed
/// value after). A `getCallerIdentity` invoke would be a lookup with
/// credentials at preview, which DESIGN.md forbids; `aws:SourceArn` with a
/// wildcard account would not tie the role to this account at all.
fn task_role(
    names: &Names,
    args: &WebServiceArgs,
    key: &str,
    suffix: &str,
    what: &str,
) -> ChildResource {
    // `arn:<partition>:ecs:<region>:<account>:cluster/<name>`
    let account = Expr::field(Expr::output(key::CLUSTER, "arn"), ':', 4);
    let condition = Expr::object([(
        "StringEquals",
        Expr::object([("aws:SourceAccount", account)]),
    )]);
    aws_iam::role(
        names,
        (key, suffix, what),
        "ecs-tasks.amazonaws.com",
        Some(condition),
        tags(args),
    )
}

/// The execution role (pull the image, write logs, read exactly the named
/// secrets) and the task role (the application's; ECS Exec when enabled).
fn iam(names: &Names, args: &WebServiceArgs) -> Vec<ChildResource> {
    let mut children = vec![
        task_role(
            names,
            args,
            key::EXECUTION_ROLE,
            "exec-role",
            "ECS execution role",
        ),
        names
            .child(
                key::EXECUTION_POLICY,
                "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                "exec-policy",
            )
            .input("role", Expr::output(key::EXECUTION_ROLE, "name"))
            .input(
                "policyArn",
                format!(
                    "arn:{}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
                    args.partition
                ),
            ),
    ];
    let statements = aws_secrets::read_statements(
        &args.secrets,
        args.secrets_kms_keys.as_ref(),
        &aws_secrets::Reader {
            owner: "Services",
            ssm_actions: &["ssm:GetParameters"],
            partition: args.partition,
        },
    );
    if !statements.is_empty() {
        children.push(role_policy(
            names,
            key::SECRETS_POLICY,
            "exec-secrets",
            key::EXECUTION_ROLE,
            statements,
        ));
    }
    children.push(task_role(
        names,
        args,
        key::TASK_ROLE,
        "task-role",
        "ECS task role",
    ));
    if *args.inputs.enable_execute_command {
        children.push(role_policy(
            names,
            key::EXEC_POLICY,
            "task-exec",
            key::TASK_ROLE,
            vec![allow(
                "EcsExec",
                &[
                    "ssmmessages:CreateControlChannel",
                    "ssmmessages:CreateDataChannel",
                    "ssmmessages:OpenControlChannel",
                    "ssmmessages:OpenDataChannel",
                ],
                vec!["*".into()],
            )],
        ));
    }
    children
}

/// The container definition, as ECS takes it (JSON text; secret when any
/// value in it is).
fn container_definitions(args: &WebServiceArgs) -> Expr {
    let environment = args
        .inputs
        .environment
        .iter()
        .map(|(name, value)| {
            Expr::object([
                ("name", name.as_str().into()),
                ("value", Expr::Value(value.clone())),
            ])
        })
        .collect();
    let secrets = args
        .secrets
        .iter()
        .map(|s| {
            Expr::object([
                ("name", s.name.as_str().into()),
                ("valueFrom", Expr::Value(s.value_from.clone())),
            ])
        })
        .collect();
    Expr::Json(Box::new(Expr::Array(vec![Expr::object([
        ("name", CONTAINER.into()),
        ("image", Expr::Value(args.inputs.image.clone())),
        ("essential", true.into()),
        (
            "portMappings",
            Expr::Array(vec![Expr::object([
                ("containerPort", Value::from(&args.inputs.port).into()),
                ("protocol", "tcp".into()),
            ])]),
        ),
        ("environment", Expr::Array(environment)),
        ("secrets", Expr::Array(secrets)),
        (
            "logConfiguration",
            Expr::object([
                ("logDriver", "awslogs".into()),
                (
                    "options",
                    Expr::object([
                        ("awslogs-group", Expr::output(key::LOG_GROUP, "name")),
                        ("awslogs-region", args.region.as_str().into()),
                        ("awslogs-stream-prefix", CONTAINER.into()),
                    ]),
                ),
            ]),
        ),
    ])])))
}

/// Cluster, logs, task definition and the service itself.
fn service(
    names: &Names,
    args: &WebServiceArgs,
    subnets: &Expr,
    assign_public_ip: bool,
    network_ready: &[String],
) -> Vec<ChildResource> {
    let mut children = vec![
        names
            .child(key::CLUSTER, "aws:ecs/cluster:Cluster", "cluster")
            .input("name", names.unique(255))
            .input(
                "settings",
                Expr::Array(vec![Expr::object([
                    ("name", "containerInsights".into()),
                    ("value", "enabled".into()),
                ])]),
            )
            .input_opt("tags", tags(args))
            .with_options(|o| o.ignore_changes = vec!["name".into()]),
        cloudwatch_logs::log_group(names, key::LOG_GROUP, &args.inputs.logs, tags(args)),
    ];
    // Always through capacity providers, so that changing `spot` is an update
    // of the service, never a replacement.
    children.push(
        names
            .child(
                key::CAPACITY_PROVIDERS,
                "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
                "capacity",
            )
            .input("clusterName", Expr::output(key::CLUSTER, "name"))
            .input(
                "capacityProviders",
                Expr::strings(&["FARGATE", "FARGATE_SPOT"]),
            ),
    );
    children.push(
        names
            .child(
                key::TASK_DEFINITION,
                "aws:ecs/taskDefinition:TaskDefinition",
                "task",
            )
            .input("family", names.unique(255))
            .input("cpu", args.size.cpu.to_string())
            .input("memory", args.size.memory.to_string())
            .input("networkMode", "awsvpc")
            .input("requiresCompatibilities", Expr::strings(&["FARGATE"]))
            .input("executionRoleArn", Expr::output(key::EXECUTION_ROLE, "arn"))
            .input("taskRoleArn", Expr::output(key::TASK_ROLE, "arn"))
            .input(
                "runtimePlatform",
                Expr::object([
                    ("operatingSystemFamily", "LINUX".into()),
                    (
                        "cpuArchitecture",
                        Value::from(&args.inputs.cpu_architecture).into(),
                    ),
                ]),
            )
            .input("containerDefinitions", container_definitions(args))
            .input_opt("tags", tags(args))
            .with_options(|o| o.ignore_changes = vec!["family".into()]),
    );
    let desired = match &args.inputs.scaling {
        Some(s) => Value::from(&s.min_count),
        None => Value::from(&args.inputs.desired_count),
    };
    // A whole number from 0 to 100 (checked when decoded).
    let spot = *args.inputs.spot as u32;
    let on_demand = 100 - spot;
    let mut strategies = Vec::new();
    if on_demand > 0 {
        strategies.push(Expr::object([
            ("capacityProvider", "FARGATE".into()),
            // With Spot, one task always stays on regular Fargate.
            ("base", if spot > 0 { 1.0 } else { 0.0 }.into()),
            ("weight", f64::from(on_demand).into()),
        ]));
    }
    if spot > 0 {
        strategies.push(Expr::object([
            ("capacityProvider", "FARGATE_SPOT".into()),
            ("weight", f64::from(spot).into()),
        ]));
    }
    let scaled = args.inputs.scaling.is_some();
    let waits: Vec<String> = network_ready
        .iter()
        .cloned()
        .chain([key::HTTP_LISTENER, key::EXECUTION_POLICY].map(String::from))
        .chain(
            args.inputs
                .certificate_arn
                .as_ref()
                .map(|_| key::HTTPS_LISTENER.to_string()),
        )
        .chain((!args.secrets.is_empty()).then(|| key::SECRETS_POLICY.to_string()))
        .chain([key::CAPACITY_PROVIDERS.to_string()])
        .collect();
    children.push(
        names
            .child(key::SERVICE, "aws:ecs/service:Service", "service")
            .input("name", names.unique(255))
            .input("cluster", Expr::output(key::CLUSTER, "arn"))
            .input("taskDefinition", Expr::output(key::TASK_DEFINITION, "arn"))
            .input("desiredCount", desired)
            .input("capacityProviderStrategies", Expr::Array(strategies))
            // The aws provider refuses to change the capacity provider strategy
            // of an existing service unless the NEW inputs say
            // forceNewDeployment: true (ECS moves tasks only with a deployment).
            // A planner sees no deployed state, so the value cannot depend on
            // whether `spot` changed: any rule that is false for some spot value
            // fails when spot changes to that value. So it is always true; it
            // acts only when the service is updated anyway. Tags are updated
            // without UpdateService, so a tag change never rolls the tasks;
            // with `scaling` the count is the autoscaler's; what remains
            // (desiredCount without scaling, the health check grace period)
            // rolls them, safely (100% healthy minimum, circuit breaker).
            .input("forceNewDeployment", true)
            .input(
                "networkConfiguration",
                Expr::object([
                    ("subnets", subnets.clone()),
                    ("securityGroups", Expr::Array(vec![id(key::TASK_GROUP)])),
                    ("assignPublicIp", assign_public_ip.into()),
                ]),
            )
            .input(
                "loadBalancers",
                Expr::Array(vec![Expr::object([
                    ("targetGroupArn", Expr::output(key::TARGET_GROUP, "arn")),
                    ("containerName", CONTAINER.into()),
                    ("containerPort", Value::from(&args.inputs.port).into()),
                ])]),
            )
            .input(
                "deploymentCircuitBreaker",
                Expr::object([("enable", true.into()), ("rollback", true.into())]),
            )
            .input("deploymentMinimumHealthyPercent", 100.0)
            .input("deploymentMaximumPercent", 200.0)
            .input(
                "healthCheckGracePeriodSeconds",
                Value::from(&args.inputs.health_check.grace_period_seconds),
            )
            .input(
                "enableExecuteCommand",
                Value::from(&args.inputs.enable_execute_command),
            )
            .input("propagateTags", "SERVICE")
            .input("waitForSteadyState", true)
            .input_opt("tags", tags(args))
            .with_options(|o| {
                o.depends_on = waits;
                o.ignore_changes.push("name".into());
                // The autoscaler owns the count: an update must not reset it.
                if scaled {
                    o.ignore_changes.push("desiredCount".into());
                }
            }),
    );
    children
}

/// The scalable target and one target-tracking policy per target.
fn scaling(names: &Names, args: &WebServiceArgs) -> Vec<ChildResource> {
    let Some(s) = &args.inputs.scaling else {
        return Vec::new();
    };
    let target = names
        .child(
            key::SCALING_TARGET,
            "aws:appautoscaling/target:Target",
            "scaling",
        )
        .input("minCapacity", Value::from(&s.min_count))
        .input("maxCapacity", Value::from(&s.max_count))
        .input(
            "resourceId",
            Expr::Concat(vec![
                "service/".into(),
                Expr::output(key::CLUSTER, "name"),
                "/".into(),
                Expr::output(key::SERVICE, "name"),
            ]),
        )
        .input("scalableDimension", "ecs:service:DesiredCount")
        .input("serviceNamespace", "ecs")
        .input_opt("tags", tags(args));
    let mut children = vec![target];
    let metrics = [
        (
            s.cpu_target_percent.as_ref(),
            "ECSServiceAverageCPUUtilization",
            "cpu",
            None,
        ),
        (
            s.memory_target_percent.as_ref(),
            "ECSServiceAverageMemoryUtilization",
            "memory",
            None,
        ),
        (
            s.requests_per_target.as_ref(),
            "ALBRequestCountPerTarget",
            "requests",
            Some(Expr::Concat(vec![
                Expr::output(key::LOAD_BALANCER, "arnSuffix"),
                "/".into(),
                Expr::output(key::TARGET_GROUP, "arnSuffix"),
            ])),
        ),
    ];
    for (i, (value, metric, suffix, label)) in metrics.into_iter().enumerate() {
        let Some(value) = value else { continue };
        let mut spec = vec![("predefinedMetricType", Expr::from(metric))];
        if let Some(label) = label {
            spec.push(("resourceLabel", label));
        }
        children.push(
            names
                .child(
                    key::SCALING_POLICIES[i],
                    "aws:appautoscaling/policy:Policy",
                    &format!("scale-{suffix}"),
                )
                .input("name", format!("{}-{suffix}", names.unique(200)))
                .input("policyType", "TargetTrackingScaling")
                .input(
                    "resourceId",
                    Expr::output(key::SCALING_TARGET, "resourceId"),
                )
                .input(
                    "scalableDimension",
                    Expr::output(key::SCALING_TARGET, "scalableDimension"),
                )
                .input(
                    "serviceNamespace",
                    Expr::output(key::SCALING_TARGET, "serviceNamespace"),
                )
                .input(
                    "targetTrackingScalingPolicyConfiguration",
                    Expr::object([
                        ("targetValue", Value::from(value).into()),
                        ("predefinedMetricSpecification", Expr::object(spec)),
                        (
                            "scaleInCooldown",
                            Value::from(&s.scale_in_cooldown_seconds).into(),
                        ),
                        (
                            "scaleOutCooldown",
                            Value::from(&s.scale_out_cooldown_seconds).into(),
                        ),
                    ]),
                )
                .with_options(|o| o.ignore_changes = vec!["name".into()]),
        );
    }
    children
}
