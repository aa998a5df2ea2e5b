package main

import (
	"context"
	"io"
	"log"
	"regexp"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/archive"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

type lifecycle struct {
	t *testing.T
	p *standin
}

func (l lifecycle) create(token, name string, in obj) (string, resource.PropertyMap) {
	l.t.Helper()
	cr, err := l.p.Create(context.Background(), &pulumirpc.CreateRequest{
		Type: token, Urn: "urn:pulumi:dev::p::" + token + "::" + name, Name: name,
		Properties: mustStruct(l.t, resource.NewPropertyMapFromMap(in)),
	})
	if err != nil {
		l.t.Fatalf("Create %s: %v", token, err)
	}
	return cr.Id, mustMap(l.t, cr.Properties)
}

func (l lifecycle) update(token, name, id string, olds resource.PropertyMap, oldIn, in obj, preview bool) resource.PropertyMap {
	l.t.Helper()
	up, err := l.p.Update(context.Background(), &pulumirpc.UpdateRequest{
		Type: token, Urn: "urn:pulumi:dev::p::" + token + "::" + name, Name: name, Id: id, Preview: preview,
		Olds: mustStruct(l.t, olds), OldInputs: mustStruct(l.t, resource.NewPropertyMapFromMap(oldIn)),
		News: mustStruct(l.t, resource.NewPropertyMapFromMap(in)),
	})
	if err != nil {
		l.t.Fatalf("Update %s: %v", token, err)
	}
	return mustMap(l.t, up.Properties)
}

func wantString(t *testing.T, outs resource.PropertyMap, key, want string) {
	t.Helper()
	if v := outs[resource.PropertyKey(key)]; !v.IsString() || v.StringValue() != want {
		t.Errorf("%s = %v, want %q", key, v, want)
	}
}

func TestFunctionOutputsAndPublishedVersions(t *testing.T) {
	l := lifecycle{t, newStandin(realSchema(t, "aws"), true, nil, log.New(io.Discard, "", 0))}
	in := zipFunction(obj{"name": "api", "tags": obj{"app": "api"}})
	id, outs := l.create(lambdaFunctionToken, "api", in)
	arn := "arn:aws:lambda:us-east-1:123456789012:function:api"
	if id != "api" {
		t.Errorf("id %q", id)
	}
	wantString(t, outs, "arn", arn)
	wantString(t, outs, "version", "1")
	wantString(t, outs, "qualifiedArn", arn+":1")
	wantString(t, outs, "invokeArn", "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"+arn+"/invocations")
	wantString(t, outs, "qualifiedInvokeArn", "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"+arn+":1/invocations")
	wantString(t, outs, "codeSha256", "q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=") // base64 of 32 bytes 0xab
	// The archive is kept, with its hash.
	if c := outs["code"]; !c.IsArchive() || c.ArchiveValue().Hash != strings.Repeat("ab", 32) {
		t.Errorf("code = %v", c)
	}
	if _, again := l.create(lambdaFunctionToken, "api", in); !again.DeepEquals(outs) {
		t.Error("Create is not deterministic")
	}

	// Without publish, only $LATEST.
	_, unpublished := l.create(lambdaFunctionToken, "worker", zipFunction(obj{"publish": nil}))
	wantString(t, unpublished, "version", "$LATEST")
	if !strings.HasSuffix(unpublished["arn"].StringValue(), ":function:"+unpublished["name"].StringValue()) {
		t.Errorf("autonamed function: arn %v name %v", unpublished["arn"], unpublished["name"])
	}

	newCode := resource.NewArchiveProperty(&archive.Archive{Path: "dist", Hash: strings.Repeat("cd", 32)})
	cases := []struct {
		what      string
		change    obj
		published bool
	}{
		{"new code", obj{"code": newCode}, true},
		{"configuration", obj{"memorySize": 1024}, true},
		{"tags only", obj{"tags": obj{"app": "api", "team": "web"}}, false},
		{"reserved concurrency", obj{"reservedConcurrentExecutions": 5}, false},
	}
	for _, c := range cases {
		news := zipFunction(obj{"name": "api", "tags": obj{"app": "api"}})
		for k, v := range c.change {
			news[k] = v
		}
		pv := l.update(lambdaFunctionToken, "api", id, outs, in, news, true)
		after := l.update(lambdaFunctionToken, "api", id, outs, in, news, false)
		if c.published {
			if !pv["version"].IsComputed() || !pv["qualifiedArn"].IsComputed() || !pv["qualifiedInvokeArn"].IsComputed() {
				t.Errorf("%s: preview version %v qualifiedArn %v: want unknown", c.what, pv["version"], pv["qualifiedArn"])
			}
			wantString(t, after, "version", "2")
			wantString(t, after, "qualifiedArn", arn+":2")
		} else {
			wantString(t, pv, "version", "1")
			wantString(t, after, "version", "1")
		}
		wantString(t, after, "arn", arn)
	}
	// A code change changes the code's hash.
	after := l.update(lambdaFunctionToken, "api", id, outs, in, zipFunction(obj{"name": "api", "code": newCode}), false)
	wantString(t, after, "codeSha256", "zc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc3Nzc0=")
}

func TestLambdaNeighboursOutputs(t *testing.T) {
	l := lifecycle{t, newStandin(realSchema(t, "aws"), true, nil, log.New(io.Discard, "", 0))}
	_, alias := l.create(lambdaAliasToken, "api-alias", obj{"name": "live", "functionName": "api", "functionVersion": "1"})
	wantString(t, alias, "arn", "arn:aws:lambda:us-east-1:123456789012:function:api:live")

	_, url := l.create(lambdaURLToken, "api-url", obj{"functionName": "api", "qualifier": "live", "authorizationType": "AWS_IAM"})
	u := url["functionUrl"].StringValue()
	if !regexp.MustCompile(`^https://[a-z0-9]{32}\.lambda-url\.us-east-1\.on\.aws/$`).MatchString(u) {
		t.Errorf("functionUrl %q", u)
	}
	wantString(t, url, "urlId", u[len("https://"):len("https://")+32])
	wantString(t, url, "functionArn", "arn:aws:lambda:us-east-1:123456789012:function:api:live")

	id, group := l.create(logGroupToken, "api-logs", obj{"name": "/aws/lambda/api", "retentionInDays": 30})
	wantString(t, group, "arn", "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/api")
	if id != "/aws/lambda/api" {
		t.Errorf("log group id %q", id)
	}
	_, prefixed := l.create(logGroupToken, "jobs", obj{"namePrefix": "jobs-"})
	if n := prefixed["name"].StringValue(); !regexp.MustCompile(`^jobs-[0-9]{26}$`).MatchString(n) ||
		prefixed["arn"].StringValue() != "arn:aws:logs:us-east-1:123456789012:log-group:"+n {
		t.Errorf("prefixed log group: %v", prefixed)
	}

	_, sched := l.create(scheduleToken, "nightly", schedule(obj{"mode": "OFF"}, obj{"name": "nightly"}))
	wantString(t, sched, "arn", "arn:aws:scheduler:us-east-1:123456789012:schedule/default/nightly")
	wantString(t, sched, "groupName", "default")

	oacID, oac := l.create("aws:cloudfront/originAccessControl:OriginAccessControl", "site-lambda-oac", obj{
		"originAccessControlOriginType": "lambda", "signingBehavior": "always", "signingProtocol": "sigv4"})
	if !regexp.MustCompile(`^E[0-9A-Z]{13}$`).MatchString(oacID) || !regexp.MustCompile(`^E[0-9A-Z]{13}$`).MatchString(oac["etag"].StringValue()) {
		t.Errorf("OAC id %q etag %v", oacID, oac["etag"])
	}
	wantString(t, oac, "arn", "arn:aws:cloudfront::123456789012:origin-access-control/"+oacID)
	if n := oac["name"].StringValue(); !strings.HasPrefix(n, "site-lambda-oac-") {
		t.Errorf("OAC name %q", n)
	}
}
