"""GET /api/hello answers JSON. The event is a function URL's (payload format 2.0); behind
the site's CloudFront route the path is the viewer's own, /api/hello."""

import json
import os


def handler(event, context):
    method = event.get("requestContext", {}).get("http", {}).get("method")
    path = event.get("rawPath")
    if method == "GET" and path == "/api/hello":
        return respond(200, {
            "message": os.environ.get("GREETING", "hello"),
            # Lambda sets these for every function (its reserved environment variables).
            "region": os.environ.get("AWS_REGION"),
            "version": os.environ.get("AWS_LAMBDA_FUNCTION_VERSION"),
        })
    return respond(404, {"error": f"no route for {method} {path}"})


def respond(status, body):
    return {
        "statusCode": status,
        "headers": {"content-type": "application/json"},
        "body": json.dumps(body),
    }
