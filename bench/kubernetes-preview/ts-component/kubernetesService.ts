// launchpad's KubernetesService as a plain TypeScript ComponentResource on
// @pulumi/kubernetes: the peer bench/kubernetes-preview/run.py compares launchpad
// with. It checks the inputs a TypeScript author would check and registers the
// same objects, with the same names, inputs and options (deleteBeforeReplace,
// dependsOn, the provider version), as provider/components/src/kubernetes/plan.rs
// does for a service in an existing namespace, with its own service account, an
// autoscaler, an Ingress and an HTTP health check (what the benchmark declares;
// the other branches, createNamespace, httpRoute, fixed replicas, are left out).
// Keep it in step with plan.rs: run.py checks, before timing, that both programs
// register the same children.
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";

/** Seconds a rollout may go without progress before the startup budget (the controller's default). */
const ROLLOUT_ALLOWANCE_SECONDS = 600;
/** Seconds between startup checks. */
const STARTUP_PERIOD_SECONDS = 5;
/** The label every namespace carries, by which the NetworkPolicy selects namespaces. */
const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

export interface KeyRef {
    name: pulumi.Input<string>;
    key: pulumi.Input<string>;
}

export interface KubernetesServiceArgs {
    image: string;
    namespace?: pulumi.Input<string>;
    port?: number;
    servicePort?: number;
    cpu?: string;
    memory?: string;
    environment?: Record<string, pulumi.Input<string>>;
    secrets?: Record<string, KeyRef>;
    healthCheck?: { path?: string; startupTimeoutSeconds?: number; periodSeconds?: number; failureThreshold?: number };
    autoscaling?: { minReplicas?: number; maxReplicas?: number; cpuUtilization?: number };
    ingress?: {
        hosts: string[];
        path?: string;
        className?: pulumi.Input<string>;
        certManagerClusterIssuer?: pulumi.Input<string>;
        controllerNamespace: pulumi.Input<string>;
    };
    labels?: Record<string, string>;
}

export class KubernetesService extends pulumi.ComponentResource {
    public static readonly __pulumiType = "bench:index:KubernetesService";

    public readonly serviceName: pulumi.Output<string>;
    public readonly clusterDns: pulumi.Output<string>;
    public readonly url?: pulumi.Output<string>;

