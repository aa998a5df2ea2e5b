"""A site and its API on one domain, with a nightly job, on AWS Lambda with launchpad."""

import pulumi
import pulumi_launchpad as launchpad

stack = pulumi.get_stack()

# `api/` is the function's built folder (its code and the packages it needs, e.g. from
# `pip install -r requirements.txt --target api/`). It answers GET /api/hello. arm64 by
# default; `url={}` gives it a function URL that only signed (AWS_IAM) requests may call:
# the site below is the one that may.
api = launchpad.Function(
    "api",
    path="./api",
    runtime="python3.13",
    handler="app.handler",
    memory=512,
    timeout=10,
    environment={"GREETING": "hello from launchpad"},
    url={},
    tags={"app": "function-py", "stack": stack},
)

# A nightly job, run once a day by EventBridge Scheduler with `input` as its event. Its
# role may invoke only this function's `live` alias.
nightly = launchpad.Function(
    "nightly",
    path="./jobs",
    runtime="python3.13",
    handler="nightly.handler",
    timeout=60,
    schedule={"expression": "rate(1 day)", "input": {"task": "report"}},
    tags={"app": "function-py", "stack": stack},
)

# The site and its API on one domain: CloudFront sends /api/* to the function's URL, signed
# with Origin Access Control, and everything else to the site's bucket. No CORS needed.
site = launchpad.StaticSite(
    "site",
    path="./site",
    routes=[{"path": "/api/*", "function": api}],
    tags={"app": "function-py", "stack": stack},
)

pulumi.export("url", site.url)
pulumi.export("functionName", api.function_name)
pulumi.export("nightlyFunctionName", nightly.function_name)
