package main

// Closed value sets of properties the provider schemas type as plain strings.
//
// The generated SDKs type `networkMode`, `priceClass`, `ingress`, ... as `string`,
// so the schema check accepts any text; the real providers refuse a value outside
// the service's list at Check (the Terraform bridge runs the provider's
// validation, e.g. `enum.Validate[awstypes.NetworkMode]`), or the cloud API
// refuses it at create. Each set below names the page that lists its values.
// Lists are complete for the property, not just what our components send, so a
// value the service takes is never refused here.

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// ValueSet is the closed list of strings one property takes.
type ValueSet struct {
	// Token is the resource type token.
	Token string
	// Path leads to the property: names joined by `.`, `[*]` for every element
	// of a list, `(json)` to read a string as a JSON document (ECS's container
	// definitions), e.g. `containerDefinitions(json)[*].portMappings[*].protocol`.
	Path string
	// Values are the valid values, compared exactly (case matters to the APIs).
	Values []string
	// Source is the documentation page that lists them.
	Source string
}

// The provider source each rule cites (its validation and CustomizeDiff).
const (
	lambdaFunctionSource   = "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/lambda/function.go"
	lambdaPermissionSource = "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/lambda/permission.go"
	lambdaAliasSource      = "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/lambda/alias.go"
	lambdaURLSource        = "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/lambda/function_url.go"
	scheduleSource         = "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/scheduler/schedule.go"
	logGroupSource         = "https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/logs/group.go"
)

// The API pages that list a rule's range or a value set's values.
const (
	ecsTaskDefinitionDoc       = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html"
	ecsRuntimePlatformDoc      = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RuntimePlatform.html"
	elbTargetGroupDoc          = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html"
	elbListenerDoc             = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateListener.html"
	elbActionDoc               = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_Action.html"
	elbRedirectDoc             = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_RedirectActionConfig.html"
	aasTargetDoc               = "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html"
	aasPolicyDoc               = "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScalingPolicy.html"
	aasMetricDoc               = "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PredefinedMetricSpecification.html"
	cloudFrontDistDoc          = "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DistributionConfig.html"
	cloudFrontBehaviorDoc      = "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_DefaultCacheBehavior.html"
	cloudFrontCertDoc          = "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ViewerCertificate.html"
	cloudFrontOACDoc           = "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_OriginAccessControlConfig.html"
	cloudFrontCacheBehaviorDoc = "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CacheBehavior.html"
	cloudFrontPathPatternDoc   = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/DownloadDistValuesCacheBehavior.html#DownloadDistValuesPathPattern"
	cloudFrontCustomOriginDoc  = "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CustomOriginConfig.html"
	lambdaLoggingDoc           = "https://docs.aws.amazon.com/lambda/latest/api/API_LoggingConfig.html"
	schedulerCreateDoc         = "https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html"
	lambdaCreateDoc            = "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html"
	lambdaAliasDoc             = "https://docs.aws.amazon.com/lambda/latest/api/API_CreateAlias.html"
	lambdaURLDoc               = "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunctionUrlConfig.html"
	lambdaCorsDoc              = "https://docs.aws.amazon.com/lambda/latest/api/API_Cors.html"
	schedulerWindowDoc         = "https://docs.aws.amazon.com/scheduler/latest/APIReference/API_FlexibleTimeWindow.html"
	logsCreateGroupDoc         = "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html"
	logsRetentionDoc           = "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html"
)

// The tokens of the resources the rules check and the fake world answers specially.
const (
	lambdaFunctionToken   = "aws:lambda/function:Function"
	lambdaAliasToken      = "aws:lambda/alias:Alias"
	lambdaURLToken        = "aws:lambda/functionUrl:FunctionUrl"
	lambdaPermissionToken = "aws:lambda/permission:Permission"
	scheduleToken         = "aws:scheduler/schedule:Schedule"
	logGroupToken         = "aws:cloudwatch/logGroup:LogGroup"
	cloudFrontOACToken    = "aws:cloudfront/originAccessControl:OriginAccessControl"
)

