package main

// Rules of the aws provider's `aws:ecs/service:Service` that no schema carries.
// pulumi-aws runs the Terraform AWS provider's resource
// (hashicorp/terraform-provider-aws, internal/service/ecs/service.go):
//
//   - capacityProviderStrategyCustomizeDiff: changing the capacity provider
//     strategy of an existing service is refused at plan time unless the new
//     inputs set `forceNewDeployment: true` ("force_new_deployment should be true
//     when capacity_provider_strategy is being updated"). ECS only moves running
//     tasks to another strategy with a new deployment.
//   - resourceServiceUpdate: UpdateService is called only when an input other
//     than the tags changed, and it is sent with ForceNewDeployment = the new
//     `forceNewDeployment`: true replaces every task. A changed task definition
//     starts a new deployment anyway (UpdateService with taskDefinition,
//     https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html).

import (
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const ecsServiceToken = "aws:ecs/service:Service"

// ecsStrategyError is the provider's refusal of a capacity provider strategy
// change without a forced deployment, or "" when the change is allowed.
func ecsStrategyError(token string, olds, news resource.PropertyMap) string {
	if token != ecsServiceToken {
		return ""
	}
	const key = resource.PropertyKey("capacityProviderStrategies")
	o, n := olds[key], news[key]
	if o.DeepEquals(n) || n.ContainsUnknowns() {
		return ""
	}
	if v, ok := known(news["forceNewDeployment"]); ok && v.IsBool() && v.BoolValue() {
		return ""
	}
	return "force_new_deployment should be true when capacity_provider_strategy is being updated " +
		"(the aws provider refuses to change capacityProviderStrategies of an existing service " +
		"unless forceNewDeployment is true)"
}

// ecsDeployment says why an update replaces the service's running tasks, or ""
// when it does not (a tags-only change, a count change without a forced deployment).
func ecsDeployment(token string, olds, news resource.PropertyMap) string {
	if token != ecsServiceToken {
		return ""
	}
	changed := map[string]bool{}
	for _, k := range diffInputs(olds, news, nil, nil).Diffs {
		changed[k] = true
	}
	delete(changed, "tags")
	delete(changed, "tagsAll")
	if len(changed) == 0 {
		return "" // tags are updated without UpdateService
	}
	if changed["taskDefinition"] {
		return "taskDefinition changed"
	}
	if v, ok := known(news["forceNewDeployment"]); ok && v.IsBool() && v.BoolValue() {
		keys := make([]string, 0, len(changed))
		for k := range changed {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return "forceNewDeployment is true and " + strings.Join(keys, ", ") + " changed"
	}
	return ""
}
