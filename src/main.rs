fn main() -> std::process::ExitCode {
    let code = visgraat::cli::main();
    // For the benchmark: this process's own peak memory. (A parent's wait4 would report the
    // parent's peak when it is larger, since the spawned child starts in the parent's memory.)
    if std::env::var_os("VISGRAAT_PEAK_RSS").is_some()
        && let Ok(status) = std::fs::read_to_string("/proc/self/status")
        && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:"))
    {
        eprintln!(
            "visgraat-peak-rss {}",
            line.trim_start_matches("VmHWM:").trim()
        );
    }
    code
}