// CloudFront Functions run on viewer events only (origin events are for Lambda@Edge).
var cloudFrontFunctionEvents = []string{"viewer-request", "viewer-response"}

// A function URL's auth type (CreateFunctionUrlConfig AuthType, AddPermission FunctionUrlAuthType).
var lambdaURLAuthTypes = []string{"AWS_IAM", "NONE"}

// lambdaAPIOnlyRuntimes: the Lambda API's Runtime values (deprecated ones included)
// that the pinned SDK's lambda.Runtime enum lacks. The provider validates against
// its SDK's copy of the API enum (enum.Validate[awstypes.Runtime]), so the value
// set is these plus that enum, read from the schema (schemaEnums). Whether a
// runtime is still supported is the component's business (it refuses deprecated
// ones, naming the successor).
var lambdaAPIOnlyRuntimes = []string{
	"dotnetcore1.0", "dotnetcore2.0", "java11.al2023", "java17.al2023", "java8.al2023",
	"nodejs", "nodejs26.x", "nodejs4.3", "nodejs4.3-edge", "nodejs6.10", "nodejs8.10", "python3.15", "ruby4.0",
}

// schemaEnums: value sets (by token and path) that also take every value of a
// provider schema enum, so the schema's list is not copied here.
var schemaEnums = map[[2]string]string{
	{lambdaFunctionToken, "runtime"}: "lambda.Runtime",
}

// Values CloudFront takes in DefaultCacheBehavior's AllowedMethods and CachedMethods.
var cloudFrontMethods = []string{"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"}

// Values CloudFront takes in a cache behavior's ViewerProtocolPolicy (default or ordered).
var viewerProtocolPolicies = []string{"allow-all", "https-only", "redirect-to-https"}

// Values Elastic Load Balancing takes as a target group's or a listener's Protocol.
var elbProtocols = []string{"GENEVE", "HTTP", "HTTPS", "QUIC", "TCP", "TCP_QUIC", "TCP_UDP", "TLS", "UDP"}

// Application Auto Scaling's ServiceNamespace values (RegisterScalableTarget, PutScalingPolicy).
var aasServiceNamespaces = []string{
	"appstream", "cassandra", "comprehend", "custom-resource", "dynamodb", "ec2", "ecs", "elasticache",
	"elasticmapreduce", "kafka", "lambda", "neptune", "rds", "sagemaker", "workspaces",
}

