// GET /api/hello answers JSON. The event is a function URL's (payload format 2.0); behind the
// site's CloudFront route the path is the viewer's own, /api/hello.
export const handler = async (event) => {
    const method = event.requestContext?.http?.method;
    const path = event.rawPath;
    if (method === "GET" && path === "/api/hello") {
        return json(200, {
            message: process.env.GREETING ?? "hello",
            // Lambda sets these for every function (its reserved environment variables).
            region: process.env.AWS_REGION,
            version: process.env.AWS_LAMBDA_FUNCTION_VERSION,
        });
    }
    return json(404, { error: `no route for ${method} ${path}` });
};

const json = (statusCode, body) => ({
    statusCode,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
});
