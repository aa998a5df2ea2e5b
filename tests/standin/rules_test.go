package main

import (
	"context"
	"io"
	"log"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/archive"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// TestRuleTables: every rule names a property of the right type in the real
// schema and a documentation URL, so a typo cannot switch a rule off.
func TestRuleTables(t *testing.T) {
	s := realSchema(t, "aws")
	at := func(token, path, kind string) {
		t.Helper()
		r := s.Resources[token]
		if r == nil {
			t.Errorf("%s: no such resource in the aws schema", token)
			return
		}
		steps, err := parseValuePath(path)
		if err != nil {
			t.Errorf("%s %s: %v", token, path, err)
			return
		}
		if msg := schemaKindAt(s, r.Inputs, steps, kind); msg != "" {
			t.Errorf("%s %s: %s", token, path, msg)
		}
	}
	for _, r := range numberRules {
		at(r.Token, r.Path, KNumber)
		if !strings.HasPrefix(r.Source, "https://") {
			t.Errorf("%s %s: source %q", r.Token, r.Path, r.Source)
		}
	}
	for _, r := range patternRules {
		at(r.Token, r.Path, KString)
		if !strings.HasPrefix(r.Source, "https://") || r.MaxLen <= 0 || r.Says == "" {
			t.Errorf("%s %s: source %q, length %d, says %q", r.Token, r.Path, r.Source, r.MaxLen, r.Says)
		}
	}
	for token, keys := range forceNew {
		if !strings.HasPrefix(forceNewSources[token], "https://") {
			t.Errorf("%s: no source for its ForceNew properties", token)
		}
		for _, k := range keys {
			if k == "*" {
				continue
			}
			if r := s.Resources[token]; r == nil || r.Inputs[k] == nil {
				t.Errorf("%s: ForceNew %q is not an input", token, k)
			}
		}
	}
}

func rulesCheck(t *testing.T, token string, in obj) []Failure {
	t.Helper()
	v := &Validator{Schema: realSchema(t, "aws"), Strict: true}
	return check(t, v, token, in).Failures
}

func zipFunction(extra obj) obj {
	m := obj{
		"role": "arn:aws:iam::123456789012:role/fn", "runtime": "nodejs22.x", "handler": "index.handler",
		"code":          resource.NewArchiveProperty(&archive.Archive{Path: "dist", Hash: strings.Repeat("ab", 32)}),
		"architectures": arr{"arm64"}, "memorySize": 512, "timeout": 20, "ephemeralStorage": obj{"size": 512},
		"publish": true, "loggingConfig": obj{"logFormat": "Text", "logGroup": "/aws/lambda/api"},
	}
	for k, v := range extra {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	return m
}

func TestFunctionRules(t *testing.T) {
	expectFailures(t, rulesCheck(t, lambdaFunctionToken, zipFunction(nil)))
	expectFailures(t, rulesCheck(t, lambdaFunctionToken, zipFunction(obj{"name": unk(), "code": unk(), "reservedConcurrentExecutions": -1})))
	// An image function: no code, handler or runtime.
	expectFailures(t, rulesCheck(t, lambdaFunctionToken, zipFunction(obj{
		"packageType": "Image", "imageUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1",
		"code": nil, "handler": nil, "runtime": nil,
	})))

	expectFailures(t, rulesCheck(t, lambdaFunctionToken, zipFunction(obj{"handler": nil})),
		`handler: handler and runtime must be set when PackageType is Zip`)
	expectFailures(t, rulesCheck(t, lambdaFunctionToken, zipFunction(obj{"runtime": nil, "packageType": "Zip"})),
		`handler: handler and runtime must be set when PackageType is Zip`)
	expectFailures(t, rulesCheck(t, lambdaFunctionToken, zipFunction(obj{"code": nil})),
		`code: one of code, imageUri, s3Bucket must be set`)
	expectFailures(t, rulesCheck(t, lambdaFunctionToken, zipFunction(obj{"imageUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1"})),
		`imageUri: only one of code, imageUri, s3Bucket can be set, but code, imageUri are`,
		`imageUri: a Zip function takes code, not imageUri`)
	expectFailures(t, rulesCheck(t, lambdaFunctionToken, zipFunction(obj{"packageType": "Image"})),
		`code: an Image function takes imageUri, not code`,
		`imageUri: an Image function needs imageUri`)
	expectFailures(t, rulesCheck(t, lambdaFunctionToken, zipFunction(obj{
		"architectures": arr{"arm64", "x86_64"}, "memorySize": 64, "timeout": 901, "ephemeralStorage": obj{"size": 20480},
		"reservedConcurrentExecutions": -2, "name": "api.v2",
		"loggingConfig": obj{"logFormat": "Text", "logGroup": "/aws/lambda/api:*"},
	})),
		`architectures: lists 2 values; a function has exactly one architecture`,
		`ephemeralStorage.size: 20480 is out of range; valid: 512 to 10240`,
		`loggingConfig.logGroup: "/aws/lambda/api:*" is not a valid value`,
		`memorySize: 64 is out of range; valid: 128 to 32768`,
		`name: "api.v2" is not a valid value: 1 to 64 characters of letters, digits, - and _`,
		`reservedConcurrentExecutions: -2 is below the smallest value taken, -1`,
		`timeout: 901 is out of range; valid: 1 to 900`,
	)
	expectFailures(t, rulesCheck(t, lambdaFunctionToken, zipFunction(obj{"architectures": arr{}, "timeout": 2.5})),
		`architectures: lists 0 values`,
		`timeout: 2.5 is not a whole number`)
}

func TestAliasURLPermissionRules(t *testing.T) {
	expectFailures(t, rulesCheck(t, lambdaAliasToken, obj{"name": "live", "functionName": "api", "functionVersion": "1"}))
	expectFailures(t, rulesCheck(t, lambdaAliasToken, obj{"name": "live", "functionName": "api", "functionVersion": "$LATEST"}))
	expectFailures(t, rulesCheck(t, lambdaAliasToken, obj{"name": "2024", "functionName": "api", "functionVersion": "version-1a2b"}),
		`functionVersion: "version-1a2b" is not a valid value`,
		`name: "2024" is not a valid value: 1 to 128 characters of letters, digits, - and _, not only digits`)

	url := obj{"functionName": "api", "qualifier": "live", "authorizationType": "AWS_IAM", "invokeMode": "BUFFERED",
		"cors": obj{"allowOrigins": arr{"https://example.com"}, "allowMethods": arr{"GET", "POST"}, "maxAge": 86400}}
	expectFailures(t, rulesCheck(t, lambdaURLToken, url))
	url["qualifier"] = "3"
	url["cors"] = obj{"maxAge": 86401}
	expectFailures(t, rulesCheck(t, lambdaURLToken, url),
		`cors.maxAge: 86401 is out of range; valid: 0 to 86400`,
		`qualifier: "3" is not a valid value: 1 to 128 characters of an alias name`)

	perm := obj{"action": "lambda:InvokeFunctionUrl", "function": "api", "principal": "cloudfront.amazonaws.com",
		"qualifier": "live", "sourceArn": "arn:aws:cloudfront::123456789012:distribution/E1", "functionUrlAuthType": "AWS_IAM"}
	expectFailures(t, rulesCheck(t, lambdaPermissionToken, perm))
	perm["statementId"] = "allow cloudfront"
	expectFailures(t, rulesCheck(t, lambdaPermissionToken, perm), `statementId: "allow cloudfront" is not a valid value`)
}

func schedule(window obj, extra obj) obj {
	m := obj{
		"scheduleExpression": "rate(5 minutes)", "scheduleExpressionTimezone": "UTC", "state": "ENABLED",
		"flexibleTimeWindow": window,
		"target": obj{"arn": "arn:aws:lambda:us-east-1:123456789012:function:api:live", "roleArn": "arn:aws:iam::123456789012:role/s",
			"input": "{}", "retryPolicy": obj{"maximumRetryAttempts": 0}},
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

func TestScheduleAndLogGroupRules(t *testing.T) {
	expectFailures(t, rulesCheck(t, scheduleToken, schedule(obj{"mode": "OFF"}, nil)))
	expectFailures(t, rulesCheck(t, scheduleToken, schedule(obj{"mode": "FLEXIBLE", "maximumWindowInMinutes": 15}, nil)))
	expectFailures(t, rulesCheck(t, scheduleToken, schedule(obj{"mode": "FLEXIBLE"}, nil)),
		`flexibleTimeWindow.maximumWindowInMinutes: a FLEXIBLE window needs maximumWindowInMinutes`)
	expectFailures(t, rulesCheck(t, scheduleToken, schedule(obj{"mode": "OFF", "maximumWindowInMinutes": 1441}, obj{
		"name": "nightly job", "tags": obj{"app": "api"},
		"target": obj{"arn": "a", "roleArn": "r", "retryPolicy": obj{"maximumRetryAttempts": 186, "maximumEventAgeInSeconds": 59}},
	})),
		`flexibleTimeWindow.maximumWindowInMinutes: 1441 is out of range; valid: 1 to 1440`,
		`flexibleTimeWindow.maximumWindowInMinutes: only a FLEXIBLE window takes maximumWindowInMinutes`,
		`name: "nightly job" is not a valid value`,
		// Schedules take no tags: the schema says so.
		`tags: unknown property "tags"`,
		`target.retryPolicy.maximumEventAgeInSeconds: 59 is out of range; valid: 60 to 86400`,
		`target.retryPolicy.maximumRetryAttempts: 186 is out of range; valid: 0 to 185`,
	)

	expectFailures(t, rulesCheck(t, logGroupToken, obj{"name": "/aws/lambda/api", "retentionInDays": 30, "tags": obj{"app": "api"}}))
	expectFailures(t, rulesCheck(t, logGroupToken, obj{"name": "/aws/lambda/api", "retentionInDays": 0}))
	expectFailures(t, rulesCheck(t, logGroupToken, obj{"name": "/aws/lambda/api fn", "retentionInDays": 31}),
		`name: "/aws/lambda/api fn" is not a valid value`,
		`retentionInDays: 31 is not a value the service takes; valid: 0, 1, 3, 5, 7, 14, 30, 60`)
}

func diffOf(t *testing.T, p *standin, token string, olds, news obj) *pulumirpc.DiffResponse {
	t.Helper()
	df, err := p.Diff(context.Background(), &pulumirpc.DiffRequest{
		Type: token, Urn: "urn:pulumi:dev::p::" + token + "::x",
		OldInputs: mustStruct(t, resource.NewPropertyMapFromMap(olds)), News: mustStruct(t, resource.NewPropertyMapFromMap(news)),
	})
	if err != nil {
		t.Fatalf("Diff %s: %v", token, err)
	}
	return df
}

// A replacement and an update are told apart: Replaces lists the ForceNew properties.
func TestForceNewReplaces(t *testing.T) {
	p := newStandin(realSchema(t, "aws"), true, nil, log.New(io.Discard, "", 0))
	with := func(m obj, k string, v any) obj {
		c := obj{}
		for a, b := range m {
			c[a] = b
		}
		c[k] = v
		return c
	}
	fn := zipFunction(obj{"name": "api"})
	newCode := resource.NewArchiveProperty(&archive.Archive{Path: "dist", Hash: strings.Repeat("cd", 32)})
	alias := obj{"name": "live", "functionName": "api", "functionVersion": "1"}
	url := obj{"functionName": "api", "qualifier": "live", "authorizationType": "AWS_IAM"}
	perm := obj{"action": "lambda:InvokeFunction", "function": "api", "principal": "cloudfront.amazonaws.com", "qualifier": "live"}
	sched := schedule(obj{"mode": "OFF"}, obj{"name": "nightly"})
	group := obj{"name": "/aws/lambda/api", "retentionInDays": 30}
	cases := []struct {
		what          string
		token         string
		olds, news    obj
		diffs, replac string
	}{
		{"code archive", lambdaFunctionToken, fn, with(fn, "code", newCode), "code", ""},
		{"memory", lambdaFunctionToken, fn, with(fn, "memorySize", 1024), "memorySize", ""},
		{"function name", lambdaFunctionToken, fn, with(fn, "name", "api2"), "name", "name"},
		{"package type", lambdaFunctionToken, fn, with(fn, "packageType", "Image"), "packageType", "packageType"},
		{"alias version", lambdaAliasToken, alias, with(alias, "functionVersion", "2"), "functionVersion", ""},
		{"alias name", lambdaAliasToken, alias, with(alias, "name", "prod"), "name", "name"},
		{"alias function", lambdaAliasToken, alias, with(alias, "functionName", "api2"), "functionName", "functionName"},
		{"url auth", lambdaURLToken, url, with(url, "authorizationType", "NONE"), "authorizationType", ""},
		{"url qualifier", lambdaURLToken, url, with(url, "qualifier", "prod"), "qualifier", "qualifier"},
		{"url function", lambdaURLToken, url, with(url, "functionName", "api2"), "functionName", "functionName"},
		{"permission source", lambdaPermissionToken, perm, with(perm, "sourceArn", "arn:aws:cloudfront::1:distribution/E2"), "sourceArn", "sourceArn"},
		{"permission url flag", lambdaPermissionToken, perm, with(perm, "invokedViaFunctionUrl", true), "invokedViaFunctionUrl", "invokedViaFunctionUrl"},
		{"schedule expression", scheduleToken, sched, with(sched, "scheduleExpression", "rate(1 hour)"), "scheduleExpression", ""},
		{"schedule group", scheduleToken, sched, with(sched, "groupName", "jobs"), "groupName", "groupName"},
		{"schedule name", scheduleToken, sched, with(sched, "name", "hourly"), "name", "name"},
		{"log retention", logGroupToken, group, with(group, "retentionInDays", 90), "retentionInDays", ""},
		{"log group name", logGroupToken, group, with(group, "name", "/aws/lambda/api2"), "name", "name"},
		{"log group prefix", logGroupToken, obj{"namePrefix": "api-"}, obj{"namePrefix": "web-"}, "namePrefix", "namePrefix"},
	}
	for _, c := range cases {
		df := diffOf(t, p, c.token, c.olds, c.news)
		sort.Strings(df.Replaces)
		if strings.Join(df.Diffs, ",") != c.diffs || strings.Join(df.Replaces, ",") != c.replac {
			t.Errorf("%s: diffs %v replaces %v, want %q and %q", c.what, df.Diffs, df.Replaces, c.diffs, c.replac)
		}
		kind := df.DetailedDiff[c.diffs].GetKind()
		if replaced := kind == pulumirpc.PropertyDiff_UPDATE_REPLACE || kind == pulumirpc.PropertyDiff_ADD_REPLACE; replaced != (c.replac != "") {
			t.Errorf("%s: detailed diff kind %v", c.what, kind)
		}
	}
	if df := diffOf(t, p, lambdaFunctionToken, fn, zipFunction(obj{"name": "api"})); df.Changes != pulumirpc.DiffResponse_DIFF_NONE {
		t.Errorf("the same code archive is a change: %v", df)
	}
}

// TestCloudFrontPathPatternRule: CloudFront refuses a cache behaviour's path
// pattern with a character outside its set (a `%`-escape, a parenthesis, a
// non-ASCII letter) or longer than 255 characters.
func TestCloudFrontPathPatternRule(t *testing.T) {
	failures := func(patterns ...string) []Failure {
		behaviors := arr{}
		for _, p := range patterns {
			behaviors = append(behaviors, obj{"pathPattern": p})
		}
		var res Result
		checkRules(&res, tokenDistribution, resource.NewPropertyMapFromMap(obj{"orderedCacheBehaviors": behaviors}))
		return res.Failures
	}
	expectFailures(t, failures("/api/*", "api/v?/*.json", `/a$b~c"d'e@f:g+h&i_j-k`))
	expectFailures(t, failures("/api/v1(beta)/*", "/caf%C3%A9/*", "/café/*", "/"+strings.Repeat("a", 255)),
		`orderedCacheBehaviors[0].pathPattern: "/api/v1(beta)/*" is not a valid value: 1 to 255 characters of A-Z, a-z, 0-9`,
		`orderedCacheBehaviors[1].pathPattern: "/caf%C3%A9/*" is not a valid value`,
		`orderedCacheBehaviors[2].pathPattern: "/café/*" is not a valid value`,
		`orderedCacheBehaviors[3].pathPattern: "/aaaa`,
	)
}