// valueSets: every enum-like property a launchpad component sets, and its neighbours.
var valueSets = []ValueSet{
	// ECS task definitions and services.
	{"aws:ecs/taskDefinition:TaskDefinition", "networkMode", []string{"awsvpc", "bridge", "host", "none"}, ecsTaskDefinitionDoc},
	{"aws:ecs/taskDefinition:TaskDefinition", "requiresCompatibilities[*]", []string{"EC2", "EXTERNAL", "FARGATE", "MANAGED_INSTANCES"}, ecsTaskDefinitionDoc},
	{"aws:ecs/taskDefinition:TaskDefinition", "runtimePlatform.cpuArchitecture", []string{"ARM64", "X86_64"}, ecsRuntimePlatformDoc},
	{"aws:ecs/taskDefinition:TaskDefinition", "runtimePlatform.operatingSystemFamily", []string{
		"LINUX", "WINDOWS_SERVER_2004_CORE", "WINDOWS_SERVER_2016_FULL", "WINDOWS_SERVER_2019_CORE",
		"WINDOWS_SERVER_2019_FULL", "WINDOWS_SERVER_2022_CORE", "WINDOWS_SERVER_2022_FULL",
		"WINDOWS_SERVER_2025_CORE", "WINDOWS_SERVER_2025_FULL", "WINDOWS_SERVER_20H2_CORE",
	}, ecsRuntimePlatformDoc},
	{"aws:ecs/taskDefinition:TaskDefinition", "containerDefinitions(json)[*].portMappings[*].protocol", []string{"tcp", "udp"},
		"https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html"},
	{"aws:ecs/taskDefinition:TaskDefinition", "containerDefinitions(json)[*].logConfiguration.logDriver", []string{
		"awsfirelens", "awslogs", "fluentd", "gelf", "journald", "json-file", "splunk", "syslog",
	}, "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LogConfiguration.html"},
	{"aws:ecs/service:Service", "launchType", []string{"EC2", "EXTERNAL", "FARGATE", "MANAGED_INSTANCES"},
		"https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html"},
	{"aws:ecs/service:Service", "propagateTags", []string{"NONE", "SERVICE", "TASK_DEFINITION"},
		"https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html"},
	{"aws:ecs/cluster:Cluster", "settings[*].name", []string{"containerInsights"},
		"https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ClusterSetting.html"},
	{"aws:ecs/cluster:Cluster", "settings[*].value", []string{"disabled", "enabled", "enhanced"},
		"https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ClusterSetting.html"},

	// Elastic Load Balancing.
	{"aws:lb/loadBalancer:LoadBalancer", "loadBalancerType", []string{"application", "gateway", "network"},
		"https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html"},
	{"aws:lb/targetGroup:TargetGroup", "targetType", []string{"alb", "instance", "ip", "lambda"}, elbTargetGroupDoc},
	{"aws:lb/targetGroup:TargetGroup", "protocol", elbProtocols, elbTargetGroupDoc},
	{"aws:lb/listener:Listener", "protocol", elbProtocols, elbListenerDoc},
	{"aws:lb/listener:Listener", "defaultActions[*].type", []string{
		"authenticate-cognito", "authenticate-oidc", "fixed-response", "forward", "jwt-validation", "redirect",
	}, elbActionDoc},
	{"aws:lb/listener:Listener", "defaultActions[*].redirect.statusCode", []string{"HTTP_301", "HTTP_302"}, elbRedirectDoc},
	{"aws:lb/listener:Listener", "defaultActions[*].redirect.protocol", []string{"#{protocol}", "HTTP", "HTTPS"}, elbRedirectDoc},

	// Application Auto Scaling.
	{"aws:appautoscaling/target:Target", "serviceNamespace", aasServiceNamespaces, aasTargetDoc},
	{"aws:appautoscaling/target:Target", "scalableDimension", scalableDimensions, aasTargetDoc},
	{"aws:appautoscaling/policy:Policy", "serviceNamespace", aasServiceNamespaces, aasPolicyDoc},
	{"aws:appautoscaling/policy:Policy", "scalableDimension", scalableDimensions, aasPolicyDoc},
	{"aws:appautoscaling/policy:Policy", "policyType", []string{"PredictiveScaling", "StepScaling", "TargetTrackingScaling"}, aasPolicyDoc},
	{"aws:appautoscaling/policy:Policy", "targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.predefinedMetricType", []string{
		"ALBRequestCountPerTarget", "AppStreamAverageCapacityUtilization", "CassandraReadCapacityUtilization",
		"CassandraWriteCapacityUtilization", "ComprehendInferenceUtilization", "DynamoDBReadCapacityUtilization",
		"DynamoDBWriteCapacityUtilization", "EC2SpotFleetRequestAverageCPUUtilization",
		"EC2SpotFleetRequestAverageNetworkIn", "EC2SpotFleetRequestAverageNetworkOut",
		"ECSServiceAverageCPUUtilization", "ECSServiceAverageCPUUtilizationHighResolution",
		"ECSServiceAverageMemoryUtilization", "ECSServiceAverageMemoryUtilizationHighResolution",
		"ElastiCacheDatabaseCapacityUsageCountedForEvictPercentage", "ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage",
		"ElastiCacheDatabaseMemoryUsagePercentage", "ElastiCacheEngineCPUUtilization",
		"ElastiCachePrimaryEngineCPUUtilization", "ElastiCacheReplicaEngineCPUUtilization", "KafkaBrokerStorageUtilization",
		"LambdaProvisionedConcurrencyUtilization", "NeptuneReaderAverageCPUUtilization", "RDSReaderAverageCPUUtilization",
		"RDSReaderAverageDatabaseConnections", "SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution",
		"SageMakerInferenceComponentInvocationsPerCopy", "SageMakerVariantConcurrentRequestsPerModelHighResolution",
		"SageMakerVariantInvocationsPerInstance", "SageMakerVariantProvisionedConcurrencyUtilization",
		"WorkSpacesAverageUserSessionsCapacityUtilization",
	}, aasMetricDoc},

	// CloudFront (values as the CloudFront API's enums list them).
	{"aws:cloudfront/distribution:Distribution", "priceClass", []string{"None", "PriceClass_100", "PriceClass_200", "PriceClass_All"}, cloudFrontDistDoc},
	{"aws:cloudfront/distribution:Distribution", "httpVersion", []string{"http1.1", "http2", "http2and3", "http3"}, cloudFrontDistDoc},
	{"aws:cloudfront/distribution:Distribution", "defaultCacheBehavior.viewerProtocolPolicy", viewerProtocolPolicies, cloudFrontBehaviorDoc},
	{"aws:cloudfront/distribution:Distribution", "orderedCacheBehaviors[*].viewerProtocolPolicy", viewerProtocolPolicies, cloudFrontCacheBehaviorDoc},
	{"aws:cloudfront/distribution:Distribution", "defaultCacheBehavior.allowedMethods[*]", cloudFrontMethods, cloudFrontBehaviorDoc},
	{"aws:cloudfront/distribution:Distribution", "defaultCacheBehavior.cachedMethods[*]", cloudFrontMethods, cloudFrontBehaviorDoc},
	{"aws:cloudfront/distribution:Distribution", "defaultCacheBehavior.functionAssociations[*].eventType", cloudFrontFunctionEvents,
		"https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_FunctionAssociation.html"},
	{"aws:cloudfront/distribution:Distribution", "restrictions.geoRestriction.restrictionType", []string{"blacklist", "none", "whitelist"},
		"https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_GeoRestriction.html"},
	{"aws:cloudfront/distribution:Distribution", "viewerCertificate.sslSupportMethod", []string{"sni-only", "static-ip", "vip"}, cloudFrontCertDoc},
	{"aws:cloudfront/distribution:Distribution", "viewerCertificate.minimumProtocolVersion", []string{
		"SSLv3", "TLSv1", "TLSv1.1_2016", "TLSv1.2_2018", "TLSv1.2_2019", "TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025", "TLSv1_2016",
	}, cloudFrontCertDoc},
	{cloudFrontOACToken, "originAccessControlOriginType", []string{"lambda", "mediapackagev2", "mediastore", "s3"}, cloudFrontOACDoc},
	// API-level values: always-amz-auth and sigv4a are newer than the pinned provider's docs, which pass them through.
	{cloudFrontOACToken, "signingBehavior", []string{"always", "always-amz-auth", "never", "no-override"}, cloudFrontOACDoc},
	{cloudFrontOACToken, "signingProtocol", []string{"sigv4", "sigv4a"}, cloudFrontOACDoc},
	{"aws:cloudfront/function:Function", "runtime", []string{"cloudfront-js-1.0", "cloudfront-js-2.0"},
		"https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_FunctionConfig.html"},
	{"aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", "securityHeadersConfig.frameOptions.frameOption", []string{"DENY", "SAMEORIGIN"},
		"https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ResponseHeadersPolicyFrameOptions.html"},
	{"aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", "securityHeadersConfig.referrerPolicy.referrerPolicy", []string{
		"no-referrer", "no-referrer-when-downgrade", "origin", "origin-when-cross-origin", "same-origin", "strict-origin",
		"strict-origin-when-cross-origin", "unsafe-url",
	}, "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_ResponseHeadersPolicyReferrerPolicy.html"},

	{"aws:cloudfront/distribution:Distribution", "orderedCacheBehaviors[*].allowedMethods[*]", cloudFrontMethods, cloudFrontCacheBehaviorDoc},
	{"aws:cloudfront/distribution:Distribution", "orderedCacheBehaviors[*].cachedMethods[*]", cloudFrontMethods, cloudFrontCacheBehaviorDoc},
	{"aws:cloudfront/distribution:Distribution", "orderedCacheBehaviors[*].functionAssociations[*].eventType", cloudFrontFunctionEvents,
		"https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_FunctionAssociation.html"},
	{"aws:cloudfront/distribution:Distribution", "origins[*].customOriginConfig.originProtocolPolicy", []string{"http-only", "https-only", "match-viewer"},
		cloudFrontCustomOriginDoc},
	{"aws:cloudfront/distribution:Distribution", "origins[*].customOriginConfig.originSslProtocols[*]", []string{"SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"},
		cloudFrontCustomOriginDoc},

	// Lambda.
	{lambdaFunctionToken, "runtime", lambdaAPIOnlyRuntimes, lambdaCreateDoc + "#lambda-CreateFunction-request-Runtime"},
	{lambdaFunctionToken, "architectures[*]", []string{"arm64", "x86_64"}, lambdaCreateDoc},
	{lambdaFunctionToken, "packageType", []string{"Image", "Zip"}, lambdaCreateDoc},
	{lambdaFunctionToken, "loggingConfig.logFormat", []string{"JSON", "Text"}, lambdaLoggingDoc},
	{lambdaFunctionToken, "loggingConfig.applicationLogLevel", []string{"DEBUG", "ERROR", "FATAL", "INFO", "TRACE", "WARN"}, lambdaLoggingDoc},
	{lambdaFunctionToken, "loggingConfig.systemLogLevel", []string{"DEBUG", "INFO", "WARN"}, lambdaLoggingDoc},
	{lambdaFunctionToken, "tracingConfig.mode", []string{"Active", "PassThrough"},
		"https://docs.aws.amazon.com/lambda/latest/api/API_TracingConfig.html"},
	{lambdaURLToken, "authorizationType", lambdaURLAuthTypes, lambdaURLDoc},
	{lambdaURLToken, "invokeMode", []string{"BUFFERED", "RESPONSE_STREAM"}, lambdaURLDoc},
	// OPTIONS cannot be listed (at most 6 characters); Lambda answers preflight requests itself.
	{lambdaURLToken, "cors.allowMethods[*]", []string{"*", "DELETE", "GET", "HEAD", "PATCH", "POST", "PUT"},
		"https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-lambda-url-cors.html"},
	{lambdaPermissionToken, "functionUrlAuthType", lambdaURLAuthTypes,
		"https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html"},

	// EventBridge Scheduler and CloudWatch Logs.
	{scheduleToken, "flexibleTimeWindow.mode", []string{"FLEXIBLE", "OFF"},
		schedulerWindowDoc},
	{scheduleToken, "state", []string{"DISABLED", "ENABLED"}, schedulerCreateDoc},
	{scheduleToken, "actionAfterCompletion", []string{"DELETE", "NONE"}, schedulerCreateDoc},
	{logGroupToken, "logGroupClass", []string{"DELIVERY", "INFREQUENT_ACCESS", "STANDARD"},
		logsCreateGroupDoc},

	// S3, ACM, Route 53.
	{"aws:s3/bucketOwnershipControls:BucketOwnershipControls", "rule.objectOwnership", []string{"BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"},
		"https://docs.aws.amazon.com/AmazonS3/latest/API/API_OwnershipControlsRule.html"},
	{"aws:acm/certificate:Certificate", "validationMethod", []string{"DNS", "EMAIL", "HTTP"},
		"https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html"},
	{"aws:route53/record:Record", "type", []string{
		"A", "AAAA", "CAA", "CNAME", "DS", "HTTPS", "MX", "NAPTR", "NS", "PTR", "SOA", "SPF", "SRV", "SSHFP", "SVCB", "TLSA", "TXT",
	}, "https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html"},

	// Cloud Run (v2).
	{"gcp:cloudrunv2/service:Service", "ingress", []string{
		"INGRESS_TRAFFIC_ALL", "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER", "INGRESS_TRAFFIC_INTERNAL_ONLY",
		// The values the pinned provider's validation accepts (the REST API also knows INGRESS_TRAFFIC_NONE).
	}, "https://www.pulumi.com/registry/packages/gcp/api-docs/cloudrunv2/service/#ingress_nodejs"},
	{"gcp:cloudrunv2/service:Service", "template.vpcAccess.egress", []string{"ALL_TRAFFIC", "PRIVATE_RANGES_ONLY"},
		"https://cloud.google.com/run/docs/reference/rest/v2/VpcAccess#vpcegress"},
}

