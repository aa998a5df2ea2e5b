package main

import (
	"context"
	"io"
	"log"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

func ecsService(spot float64, force bool, extra obj) resource.PropertyMap {
	strategies := arr{obj{"capacityProvider": "FARGATE", "base": 0, "weight": 100}}
	if spot > 0 {
		strategies = arr{
			obj{"capacityProvider": "FARGATE", "base": 1, "weight": 100 - spot},
			obj{"capacityProvider": "FARGATE_SPOT", "weight": spot},
		}
	}
	m := obj{
		"name": "api", "cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/c", "taskDefinition": "td:1",
		"desiredCount": 2, "capacityProviderStrategies": strategies, "forceNewDeployment": force,
		"tags": obj{"app": "api"},
	}
	for k, v := range extra {
		m[k] = v
	}
	return resource.NewPropertyMapFromMap(m)
}

func TestECSStrategyChangeNeedsAForcedDeployment(t *testing.T) {
	if msg := ecsStrategyError(ecsServiceToken, ecsService(0, false, nil), ecsService(30, false, nil)); !strings.Contains(msg, "force_new_deployment should be true") {
		t.Errorf("a strategy change without forceNewDeployment passed: %q", msg)
	}
	for _, ok := range []struct{ old, new resource.PropertyMap }{
		{ecsService(0, false, nil), ecsService(30, true, nil)},   // forced: allowed
		{ecsService(30, true, nil), ecsService(0, true, nil)},    // back off Spot, forced
		{ecsService(30, false, nil), ecsService(30, false, nil)}, // no strategy change
		{ecsService(0, false, nil), ecsService(0, false, obj{"capacityProviderStrategies": unk()})},
	} {
		if msg := ecsStrategyError(ecsServiceToken, ok.old, ok.new); msg != "" {
			t.Errorf("refused: %s", msg)
		}
	}
	if msg := ecsStrategyError("aws:ecs/cluster:Cluster", ecsService(0, false, nil), ecsService(30, false, nil)); msg != "" {
		t.Errorf("another resource type was judged: %s", msg)
	}

	// Through Diff, as the engine calls it: the preview fails with the provider's message.
	p := newStandin(realSchema(t, "aws"), true, nil, log.New(io.Discard, "", 0))
	_, err := p.Diff(context.Background(), &pulumirpc.DiffRequest{
		Type: ecsServiceToken, Urn: "urn:pulumi:dev::p::aws:ecs/service:Service::api",
		OldInputs: mustStruct(t, ecsService(0, false, nil)), News: mustStruct(t, ecsService(30, false, nil)),
	})
	if err == nil || !strings.Contains(err.Error(), "force_new_deployment should be true") {
		t.Errorf("Diff = %v", err)
	}
}

func TestECSUpdatesReplaceTasksOnlyWhenTheProviderWould(t *testing.T) {
	cases := []struct {
		what     string
		old, new resource.PropertyMap
		want     string // substring of the reason, "" for none
	}{
		{"tags only, forced", ecsService(0, true, nil), ecsService(0, true, obj{"tags": obj{"app": "api", "team": "x"}}), ""},
		{"count, forced", ecsService(0, true, nil), ecsService(0, true, obj{"desiredCount": 4}), "forceNewDeployment is true and desiredCount changed"},
		{"count, not forced", ecsService(0, false, nil), ecsService(0, false, obj{"desiredCount": 4}), ""},
		{"new task definition", ecsService(0, false, nil), ecsService(0, false, obj{"taskDefinition": "td:2"}), "taskDefinition changed"},
		{"nothing", ecsService(30, true, nil), ecsService(30, true, nil), ""},
	}
	for _, c := range cases {
		got := ecsDeployment(ecsServiceToken, c.old, c.new)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s: deployment %q, want %q", c.what, got, c.want)
		}
	}
}