    constructor(name: string, args: KubernetesServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super(KubernetesService.__pulumiType, name, {}, opts);
        const port = args.port ?? 8080;
        const cpu = args.cpu ?? "250m";
        const memory = args.memory ?? "256Mi";
        const health = args.healthCheck ?? {};
        const startupTimeout = health.startupTimeoutSeconds ?? 300;
        const minReplicas = args.autoscaling?.minReplicas ?? 2;
        const maxReplicas = args.autoscaling?.maxReplicas ?? 10;
        validate(name, args.image, cpu, memory, port, minReplicas, maxReplicas, args.ingress?.hosts ?? []);

        const selector = { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": name };
        const labels = { ...selector, "app.kubernetes.io/managed-by": "launchpad", ...args.labels };
        const tag = args.image.match(/:([A-Za-z0-9_.-]{1,63})$/)?.[1];
        const podLabels = tag ? { ...labels, "app.kubernetes.io/version": tag, ...args.labels } : labels;
        const metadata = { name, namespace: args.namespace, labels };
        // No `version`: each child asks for the SDK's own (package.json pins it at
        // KUBERNETES_PROVIDER_VERSION), which is what launchpad's children ask for.
        const options = { parent: this, deleteBeforeReplace: true };

        const account = new k8s.core.v1.ServiceAccount(`${name}-serviceAccount`, {
            metadata,
            automountServiceAccountToken: false,
        }, options);

        const deadline = ROLLOUT_ALLOWANCE_SECONDS + startupTimeout;
        const probe = (periodSeconds: number, failureThreshold: number) => ({
            httpGet: { path: health.path ?? "/", port: "http" },
            periodSeconds,
            failureThreshold,
        });
        const env = [
            ...Object.entries(args.environment ?? {}).map(([n, value]) => ({ name: n, value })),
            ...Object.entries(args.secrets ?? {}).map(([n, ref]) => ({
                name: n,
                valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } },
            })),
        ];
        const deployment = new k8s.apps.v1.Deployment(`${name}-deployment`, {
            metadata: {
                ...metadata,
                labels: podLabels,
                annotations: { "pulumi.com/timeoutSeconds": `${deadline}` },
            },
            spec: {
                selector: { matchLabels: selector },
                strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: "25%" } },
                template: {
                    metadata: { labels: podLabels },
                    spec: {
                        serviceAccountName: name,
                        automountServiceAccountToken: false,
                        terminationGracePeriodSeconds: 30,
                        securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
                        topologySpreadConstraints: ["topology.kubernetes.io/zone", "kubernetes.io/hostname"].map(
                            (topologyKey) => ({
                                maxSkew: 1,
                                topologyKey,
                                whenUnsatisfiable: "ScheduleAnyway",
                                labelSelector: { matchLabels: selector },
                            })),
                        containers: [{
                            name: "app",
                            image: args.image,
                            ports: [{ name: "http", containerPort: port, protocol: "TCP" }],
                            resources: { requests: { cpu, memory }, limits: { memory } },
                            securityContext: {
                                allowPrivilegeEscalation: false,
                                capabilities: { drop: ["ALL"] },
                                readOnlyRootFilesystem: true,
                                runAsNonRoot: true,
                            },
                            env,
                            volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                            startupProbe: probe(STARTUP_PERIOD_SECONDS, Math.ceil(startupTimeout / STARTUP_PERIOD_SECONDS)),
                            readinessProbe: probe(health.periodSeconds ?? 10, health.failureThreshold ?? 3),
                            livenessProbe: probe(health.periodSeconds ?? 10, health.failureThreshold ?? 3),
                        }],
                        volumes: [{ name: "tmp", emptyDir: {} }],
                    },
                },
                progressDeadlineSeconds: deadline,
            },
        }, { ...options, dependsOn: [account] });

        const service = new k8s.core.v1.Service(`${name}-service`, {
            metadata,
            spec: {
                type: "ClusterIP",
                selector,
                ports: [{ name: "http", port: args.servicePort ?? 80, targetPort: "http", protocol: "TCP" }],
            },
        }, options);

        new k8s.autoscaling.v2.HorizontalPodAutoscaler(`${name}-autoscaler`, {
            metadata,
            spec: {
                scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
                minReplicas,
                maxReplicas,
                metrics: [{
                    type: "Resource",
                    resource: {
                        name: "cpu",
                        target: { type: "Utilization", averageUtilization: args.autoscaling?.cpuUtilization ?? 70 },
                    },
                }],
            },
        }, { ...options, dependsOn: [deployment] });

        if (maxReplicas > 1) {
            new k8s.policy.v1.PodDisruptionBudget(`${name}-disruptionBudget`, {
                metadata,
                spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
            }, options);
        }

        const from: k8s.types.input.networking.v1.NetworkPolicyPeer[] = [{ podSelector: {} }];
        if (args.ingress) {
            from.push({ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: args.ingress.controllerNamespace } } });
        }
        new k8s.networking.v1.NetworkPolicy(`${name}-networkPolicy`, {
            metadata,
            spec: {
                podSelector: { matchLabels: selector },
                policyTypes: ["Ingress"],
                ingress: [{ from, ports: [{ protocol: "TCP", port }] }],
            },
        }, options);

        this.serviceName = service.metadata.name;
        this.clusterDns = pulumi.interpolate`${service.metadata.name}.${service.metadata.namespace}.svc.cluster.local`;
        if (args.ingress) {
            const g = args.ingress;
            const path = g.path ?? "/";
            const tls = g.certManagerClusterIssuer ? `${name}-tls` : undefined;
            const ingress = new k8s.networking.v1.Ingress(`${name}-ingress`, {
                metadata: {
                    ...metadata,
                    annotations: g.certManagerClusterIssuer
                        ? { "cert-manager.io/cluster-issuer": g.certManagerClusterIssuer }
                        : undefined,
                },
                spec: {
                    rules: g.hosts.map((host) => ({
                        host,
                        http: {
                            paths: [{
                                path,
                                pathType: "Prefix",
                                backend: { service: { name, port: { name: "http" } } },
                            }],
                        },
                    })),
                    ingressClassName: g.className,
                    tls: tls ? [{ hosts: g.hosts, secretName: tls }] : undefined,
                },
            }, { ...options, dependsOn: [service] });
            const host = g.hosts.find((h) => !h.startsWith("*."));
            if (host) {
                this.url = ingress.metadata.name.apply(
                    () => `${tls ? "https" : "http"}://${host}${path.replace(/\/+$/, "")}`);
            }
        }
        this.registerOutputs({ serviceName: this.serviceName, clusterDns: this.clusterDns, url: this.url });
    }
}

/** What a careful author checks before Kubernetes would: names, quantities, ports, the autoscaler's range, hosts. */
function validate(name: string, image: string, cpu: string, memory: string, port: number,
    minReplicas: number, maxReplicas: number, hosts: string[]): void {
    if (!/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) {
        throw new Error(`name=${JSON.stringify(name)} is not a DNS-1035 label`);
    }
    if (!/^[^\s:/]+(\.[^\s:/]+)*(:[0-9]+)?(\/[^\s:]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[0-9a-f]{64})?$/.test(image)) {
        throw new Error(`image=${JSON.stringify(image)} is not an image reference`);
    }
    if (!/^([0-9]+(\.[0-9]+)?|[0-9]+m)$/.test(cpu)) {
        throw new Error(`cpu=${JSON.stringify(cpu)} is not a CPU quantity; valid: 250m, 0.5, 2`);
    }
    if (!/^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/.test(memory)) {
        throw new Error(`memory=${JSON.stringify(memory)} is not a memory quantity; valid: 256Mi, 1Gi, 500M`);
    }
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new Error(`port=${port} is not a port; valid: 1-65535`);
    }
    if (minReplicas > maxReplicas) {
        throw new Error(`autoscaling.minReplicas=${minReplicas} is above autoscaling.maxReplicas=${maxReplicas}`);
    }
    for (const host of hosts) {
        if (host.length > 253 || !/^(\*\.)?([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)*[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(host)) {
            throw new Error(`ingress.hosts: ${JSON.stringify(host)} is not a DNS name`);
        }
    }
}