// scalableDimensions: Application Auto Scaling's ScalableDimension values.
var scalableDimensions = []string{
	"appstream:fleet:DesiredCapacity", "cassandra:table:ReadCapacityUnits", "cassandra:table:WriteCapacityUnits",
	"comprehend:document-classifier-endpoint:DesiredInferenceUnits", "comprehend:entity-recognizer-endpoint:DesiredInferenceUnits",
	"custom-resource:ResourceType:Property", "dynamodb:index:ReadCapacityUnits", "dynamodb:index:WriteCapacityUnits",
	"dynamodb:table:ReadCapacityUnits", "dynamodb:table:WriteCapacityUnits", "ec2:spot-fleet-request:TargetCapacity",
	"ecs:service:DesiredCount", "elasticache:cache-cluster:Nodes", "elasticache:replication-group:NodeGroups",
	"elasticache:replication-group:Replicas", "elasticmapreduce:instancegroup:InstanceCount", "kafka:broker-storage:VolumeSize",
	"lambda:function:ProvisionedConcurrency", "neptune:cluster:ReadReplicaCount", "rds:cluster:ReadReplicaCount",
	"sagemaker:inference-component:DesiredCopyCount", "sagemaker:variant:DesiredInstanceCount",
	"sagemaker:variant:DesiredProvisionedConcurrency", "workspaces:workspacespool:DesiredUserSessions",
}

