//! StaticSite's catalogue (LP2xxx): every message about a StaticSite's own
//! inputs. The worked example for the other components' catalogues: one
//! entry per message, its doc comment saying why it happens and what to do.
//! Core's entries (LP10xx) cover what every component checks the same way.
//! See [`launchpad_core::catalogue`] for the rules.

use std::fmt::Display;

launchpad_core::catalogue! {
    area = "StaticSite";

    /// `path` must name the folder your build writes (`dist`, `build`, `out`),
    /// relative to the Pulumi program. Build the site before `pulumi preview`,
    /// or point `path` at the build's output folder.
    LP2001 input path_not_a_folder(property = "path", value: impl Display, looked: impl Display)
        = "path={value} is not a folder{looked}; build the site first or point `path` at its output folder";

    /// A single-page app answers every unknown path with `indexDocument`, so
    /// an error page would never be served. Set `spa: false` to serve it, or
    /// leave `errorDocument` out.
    LP2002 input error_document_with_spa(property = "errorDocument", value: impl Display)
        = "errorDocument={value} cannot be used with spa=true: a single-page app serves `indexDocument` for every unknown path; set spa=false to serve an error page";

    /// With `spa: false` and no `errorDocument`, launchpad keeps its own
    /// not-found page at this key, which would overwrite your file. Name your
    /// file as the `errorDocument`, or rename it.
    LP2003 input not_found_page_taken(property = "path", value: impl Display, page_key: impl Display)
        = "path={value} holds {page_key}, the key where a site with spa=false and no errorDocument keeps its own not-found page; set errorDocument=\"{page_key}\" to serve yours, or rename it";

    /// The site folder could not be walked (an unreadable file, or a link
    /// leading outside the folder); the path is secret, so the message does
    /// not quote what failed. Copy linked files in and make every file readable.
    LP2004 input secret_path_unlistable(property = "path")
        = "path=[secret] cannot be listed: a file or folder in it cannot be read, or a link leads outside it; copy linked files in, and check that every file can be read";

    /// With `spa: false`, files without an extension are listed in the site's
    /// CloudFront Function, whose code CloudFront caps at 10 KB. Give those
    /// files an extension, or set `spa: true`.
    LP2005 input too_many_extensionless_files(
        property = "path", value: impl Display, count: usize, examples: impl Display,
        size: usize, max: usize)
        = "path={value} has {count} files without an extension (such as {examples}): a site with spa=false lists them in its CloudFront Function so that they are served as files, not redirected as folders, and the list makes the function's code {size} bytes, over CloudFront's limit of {max} bytes (10 KB); give those files an extension, or set spa=true";

    /// A cache rule with the same pattern as an earlier one: the first rule
    /// that matches a file wins, so this one would never apply. Remove it or
    /// merge the two.
    LP2006 input repeated_pattern(property, value: impl Display, earlier: impl Display)
        = "{property}={value} repeats {earlier}; the first matching rule wins, so this one would never apply";

    /// A cache rule's pattern is matched against the site's keys: `*` and `?`
    /// within a folder, `**` across folders, every other character literal.
    /// `{why}` is one of: it matches no file; longer than 1024 characters,
    /// S3's longest key; it has a control character; `{a,b}` alternatives are
    /// not supported (write one rule per pattern).
    LP2007 input invalid_pattern(property, value: impl Display, why: impl Display)
        = "{property}={value} is not a valid pattern: {why}; for example \"assets/**\" or \"*.html\"";

    /// S3 stores the Cache-Control header as given. `{why}` is one of: it is
    /// empty; longer than 1024 characters; only printable ASCII characters
    /// are allowed (no line breaks).
    LP2008 input invalid_cache_control(property, value: impl Display, why: impl Display)
        = "{property}={value} is not a valid Cache-Control header: {why}; for example \"public, max-age=3600\" or \"no-cache\"";

    /// The Content-Security-Policy goes into CloudFront's response headers
    /// policy. `{why}` is one of: it is empty (leave it out to send none);
    /// CloudFront allows at most 1783 characters; only printable ASCII
    /// characters are allowed (no line breaks).
    LP2009 input invalid_content_security_policy(property, value: impl Display, why: impl Display)
        = "{property}={value} is not a valid Content-Security-Policy: {why}";

    /// `customHeaders` and `contentSecurityPolicy` are sent by the response
    /// headers policy, which `securityHeaders.enabled: false` turns off.
    /// Remove the input, or enable the policy.
    LP2010 input needs_security_headers(property)
        = "{property} cannot be used with securityHeaders.enabled=false: without the response headers policy nothing sends it; remove it or enable the policy";

    /// CloudFront's default quota allows 10 custom headers in a response
    /// headers policy. Remove some.
    LP2011 input too_many_custom_headers(property, count: usize, max: usize)
        = "{property} has {count} headers; CloudFront allows at most {max} custom headers in a response headers policy (its default quota); remove some";

    /// One custom header CloudFront would refuse (a secret map's header names
    /// show as `[secret]`). `{why}` says which rule it breaks: not a valid
    /// header name (use letters, digits and `-`); a name over 256 characters;
    /// a security header, set through its own input instead; a header
    /// CloudFront manages itself (leave it out); set twice (header names
    /// ignore case); a value that is not printable ASCII, is empty or has line
    /// breaks; a value over 1783 characters.
    LP2012 input invalid_custom_header(property, why: impl Display)
        = "{property}: {why}";

    /// CloudFront allows at most 10240 characters of header names and values
    /// in one response headers policy. Remove headers or shorten their values.
    LP2013 input custom_headers_too_long(property, total: usize, max: usize)
        = "{property}: the headers' names and values add up to {total} characters; CloudFront allows at most {max} in a response headers policy; remove some or shorten their values";

    /// `indexDocument` and `errorDocument` are S3 keys of files in the site
    /// folder: a relative path with no leading `/`, no `..` and no spaces.
    LP2014 input invalid_object_name(property, value: impl Display)
        = "{property}={value} is not a valid object name; use a path inside the site folder such as \"index.html\" (no leading `/`, no `..`, no spaces)";

    /// The document is not a file of the built site. Build the site first, or
    /// name a file that exists in `path`.
    LP2015 input document_not_in_site(property, value: impl Display, path: impl Display)
        = "{property}={value} is not in the site folder {path}; build the site first or name a file that exists";

    /// `domain.name` must be a host name CloudFront and ACM accept. `{why}`
    /// is one of: wildcards are not supported; use lower case; longer than
    /// 253 characters; it needs a domain, not only a label; a label must be
    /// 1-63 characters of a-z, 0-9 and inner '-'.
    LP2016 input invalid_host_name(property, value: impl Display, why: impl Display)
        = "{property}={value} is not a valid host name: {why}; for example \"www.example.com\"";

    /// `domain.zoneId` is the ID of the Route 53 hosted zone that holds the
    /// domain (`aws route53 list-hosted-zones` lists them; `/hostedzone/…`
    /// is accepted too).
    LP2017 input invalid_zone_id(property, value: impl Display)
        = "{property}={value} is not a Route 53 hosted zone ID; it looks like \"Z0123456789ABCDEFGHIJ\" (see `aws route53 list-hosted-zones`)";

    /// A route's `path` is a CloudFront path pattern such as `/api/*`: not
    /// empty, at most 255 characters, no spaces or control characters, only
    /// the characters CloudFront accepts (A-Z, a-z, 0-9 and
    /// `_ - . * ? $ / ~ " ' @ : + &`; no `%`-escapes), and not `*` or `/*`,
    /// the default behaviour that serves the site itself.
    LP2018 input invalid_route_pattern(property, value: impl Display, why: impl Display)
        = "{property}={value} is not a valid route path: {why}; for example \"/api/*\"";

    /// Two routes have the same path pattern (a leading `/` makes no
    /// difference to CloudFront). Keep one of them.
    LP2019 input repeated_route_pattern(property, value: impl Display, first: impl Display)
        = "{property}={value} repeats {first} (CloudFront reads a pattern the same with or without its leading `/`); keep one of them";

    /// CloudFront tries the routes in order and takes the first whose pattern
    /// matches, so a route after one whose pattern matches every path it
    /// matches is never used. Put the more specific pattern first.
    LP2020 input shadowed_route_pattern(property, value: impl Display, earlier: impl Display, earlier_value: impl Display)
        = "{property}={value} is never used: {earlier}={earlier_value} comes first and matches every path it matches (CloudFront takes the first match); put the more specific pattern first";

    /// A route goes to a `function` (a launchpad Function) or to a
    /// `webService` (a launchpad WebService): exactly one of the two.
    LP2021 input route_target_count(property, has: impl Display)
        = "{property} needs exactly one of `function` and `webService`; it has {has}";

    /// CloudFront reaches a function route through an origin access control,
    /// which signs its requests: the function URL must check them, with
    /// `url.authType` `AWS_IAM` (the Function's default). A `NONE` URL would
    /// stay open to anyone beside the site.
    LP2022 input function_url_not_iam(property, value: impl Display)
        = "{property}: the function's url has authType={value}; a route needs url.authType \"AWS_IAM\" (the default), so that only this site's CloudFront may call it";

    /// A function route goes to the function's URL: give the Function
    /// `url: {}` (its authType defaults to `AWS_IAM`).
    LP2023 input function_without_url(property)
        = "{property} has no url; give the Function `url: {{}}` (authType \"AWS_IAM\", the default) to route to it";

    /// CloudFront reaches a WebService over HTTPS and checks that the
    /// load balancer's certificate names the origin's domain, or answers 502:
    /// `originDomain` is a name on the service's certificate whose DNS
    /// record points at its load balancer.
    LP2024 input origin_domain_required(property)
        = "{property} is required with webService: a name on the service's certificate that resolves to its load balancer, for example \"api.example.com\"";

    /// `originDomain` names the host CloudFront connects to for a WebService
    /// route; a function route uses the function's URL.
    LP2025 input origin_domain_without_web_service(property)
        = "{property} is only for webService routes; a function route goes to the function's url";

    /// CloudFront reaches a WebService route over HTTPS only: give the
    /// WebService a `certificateArn` for `originDomain`, which adds its HTTPS
    /// listener.
    LP2026 input web_service_without_https(property)
        = "{property} has no HTTPS listener; give the WebService a certificateArn (for the route's originDomain) so CloudFront can reach it over HTTPS";

    /// A route's origin and its Lambda permissions are named after the
    /// Function's name, so two different Functions of the same name (each in
    /// its own parent component) cannot both be routed to: the second would
    /// get the first one's origin. Give one of them another name.
    LP2027 input function_name_taken(property, name: impl Display, earlier: impl Display)
        = "{property} is named \"{name}\" like the function of {earlier}, a different Function; the site names a route's origin after its function, so give one of them another name";
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_catalogue_is_well_formed() {
        assert_eq!(
            launchpad_core::catalogue::problems(&[super::CATALOGUE]),
            Vec::<String>::new()
        );
    }
}
