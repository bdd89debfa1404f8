use clap::Parser;

#[actix_web::main]
async fn main() {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let cli = thncd::cli::Cli::parse();
    if let Err(message) = thncd::cli::run(cli).await {
        log::error!("{message}");
        eprintln!("thncd: {message}");
        std::process::exit(1);
    }
}