// pathStep is one step of a ValueSet path.
type pathStep struct {
	name string // a property name, or "" for the two kinds below
	each bool   // every element of a list
	json bool   // the string parsed as a JSON document
}

// parseValuePath splits `a.b[*].c(json)[*].d` into steps.
func parseValuePath(path string) ([]pathStep, error) {
	var steps []pathStep
	rest := path
	for rest != "" {
		switch {
		case strings.HasPrefix(rest, "[*]"):
			steps = append(steps, pathStep{each: true})
			rest = rest[3:]
		case strings.HasPrefix(rest, "(json)"):
			steps = append(steps, pathStep{json: true})
			rest = rest[6:]
		case strings.HasPrefix(rest, "."):
			rest = rest[1:]
		default:
			end := strings.IndexAny(rest, ".[(")
			if end < 0 {
				end = len(rest)
			}
			if end == 0 {
				return nil, fmt.Errorf("value set path %q: unexpected %q", path, rest[:1])
			}
			steps = append(steps, pathStep{name: rest[:end]})
			rest = rest[end:]
		}
	}
	if len(steps) == 0 || steps[0].name == "" {
		return nil, fmt.Errorf("value set path %q must start with a property name", path)
	}
	return steps, nil
}

// known unwraps secrets and known output values; ok is false for unknowns.
func known(v resource.PropertyValue) (resource.PropertyValue, bool) {
	for {
		switch {
		case v.IsComputed():
			return v, false
		case v.IsSecret():
			v = v.SecretValue().Element
		case v.IsOutput():
			o := v.OutputValue()
			if !o.Known {
				return v, false
			}
			v = o.Element
		default:
			return v, true
		}
	}
}

