//! The `whereflow` command: `whereflow run [--config FILE] [overrides]`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use ipnet::IpNet;
use tracing_subscriber::EnvFilter;

use whereflow::config::Config;

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
}

/// Flags override the same keys of the config file; repeatable flags replace its list.
#[derive(Args)]
struct RunArgs {
    /// The TOML config file (see docs/whereflow.example.toml). Without it, built-in defaults.
    #[arg(long, short)]
    config: Option<PathBuf>,
    /// DNS listen address, UDP and TCP (repeatable) [dns.listen].
    #[arg(long = "dns-listen", value_name = "ADDR:PORT")]
    dns_listen: Vec<SocketAddr>,
    /// Upstream DNS server, in order of preference (repeatable) [dns.upstreams].
    #[arg(long = "upstream", value_name = "ADDR:PORT")]
    upstreams: Vec<SocketAddr>,
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

fn run(args: RunArgs) -> anyhow::Result<()> {
    let config = args.config()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("whereflow")
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(whereflow::daemon::run_until_signal(config))
}
