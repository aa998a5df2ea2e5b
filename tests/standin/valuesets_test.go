package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// enumStub stands in for the provider schema's enums (schemaEnums) in table tests.
var enumStub = &Schema{Enums: map[string]*Enum{"lambda.Runtime": {Values: []any{"nodejs22.x", "python3.13"}}}}

func valueSetFailures(token string, in obj) []Failure {
	res := &Result{}
	checkValueSets(res, enumStub, token, resource.NewPropertyMapFromMap(in))
	sortFailures(res.Failures)
	return res.Failures
}

func TestValueSetsRefuseWhatTheServiceRefuses(t *testing.T) {
	const task = "aws:ecs/taskDefinition:TaskDefinition"
	expectFailures(t, valueSetFailures(task, obj{
		"networkMode":             "awsvpc",
		"requiresCompatibilities": arr{"FARGATE"},
		"runtimePlatform":         obj{"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
		"containerDefinitions": `[{"name":"app","portMappings":[{"containerPort":80,"protocol":"tcp"}],` +
			`"logConfiguration":{"logDriver":"awslogs"}}]`,
	}))
	expectFailures(t, valueSetFailures(task, obj{
		"networkMode":             "vpc",
		"requiresCompatibilities": arr{"FARGATE", "fargate"},
		"runtimePlatform":         obj{"cpuArchitecture": "arm64"},
		"containerDefinitions":    `[{"portMappings":[{"protocol":"tcp"},{"protocol":"TCP"}]}]`,
	}),
		`containerDefinitions: "TCP" (at $[0].portMappings[1].protocol in the JSON text) is not a value the service takes; valid: "tcp", "udp" (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html)`,
		`networkMode: "vpc" is not a value the service takes; valid: "awsvpc", "bridge", "host", "none"`,
		`requiresCompatibilities[1]: "fargate" is not`,
		`runtimePlatform.cpuArchitecture: "arm64" is not`,
	)

	const listener = "aws:lb/listener:Listener"
	expectFailures(t, valueSetFailures(listener, obj{
		"protocol": "HTTP",
		"defaultActions": arr{
			obj{"type": "redirect", "redirect": obj{"protocol": "HTTPS", "port": "443", "statusCode": "301"}},
		},
	}), `defaultActions[0].redirect.statusCode: "301" is not a value the service takes; valid: "HTTP_301", "HTTP_302"`)

	// Secrets are checked by their value; unknowns wait until they are known;
	// a value of the wrong shape is the type check's business, not this one's.
	expectFailures(t, valueSetFailures("aws:cloudfront/distribution:Distribution", obj{
		"priceClass":  secret("PriceClass_50"),
		"httpVersion": unk(),
		"defaultCacheBehavior": obj{
			"viewerProtocolPolicy": "redirect-to-https",
			"allowedMethods":       arr{"GET", "HEAD", "get"},
			"cachedMethods":        unk(),
		},
		"restrictions": "none",
	}),
		`defaultCacheBehavior.allowedMethods[2]: "get" is not`,
		`priceClass: "PriceClass_50" is not a value the service takes; valid: "None", "PriceClass_100", "PriceClass_200", "PriceClass_All"`,
	)
	expectFailures(t, valueSetFailures("gcp:cloudrunv2/service:Service", obj{
		"ingress":  "all",
		"template": obj{"vpcAccess": obj{"egress": "ALL_TRAFFIC"}},
	}), `ingress: "all" is not a value the service takes; valid: "INGRESS_TRAFFIC_ALL"`)
	// Only the resource's own sets apply.
	expectFailures(t, valueSetFailures("aws:s3/bucket:Bucket", obj{"networkMode": "anything"}))
}

// realSchema loads the schema build.sh extracted for pkg; skips when absent
// unless STANDIN_REQUIRE_SDK=1 (build.sh test sets it).
func realSchema(t *testing.T, pkg string) *Schema {
	t.Helper()
	path := filepath.Join("..", ".cache", "standin", "schema", pkg+".json")
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("STANDIN_REQUIRE_SDK") == "1" {
			t.Fatalf("no %s schema at %s: run tests/standin/build.sh", pkg, path)
		}
		t.Skipf("no %s schema at %s: run tests/standin/build.sh", pkg, path)
	}
	s, err := LoadSchema(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestValueSetTable: every rule names a documented, non-empty set and a string
// property the real provider schema has, so a typo cannot switch a rule off.
func TestValueSetTable(t *testing.T) {
	schemas := map[string]*Schema{}
	for _, pkg := range standinPackages() {
		schemas[pkg] = realSchema(t, pkg)
	}
	seen := map[string]bool{}
	for _, set := range valueSets {
		where := set.Token + " " + set.Path
		if seen[where] {
			t.Errorf("%s: listed twice", where)
		}
		seen[where] = true
		if !strings.HasPrefix(set.Source, "https://") {
			t.Errorf("%s: source %q is not a documentation URL", where, set.Source)
		}
		values := map[string]bool{}
		for _, v := range set.Values {
			if v == "" || values[v] {
				t.Errorf("%s: value %q is empty or repeated", where, v)
			}
			values[v] = true
		}
		if len(values) == 0 {
			t.Errorf("%s: no values", where)
		}
		steps, err := parseValuePath(set.Path)
		if err != nil {
			t.Errorf("%s: %v", where, err)
			continue
		}
		pkg, _, _ := strings.Cut(set.Token, ":")
		s := schemas[pkg]
		if s == nil {
			t.Errorf("%s: %s is not in STANDIN_PACKAGES (tools/versions.env)", where, pkg)
			continue
		}
		r := s.Resources[set.Token]
		if r == nil {
			t.Errorf("%s: no such resource in the %s schema", where, pkg)
			continue
		}
		if msg := schemaStringAt(s, r.Inputs, steps); msg != "" {
			t.Errorf("%s: %s", where, msg)
		}
		if name, ok := schemaEnums[[2]string{set.Token, set.Path}]; ok && s.Enums[name] == nil {
			t.Errorf("%s: the %s schema has no enum %s", where, pkg, name)
		}
	}
	for key := range schemaEnums {
		if !seen[key[0]+" "+key[1]] {
			t.Errorf("schemaEnums names %v, which is not a value set", key)
		}
	}
}

// schemaStringAt follows steps through the schema ("" when they end at a
// string property, or enter a JSON string, whose inside the schema does not type).
func schemaStringAt(s *Schema, props map[string]*Property, steps []pathStep) string {
	return schemaKindAt(s, props, steps, KString)
}

// schemaKindAt follows steps through the schema ("" when they end at a property
// of that kind, or of a oneOf with a member of it, or enter a JSON string).
func schemaKindAt(s *Schema, props map[string]*Property, steps []pathStep, kind string) string {
	var t *TypeDesc
	for i, step := range steps {
		switch {
		case step.json:
			if t == nil || t.Kind != KString {
				return "(json) on a property that is not a string"
			}
			return ""
		case step.each:
			if t == nil || t.Kind != KArray {
				return "[*] on a property that is not a list"
			}
			t = t.Elem
		default:
			if i > 0 {
				switch {
				case t != nil && t.Kind == KRef && s.Types[t.Name] != nil:
					props = s.Types[t.Name].Properties
				case t != nil && t.Kind == KInline:
					props = t.Inline
				default:
					return "." + step.name + " on a property that is not an object"
				}
			}
			p := props[step.name]
			if p == nil {
				return "no property " + step.name
			}
			t = p.Type
		}
	}
	switch t.Kind {
	case kind:
		return ""
	case KOneOf:
		for _, m := range t.OneOf {
			if m.Kind == kind {
				return ""
			}
		}
	}
	return "the property is typed " + t.String() + ", not " + kind
}

// The rules reach the stand-in's Check, on the real schema.
func TestCheckRefusesAValueOutsideItsSet(t *testing.T) {
	v := &Validator{Schema: realSchema(t, "aws"), Strict: true}
	res, err := v.CheckResource("aws:lb/targetGroup:TargetGroup", resource.NewPropertyMapFromMap(obj{
		"port": 8080, "protocol": "HTTP", "targetType": "ips",
	}))
	if err != nil {
		t.Fatal(err)
	}
	expectFailures(t, res.Failures, `targetType: "ips" is not a value the service takes; valid: "alb", "instance", "ip", "lambda"`)

	// A runtime only the schema's lambda.Runtime enum lists, and one only the API adds.
	for _, runtime := range []string{"python3.9", "nodejs4.3-edge"} {
		res, err := v.CheckResource(lambdaFunctionToken, resource.NewPropertyMapFromMap(obj{"runtime": runtime}))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range res.Failures {
			if f.Path == "runtime" {
				t.Errorf("runtime %s refused: %s", runtime, f.Reason)
			}
		}
	}
}

// The README's "Rules enforced" lists every value set with its source.
func TestReadmeListsEveryValueSet(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, set := range valueSets {
		row := "| `" + set.Token + "` | `" + set.Path + "` | " + set.Source + " |"
		if !strings.Contains(string(b), row) {
			t.Errorf("README.md lacks the row %s", row)
		}
	}
}

func TestLambdaAndRouteValueSets(t *testing.T) {
	const fn = "aws:lambda/function:Function"
	expectFailures(t, valueSetFailures(fn, obj{
		"runtime": "nodejs22.x", "architectures": arr{"arm64"}, "packageType": "Zip",
		"loggingConfig": obj{"logFormat": "JSON", "applicationLogLevel": "INFO", "systemLogLevel": "WARN"},
		"tracingConfig": obj{"mode": "PassThrough"},
	}))
	expectFailures(t, valueSetFailures(fn, obj{
		"runtime": "node22", "architectures": arr{"aarch64"}, "packageType": "zip",
		"loggingConfig": obj{"logFormat": "text", "applicationLogLevel": "info"},
	}),
		`architectures[0]: "aarch64" is not a value the service takes; valid: "arm64", "x86_64"`,
		`loggingConfig.applicationLogLevel: "info" is not`,
		`loggingConfig.logFormat: "text" is not`,
		`packageType: "zip" is not`,
		`runtime: "node22" is not`,
	)
	expectFailures(t, valueSetFailures("aws:lambda/functionUrl:FunctionUrl", obj{
		"authorizationType": "IAM", "invokeMode": "STREAM", "cors": obj{"allowMethods": arr{"GET", "OPTIONS"}},
	}),
		`authorizationType: "IAM" is not a value the service takes; valid: "AWS_IAM", "NONE"`,
		`cors.allowMethods[1]: "OPTIONS" is not`,
		`invokeMode: "STREAM" is not`,
	)
	expectFailures(t, valueSetFailures("aws:scheduler/schedule:Schedule", obj{
		"flexibleTimeWindow": obj{"mode": "off"}, "state": "ENABLED", "actionAfterCompletion": "KEEP",
	}),
		`actionAfterCompletion: "KEEP" is not`,
		`flexibleTimeWindow.mode: "off" is not`,
	)
	expectFailures(t, valueSetFailures("aws:cloudfront/distribution:Distribution", obj{
		"orderedCacheBehaviors": arr{obj{
			"pathPattern": "/api/*", "allowedMethods": arr{"GET", "PATCH", "CONNECT"}, "cachedMethods": arr{"GET", "HEAD"},
			"viewerProtocolPolicy": "redirect-to-https", "functionAssociations": arr{obj{"eventType": "origin-request"}},
		}},
		"origins": arr{
			obj{"domainName": "b.s3.us-east-1.amazonaws.com"},
			obj{"domainName": "abc.lambda-url.us-east-1.on.aws", "customOriginConfig": obj{
				"originProtocolPolicy": "https", "originSslProtocols": arr{"TLSv1.2", "TLSv1.3"}}},
		},
	}),
		`orderedCacheBehaviors[0].allowedMethods[2]: "CONNECT" is not`,
		`orderedCacheBehaviors[0].functionAssociations[0].eventType: "origin-request" is not`,
		`origins[1].customOriginConfig.originProtocolPolicy: "https" is not a value the service takes; valid: "http-only", "https-only", "match-viewer"`,
		`origins[1].customOriginConfig.originSslProtocols[1]: "TLSv1.3" is not`,
	)
}

// A value set with a schema enum takes the enum's values and its own, and lists both.
func TestValueSetTakesItsSchemaEnum(t *testing.T) {
	const fn = "aws:lambda/function:Function"
	expectFailures(t, valueSetFailures(fn, obj{"runtime": "python3.13"}))
	expectFailures(t, valueSetFailures(fn, obj{"runtime": "nodejs4.3-edge"}))
	expectFailures(t, valueSetFailures(fn, obj{"runtime": "python3"}),
		`runtime: "python3" is not a value the service takes; valid: "dotnetcore1.0", "dotnetcore2.0", "java11.al2023", "java17.al2023", "java8.al2023", "nodejs", "nodejs22.x", "nodejs26.x",`)
}
