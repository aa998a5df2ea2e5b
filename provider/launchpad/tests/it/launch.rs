//! The built binary, spawned as the engine would: launch contract and RPCs.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use launchpad_protocol::codec::{EncodeOptions, decode_struct, encode_struct};
use launchpad_protocol::rpc::{self, resource_provider_client::ResourceProviderClient};
use launchpad_protocol::testing::{
    ConstructCall, FakeMonitor, FakeMonitorConfig, component_reference,
};
use launchpad_protocol::{PropertyMap, Value};
use tonic::transport::Channel;

const BIN: &str = env!("CARGO_BIN_EXE_pulumi-resource-launchpad");

pub(crate) struct Plugin {
    child: Child,
    port: u16,
}

impl Plugin {
    /// Launch with flags the engine may pass, engine address last.
    pub(crate) fn spawn() -> Plugin {
        Plugin::spawn_with_env(&[])
    }

    /// [`Plugin::spawn`] with `env` added to its environment.
    pub(crate) fn spawn_with_env(env: &[(&str, &str)]) -> Plugin {
        let mut child = Command::new(BIN)
            .envs(env.iter().copied())
            .args([
                "--logtostderr",
                "-v=9",
                "--tracing",
                "file:///dev/null",
                "127.0.0.1:1",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn plugin");
        let mut line = String::new();
        let stdout = child.stdout.as_mut().expect("stdout");
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read port");
        let port = line
            .trim_end_matches('\n')
            .parse()
            .unwrap_or_else(|_| panic!("stdout must be the port alone, got {line:?}"));
        Plugin { child, port }
    }

    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    pub(crate) async fn client(&self) -> ResourceProviderClient<Channel> {
        ResourceProviderClient::connect(format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("connect")
    }

    fn terminate(&mut self) -> std::process::ExitStatus {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        // A hang guard, not a timing assertion: exit takes at most the 2 s grace.
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "plugin did not exit on SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Plugin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn prints_only_the_port_and_exits_cleanly_on_sigterm() {
    let mut plugin = Plugin::spawn();
    let mut client = plugin.client().await;
    let info = client.get_plugin_info(()).await.expect("info").into_inner();
    assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
    let status = plugin.terminate();
    assert!(status.success(), "exit status {status:?}");
    let mut rest = String::new();
    plugin
        .child
        .stdout
        .take()
        .expect("stdout")
        .read_to_string(&mut rest)
        .expect("read");
    assert_eq!(rest, "", "nothing but the port may reach stdout");
}

#[tokio::test]
async fn handshake_and_configure_accept_secrets_and_resources() {
    let plugin = Plugin::spawn();
    let mut client = plugin.client().await;
    let hs = client
        .handshake(rpc::ProviderHandshakeRequest {
            engine_address: "127.0.0.1:1".into(),
            ..Default::default()
        })
        .await
        .expect("handshake")
        .into_inner();
    assert!(hs.accept_secrets && hs.accept_resources && hs.accept_outputs);
    let cfg = client
        .configure(rpc::ConfigureRequest {
            args: Some(Default::default()),
            accept_secrets: true,
            accept_resources: true,
            ..Default::default()
        })
        .await
        .expect("configure")
        .into_inner();
    assert!(cfg.accept_secrets && cfg.accept_resources && cfg.supports_preview);
}

#[tokio::test]
async fn schema_over_grpc_matches_the_printed_schema() {
    let plugin = Plugin::spawn();
    let mut client = plugin.client().await;
    let schema = client
        .get_schema(rpc::GetSchemaRequest::default())
        .await
        .expect("schema")
        .into_inner()
        .schema;
    let printed = Command::new(BIN)
        .arg("--schema")
        .output()
        .expect("run --schema");
    assert_eq!(schema, String::from_utf8(printed.stdout).expect("utf8"));
    let json: serde_json::Value = serde_json::from_str(&schema).expect("json");
    assert!(json["resources"]["launchpad:index:StaticSite"]["isComponent"].as_bool() == Some(true));
}

#[tokio::test]
async fn unknown_config_keys_are_check_failures_and_the_engines_own_keys_are_not() {
    let plugin = Plugin::spawn();
    let mut client = plugin.client().await;
    let news = PropertyMap::from([
        ("nope".to_string(), Value::string("x")),
        // Added by the engine, never by the user.
        ("version".to_string(), Value::string("0.1.0")),
        (
            "pluginDownloadURL".to_string(),
            Value::string("github://api.github.com/launchpad-dev/launchpad"),
        ),
        (
            "pluginChecksums".to_string(),
            Value::Object(PropertyMap::new()),
        ),
    ]);
    let resp = client
        .check_config(rpc::CheckRequest {
            urn: "urn:pulumi:dev::proj::pulumi:providers:launchpad::default".into(),
            news: Some(encode_struct(&news, EncodeOptions::default())),
            ..Default::default()
        })
        .await
        .expect("check_config is answered, not an error")
        .into_inner();
    assert_eq!(resp.failures.len(), 1, "{:?}", resp.failures);
    assert_eq!(resp.failures[0].property, "nope");
    assert!(resp.failures[0].reason.contains("launchpad:nope"));
    assert!(
        resp.failures[0].reason.contains("valid:"),
        "{}",
        resp.failures[0].reason
    );
}

#[tokio::test]
async fn functions_methods_and_unknown_types_are_refused_by_name() {
    let plugin = Plugin::spawn();
    let mut client = plugin.client().await;
    let e = client
        .invoke(rpc::InvokeRequest {
            tok: "launchpad:index:getThing".into(),
            ..Default::default()
        })
        .await
        .expect_err("no functions");
    assert_eq!(e.code(), tonic::Code::Unimplemented);
    assert!(e.message().contains("launchpad:index:getThing"));
    let e = client
        .check(rpc::CheckRequest {
            urn: "urn:pulumi:dev::proj::launchpad:index:Nope::n".into(),
            ..Default::default()
        })
        .await
        .expect_err("unknown type");
    assert_eq!(e.code(), tonic::Code::NotFound);
    assert!(
        e.message().contains("launchpad:index:StaticSite"),
        "{}",
        e.message()
    );
}

/// A StaticSite Construct call over a real site folder.
fn site(price_class: &str) -> ConstructCall {
    named_site("site", price_class)
}

/// A StaticSite named `name` over a real site folder, with `price_class`.
pub(crate) fn named_site(name: &str, price_class: &str) -> ConstructCall {
    let dir = std::env::temp_dir().join(format!("launchpad-it-site-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("index.html"), "hi").expect("write");
    let inputs = PropertyMap::from([
        ("path".to_string(), Value::string(dir.display().to_string())),
        ("priceClass".to_string(), Value::string(price_class)),
    ]);
    ConstructCall::new("launchpad:index:StaticSite", name, inputs)
}

#[tokio::test]
async fn construct_registers_a_static_site_through_the_monitor() {
    let plugin = Plugin::spawn();
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let mut client = plugin.client().await;
    let resp = client
        .construct(monitor.request(&site("PriceClass_All")))
        .await
        .expect("construct")
        .into_inner();
    assert_eq!(
        resp.urn,
        "urn:pulumi:dev::proj::launchpad:index:StaticSite::site"
    );
    let state = decode_struct(resp.state.as_ref()).expect("state");
    assert!(state.contains_key("url") && state.contains_key("bucketName"));
    // The component, six aws children, the headers policy and the content.
    assert_eq!(monitor.registrations().len(), 9);
    monitor.one("launchpad:index:SiteContent");
    let d = monitor.one("aws:cloudfront/distribution:Distribution");
    assert_eq!(d.inputs["priceClass"], Value::string("PriceClass_All"));
}

#[tokio::test]
async fn construct_with_bad_input_is_invalid_argument_naming_the_property() {
    let plugin = Plugin::spawn();
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let mut client = plugin.client().await;
    let e = client
        .construct(monitor.request(&site("Cheap")))
        .await
        .expect_err("bad priceClass");
    assert_eq!(e.code(), tonic::Code::InvalidArgument);
    assert!(
        e.message()
            .starts_with("priceClass=\"Cheap\" is not valid; valid: PriceClass_100"),
        "{}",
        e.message()
    );
    assert!(monitor.registrations().is_empty());
}

/// A Function Construct call over a real built folder, with a URL.
fn function(runtime: &str) -> ConstructCall {
    let dir = std::env::temp_dir().join(format!("launchpad-it-fn-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(
        dir.join("index.mjs"),
        "export const handler = async () => 'hi';",
    )
    .expect("write");
    let inputs = PropertyMap::from([
        ("path".to_string(), Value::string(dir.display().to_string())),
        ("runtime".to_string(), Value::string(runtime)),
        ("handler".to_string(), Value::string("index.handler")),
        ("url".to_string(), Value::Object(PropertyMap::new())),
    ]);
    let mut call = ConstructCall::new("launchpad:index:Function", "api", inputs);
    call.config = [("aws:region".to_string(), "eu-west-1".to_string())].into();
    call
}

#[tokio::test]
async fn construct_registers_a_function_with_its_code_archive_through_the_monitor() {
    let plugin = Plugin::spawn();
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let mut client = plugin.client().await;
    let resp = client
        .construct(monitor.request(&function("nodejs24.x")))
        .await
        .expect("construct")
        .into_inner();
    assert_eq!(
        resp.urn,
        "urn:pulumi:dev::proj::launchpad:index:Function::api"
    );
    let state = decode_struct(resp.state.as_ref()).expect("state");
    // What a StaticSite route reads at preview is known at preview.
    assert_eq!(state["urlAuthType"].strip(), Value::string("AWS_IAM"));
    assert_eq!(state["timeout"].strip(), Value::Number(20.0));
    for output in [
        "functionName",
        "aliasName",
        "url",
        "roleArn",
        "logGroupName",
    ] {
        assert!(state.contains_key(output), "{output} missing: {state:?}");
    }
    let f = monitor.one("aws:lambda/function:Function");
    assert!(
        matches!(f.inputs["code"], Value::Archive(_)),
        "{:?}",
        f.inputs["code"]
    );
    assert_eq!(
        monitor.one("aws:lambda/functionUrl:FunctionUrl").inputs["qualifier"],
        Value::string("live")
    );
    // The component and its six children: role, logs policy, log group,
    // function, alias, URL.
    assert_eq!(monitor.registrations().len(), 7);
}

#[tokio::test]
async fn construct_of_a_function_on_a_deprecated_runtime_names_its_successor() {
    let plugin = Plugin::spawn();
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let mut client = plugin.client().await;
    let e = client
        .construct(monitor.request(&function("nodejs20.x")))
        .await
        .expect_err("deprecated runtime");
    assert_eq!(e.code(), tonic::Code::InvalidArgument);
    assert!(
        e.message()
            .starts_with("runtime=\"nodejs20.x\" is deprecated")
            && e.message().contains("use nodejs24.x"),
        "{}",
        e.message()
    );
    assert!(monitor.registrations().is_empty());
}

#[tokio::test]
async fn a_site_route_reads_the_function_it_names_through_the_engine() {
    // Through the binary as the engine drives it: the Function's Construct registers its
    // outputs; the site's Construct gets only its URN and reads them with getResource.
    let plugin = Plugin::spawn();
    let monitor = FakeMonitor::start(FakeMonitorConfig::default()).await;
    let mut client = plugin.client().await;
    let function_urn = client
        .construct(monitor.request(&function("nodejs24.x")))
        .await
        .expect("function construct")
        .into_inner()
        .urn;
    let mut call = site("PriceClass_100");
    call.inputs.insert(
        "routes".to_string(),
        Value::Array(vec![Value::Object(PropertyMap::from([
            ("path".to_string(), Value::string("/api/*")),
            ("function".to_string(), component_reference(&function_urn)),
        ]))]),
    );
    client
        .construct(monitor.request(&call))
        .await
        .expect("site construct");
    assert_eq!(monitor.resource_reads(), vec![function_urn]);
    let permissions: Vec<_> = monitor
        .registrations()
        .into_iter()
        .filter(|r| r.type_token == "aws:lambda/permission:Permission")
        .collect();
    assert_eq!(permissions.len(), 2, "{permissions:?}");
    for p in permissions {
        assert_eq!(p.inputs["qualifier"].strip(), Value::string("live"));
        assert_eq!(
            p.inputs["principal"].strip(),
            Value::string("cloudfront.amazonaws.com")
        );
    }
}

/// The processes in process group `group` still running (zombies are gone
/// in all but name), from `/proc`.
fn alive_in_group(group: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            // `pid (comm) state ppid pgrp …`; comm may hold spaces, so read after its `)`.
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                return false;
            };
            let fields: Vec<&str> = stat
                .rsplit_once(')')
                .map(|(_, rest)| rest.split_whitespace().collect())
                .unwrap_or_default();
            fields.first() != Some(&"Z") && fields.get(2) == Some(&group.to_string().as_str())
        })
        .collect()
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plugin_exits_when_its_engine_is_gone_and_leaves_no_process_behind() {
    use std::os::unix::process::CommandExt;

    let engine = launchpad_protocol::testing::FakeEngine::start().await;
    // Its own process group: whatever it might start stays findable after it exits.
    let mut child = Command::new(BIN)
        .arg(&engine.endpoint)
        .env("LAUNCHPAD_LOG", "launchpad_protocol=debug")
        .process_group(0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn plugin");
    let group = child.id();
    let mut port = String::new();
    BufReader::new(child.stdout.as_mut().expect("stdout"))
        .read_line(&mut port)
        .expect("read port");
    assert!(port.trim().parse::<u16>().is_ok(), "port line {port:?}");
    // The link counts once the engine has answered, which the plugin logs.
    let stderr = child.stderr.take().expect("stderr");
    let (link_up, up) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("engine link up") {
                let _ = link_up.send(());
            }
        }
    });
    tokio::task::spawn_blocking(move || up.recv_timeout(Duration::from_secs(30)))
        .await
        .expect("join")
        .expect("the plugin reports the engine link up");
    assert!(
        child.try_wait().expect("wait").is_none(),
        "the plugin must run while its engine does"
    );

    drop(engine);
    let gone = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        // A hang guard, generous for a loaded machine; the goal (1 s) is measured.
        if gone.elapsed() > Duration::from_secs(5) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the plugin did not exit within 5 s of its engine going away");
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    println!(
        "plugin exited {:?} after its engine went away ({status})",
        gone.elapsed()
    );
    assert!(status.success(), "exit status {status:?}");
    assert_eq!(
        alive_in_group(group),
        Vec::<u32>::new(),
        "processes left running in the plugin's group"
    );
}