// checkValueSets refuses strings outside the value sets of `token`'s properties
// (with schema's enums, schemaEnums). Unknowns are accepted (checked again once
// known); a value of the wrong shape is left to the type check.
func checkValueSets(res *Result, schema *Schema, token string, inputs resource.PropertyMap) {
	for _, set := range valueSets {
		if set.Token != token {
			continue
		}
		values := set.valuesWith(schema)
		walkRule(res, set.Path, inputs, func(v resource.PropertyValue, path, in string) {
			if !v.IsString() {
				return
			}
			s := v.StringValue()
			if slices.Contains(values, s) {
				return
			}
			quoted := make([]string, len(values))
			for i, w := range values {
				quoted[i] = strconv.Quote(w)
			}
			res.Failures = append(res.Failures, Failure{Path: path, Reason: fmt.Sprintf(
				"%s%s is not a value the service takes; valid: %s (%s)",
				strconv.Quote(s), inJSON(in), strings.Join(quoted, ", "), set.Source)})
		})
	}
}

// valuesWith: the set's values, with those of its schema enum (schemaEnums), sorted.
func (set ValueSet) valuesWith(schema *Schema) []string {
	name, ok := schemaEnums[[2]string{set.Token, set.Path}]
	if !ok || schema == nil || schema.Enums[name] == nil {
		return set.Values
	}
	values := slices.Clone(set.Values)
	for _, v := range schema.Enums[name].Values {
		if s := fmt.Sprint(v); !slices.Contains(values, s) {
			values = append(values, s)
		}
	}
	slices.Sort(values)
	return values
}

