//! # launchpad-http-mocks
//!
//! TEST ONLY. What the tests of an HTTP client of launchpad (Neon's API)
//! share to program the [`wiremock`] server that plays the service: one
//! call per expected request instead of a six-line
//! `Mock::given(..).and(..).respond_with(..).expect(n).named(..).mount(..)`
//! chain at every site.
//!
//! It knows HTTP and wiremock only: no Neon paths, no fixtures (each
//! client's tests keep their response bodies beside them). Start at
//! [`expect`]; [`never`] is its `times = 0` case.

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

/// Mount on `server` an answer of `response` to `verb url` (`url` is the
/// path, without the query) that must be asked for exactly `times` times.
/// `response` is a [`ResponseTemplate`], or any [`Respond`] that builds
/// one from the request (to echo what was sent).
///
/// The count is checked when `server` drops, as wiremock's own
/// `expect(n)` is; the mock is named `"{verb} {url}"`, so a test that
/// fails on it says which request was missing or extra. For matchers
/// beyond the verb and path (query parameters, bodies), write the
/// wiremock chain out.
pub async fn expect(
    server: &MockServer,
    times: u64,
    verb: &str,
    url: &str,
    response: impl Respond + 'static,
) {
    Mock::given(method(verb))
        .and(path(url))
        .respond_with(response)
        .expect(times)
        .named(format!("{verb} {url}"))
        .mount(server)
        .await;
}

/// Mount a `verb url` that must never be asked for; were it asked, it
/// would get a 500 and the test would fail when `server` drops.
pub async fn never(server: &MockServer, verb: &str, url: &str) {
    Mock::given(method(verb))
        .and(path(url))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .named(format!("no {verb} {url}"))
        .mount(server)
        .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ask `server` for `verb url` and return the status.
    async fn ask(server: &MockServer, verb: reqwest::Method, url: &str) -> u16 {
        reqwest::Client::new()
            .request(verb, format!("{}{url}", server.uri()))
            .send()
            .await
            .expect("the mock server answers")
            .status()
            .as_u16()
    }

    /// Whether verifying `server`'s expectations panics, and with what.
    async fn verify_failure(server: MockServer) -> Option<String> {
        let verified = tokio::spawn(async move { server.verify().await }).await;
        verified.err().map(|e| {
            let panic = e.into_panic();
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default()
        })
    }

    #[tokio::test]
    async fn an_expected_request_answers_and_its_count_is_verified_by_name() {
        let server = MockServer::start().await;
        expect(&server, 2, "GET", "/things/1", ResponseTemplate::new(201)).await;
        assert_eq!(ask(&server, reqwest::Method::GET, "/things/1").await, 201);
        assert_eq!(
            ask(&server, reqwest::Method::POST, "/things/1").await,
            404,
            "another verb is not this mock"
        );
        let failure = verify_failure(server).await.expect("asked once of twice");
        assert!(failure.contains("GET /things/1"), "{failure}");

        let server = MockServer::start().await;
        expect(&server, 1, "GET", "/things/1", ResponseTemplate::new(200)).await;
        assert_eq!(ask(&server, reqwest::Method::GET, "/things/1").await, 200);
        assert_eq!(verify_failure(server).await, None);
    }

    #[tokio::test]
    async fn a_request_that_must_never_come_fails_the_test_when_it_does() {
        let server = MockServer::start().await;
        never(&server, "DELETE", "/things/1").await;
        assert_eq!(verify_failure(server).await, None, "not asked: fine");

        let server = MockServer::start().await;
        never(&server, "DELETE", "/things/1").await;
        assert_eq!(
            ask(&server, reqwest::Method::DELETE, "/things/1").await,
            500
        );
        let failure = verify_failure(server).await.expect("asked once");
        assert!(failure.contains("no DELETE /things/1"), "{failure}");
    }
}
