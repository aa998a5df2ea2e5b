package main

import "testing"

func TestRemoveExistsMethodsDropsOnlyTheExistsMethod(t *testing.T) {
	const kept = "export class SiteContent extends pulumi.CustomResource {\n" +
		"    public static get(name: string): SiteContent {\n        return new SiteContent(name);\n    }\n\n"
	const exists = "    /**\n" +
		"     * Check whether an existing SiteContent resource with the given ID exists.\n" +
		"     *\n     * @param id The _unique_ provider ID of the resource.\n" +
		"     */\n" +
		"    public static exists(id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): Promise<boolean> {\n" +
		"        return pulumi.runtime.existsResource(SiteContent.__pulumiType, id, opts);\n" +
		"    }\n\n"
	const tail = "    public readonly path!: pulumi.Output<string>;\n}\n"
	files := map[string][]byte{
		"siteContent.ts": []byte(kept + exists + tail),
		"README.md":      []byte(exists),
	}
	removeExistsMethods(files)
	if got := string(files["siteContent.ts"]); got != kept+tail {
		t.Errorf("siteContent.ts:\n%s", got)
	}
	if got := string(files["README.md"]); got != exists {
		t.Errorf("a file that is not TypeScript changed:\n%s", got)
	}
}
