//! Running the real binary from a test, as a user runs a command.

/// Runs `hfpapers ARGS` with the given endpoint and data dir (and no
/// config from the environment), off the async runtime.
pub async fn cli(endpoint: &str, data: &std::path::Path, args: &[&str]) -> std::process::Output {
    let (endpoint, data) = (endpoint.to_string(), data.to_path_buf());
    let args: Vec<String> = args.iter().map(std::string::ToString::to_string).collect();
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_hfpapers"))
            .args(&args)
            .env("HF_ENDPOINT", endpoint)
            .env("HFPAPERS_DATA_DIR", data)
            .env_remove("HF_TOKEN")
            .env_remove("HFPAPERS_CONFIG")
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

/// What a command printed on stdout.
pub fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