// inJSON names the position inside a JSON document for a failure's reason ("" outside one).
func inJSON(in string) string {
	if in == "" {
		return ""
	}
	return fmt.Sprintf(" (at %s in the JSON text)", in)
}

// walkRule calls leaf with every known value the rule path `rulePath` reaches in
// inputs (rules.go and the value sets share this walk). A malformed path is
// reported as a failure: a rule is never silently skipped (TestValueSetTable and
// TestRuleTables check the tables).
func walkRule(res *Result, rulePath string, inputs resource.PropertyMap, leaf func(v resource.PropertyValue, path, in string)) {
	steps, err := parseValuePath(rulePath)
	if err != nil {
		res.Failures = append(res.Failures, Failure{Path: rulePath, Reason: "stand-in: " + err.Error()})
		return
	}
	walkPath(steps[1:], inputs[resource.PropertyKey(steps[0].name)], steps[0].name, "", leaf)
}

// walkPath follows steps from v. path is the Pulumi property path so far; in
// is the position inside a JSON document, if the walk entered one. Unknowns and
// nulls end the walk; a value of the wrong shape is left to the type check.
func walkPath(steps []pathStep, v resource.PropertyValue, path, in string, leaf func(v resource.PropertyValue, path, in string)) {
	v, ok := known(v)
	if !ok || v.IsNull() {
		return
	}
	if len(steps) == 0 {
		leaf(v, path, in)
		return
	}
	step, rest := steps[0], steps[1:]
	// Inside a JSON document positions are reported relative to it.
	at := func(suffix string) (string, string) {
		if in != "" {
			return path, in + suffix
		}
		return path + suffix, in
	}
	switch {
	case step.json:
		if !v.IsString() {
			return
		}
		var doc any
		if err := json.Unmarshal([]byte(v.StringValue()), &doc); err != nil {
			return // not JSON: the provider's own check says so
		}
		walkPath(rest, resource.NewPropertyValue(doc), path, "$", leaf)
	case step.each:
		if !v.IsArray() {
			return
		}
		for i, e := range v.ArrayValue() {
			p, j := at(fmt.Sprintf("[%d]", i))
			walkPath(rest, e, p, j, leaf)
		}
	default:
		if !v.IsObject() {
			return
		}
		p, j := at("." + step.name)
		walkPath(rest, v.ObjectValue()[resource.PropertyKey(step.name)], p, j, leaf)
	}
}
