//! The `whereflow` command: `whereflow run [--config FILE] [overrides]`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use ipnet::IpNet;
use tracing_subscriber::EnvFilter;

use whereflow::config::{Config, UpstreamSpec};

#[derive(Parser)]
#[command(
    name = "whereflow",
    version,
    about = "Shows where connected devices' data flows"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the daemon: DNS forwarder, conntrack reader, correlator and web API.
    Run(RunArgs),
    /// Check a config file (and flags) and print the resulting configuration.
    CheckConfig(RunArgs),
    /// On the appliance, at boot: check the settings file and render the access point,
    /// DHCP, firewall and daemon files from it (a setup access point if it has problems).
    /// Exit status 0: settings used; 2: fallback rendered, problems written; 1: failure.
    Setup(SetupArgs),
}

/// `whereflow setup` (see `appliance/src/system/`).
#[derive(Args)]
struct SetupArgs {
    /// The settings file on the boot partition.
    #[arg(
        long,
        value_name = "FILE",
        default_value = "/boot/whereflow-settings.toml"
    )]
    settings: PathBuf,
    /// Directory for the rendered files (hostapd.conf, dnsmasq.conf, nftables.conf,
    /// nftables-detect.conf, daemon.toml, system.env).
    #[arg(long, value_name = "DIR", default_value = "/run/whereflow")]
    out: PathBuf,
    /// The problems file, written next to the settings when they have problems.
    #[arg(
        long,
        value_name = "FILE",
        default_value = "/boot/whereflow-problems.txt"
    )]
    problems: PathBuf,
    /// Where the setup access point's passphrase is kept across boots.
    #[arg(
        long,
        value_name = "FILE",
        default_value = "/data/whereflow-setup-passphrase"
    )]
    fallback_passphrase_file: PathBuf,
    /// The copy of the problems file the daemon keeps its notes in (the recovery code, the
    /// uplink's state), when the boot partition is read-only to it; the init script copies it
    /// there before the daemon starts and back while it runs. Default: the problems file.
    #[arg(long, value_name = "FILE")]
    daemon_problems: Option<PathBuf>,
    /// The image's defaults for the daemon, used where the settings set nothing (ignored
    /// if missing).
    #[arg(
        long,
        value_name = "FILE",
        default_value = "/etc/whereflow/image-defaults.toml"
    )]
    image_defaults: PathBuf,
    /// Render the setup access point for this reason (English only; e.g. hostapd refused
    /// the settings).
    #[arg(long, value_name = "TEXT", conflicts_with = "hostapd_refused")]
    fallback_reason: Option<String>,
    /// Render the setup access point because hostapd refused the settings; TEXT is its last
    /// log lines (the problems file says the rest in `site.language`).
    #[arg(long, value_name = "TEXT")]
    hostapd_refused: Option<String>,
    /// Leave a plain admin.password in the settings file (default: replace it by its hash).
    #[arg(long)]
    keep_admin_password: bool,
}

/// Flags override the same keys of the config file; repeatable flags replace its list.
#[derive(Args)]
struct RunArgs {
    /// The TOML config file (see docs/config.example.toml). Without it, built-in defaults.
    #[arg(long, short)]
    config: Option<PathBuf>,
    /// DNS listen address, UDP and TCP (repeatable) [dns.listen].
    #[arg(long = "dns-listen", value_name = "ADDR:PORT")]
    dns_listen: Vec<SocketAddr>,
    /// Upstream DNS server, in order of preference (repeatable) [dns.upstreams].
    #[arg(
        long = "upstream",
        value_name = "ADDR[:PORT] | tls://ADDR[@NAME] | https://HOST/PATH"
    )]
    upstreams: Vec<UpstreamSpec>,
    /// Web listen address [web.listen].
    #[arg(long = "web-listen", value_name = "ADDR:PORT")]
    web_listen: Option<SocketAddr>,
    /// Address range whose hosts are devices (repeatable) [correlate.lan].
    #[arg(long = "lan", value_name = "CIDR")]
    lan: Vec<IpNet>,
    /// Geo database, city or country, v4 or v6 (repeatable) [enrich.geo_dbs].
    #[arg(long = "geo-db", value_name = "PATH")]
    geo_dbs: Vec<PathBuf>,
    /// AS database (repeatable) [enrich.asn_dbs].
    #[arg(long = "asn-db", value_name = "PATH")]
    asn_dbs: Vec<PathBuf>,
    /// Data directory [data.dir].
    #[arg(long = "data-dir", value_name = "DIR")]
    data_dir: Option<PathBuf>,
}

impl RunArgs {
    fn config(&self) -> anyhow::Result<Config> {
        let mut config = match &self.config {
            Some(path) => Config::load(path)?,
            None => Config::default(),
        };
        if !self.dns_listen.is_empty() {
            config.dns.listen = self.dns_listen.clone();
        }
        if !self.upstreams.is_empty() {
            config.dns.upstreams = self.upstreams.clone();
        }
        if let Some(a) = self.web_listen {
            config.web.listen = a;
        }
        if !self.lan.is_empty() {
            config.correlate.lan = self.lan.clone();
        }
        if !self.geo_dbs.is_empty() {
            config.enrich.geo_dbs = self.geo_dbs.clone();
        }
        if !self.asn_dbs.is_empty() {
            config.enrich.asn_dbs = self.asn_dbs.clone();
        }
        if let Some(d) = &self.data_dir {
            config.data.dir = d.clone();
        }
        config.validate()?;
        Ok(config)
    }
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Setup(args) => return setup(args),
        Command::Run(args) => run(args),
        Command::CheckConfig(args) => args.config().map(|c| println!("{c:#?}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("whereflow: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// `whereflow setup`: everything goes to the console too (at boot it is the only screen).
fn setup(args: SetupArgs) -> ExitCode {
    use whereflow::system::SetupWords;
    let opts = whereflow::system::SetupOptions {
        settings: args.settings,
        out: args.out,
        problems_file: args.problems,
        fallback_passphrase_file: args.fallback_passphrase_file,
        daemon_problems_file: args.daemon_problems,
        image_defaults: Some(args.image_defaults),
        fallback_reason: args
            .hostapd_refused
            .map(whereflow::system::FallbackReason::HostapdRefused)
            .or(args
                .fallback_reason
                .map(whereflow::system::FallbackReason::Other)),
        rewrite_admin_password: !args.keep_admin_password,
        sysfs: "/sys".into(),
    };
    match whereflow::system::setup(&opts) {
        Ok(report) => {
            // The console is the Pi's only screen at boot: it speaks the settings' language
            // (when the console can draw it).
            let tr = whereflow::i18n::Tr::new(report.language.on_console());
            let say = |words: &SetupWords| {
                eprintln!("whereflow setup: {}", words.say(tr));
            };
            for n in &report.notes {
                eprintln!("whereflow setup: {}", n.say(tr));
            }
            let r = &report.rendered;
            let names: Vec<&str> = r.files.iter().map(|(n, _)| *n).collect();
            say(&SetupWords::new(
                "wrote",
                [
                    ("files", names.join(", ")),
                    ("dir", opts.out.display().to_string()),
                ],
            ));
            match &r.problems_text {
                None => {
                    say(&SetupWords::new(
                        "good",
                        [
                            ("file", opts.settings.display().to_string()),
                            ("ssid", r.ap.ssid.clone()),
                            ("band", r.ap.band.key().to_owned()),
                            ("channel", r.ap.channel.to_string()),
                        ],
                    ));
                    if let Some(why) = &r.security_choice {
                        say(why);
                    }
                    ExitCode::SUCCESS
                }
                Some(text) => {
                    let also = SetupWords::new(
                        "also-in",
                        [("file", opts.problems_file.display().to_string())],
                    );
                    // A language the console cannot draw: only the file's English part.
                    let text = match text.split_once(whereflow::system::ENGLISH_MARKER) {
                        Some((_, english)) if report.language.on_console() != report.language => {
                            english.trim_start()
                        }
                        _ => text.as_str(),
                    };
                    eprintln!("\n{text}\n{}", also.say(tr));
                    ExitCode::from(2)
                }
            }
        }
        Err(e) => {
            let tr = whereflow::i18n::Tr::new(e.language.on_console());
            eprintln!("whereflow setup: {}", e.error.words().say(tr));
            ExitCode::FAILURE
        }
    }
}

fn run(args: RunArgs) -> anyhow::Result<()> {
    let config = args.config()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("whereflow")
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(whereflow::daemon::run_until_signal(config))
}
