fn main() -> std::process::ExitCode {
    visgraat::cli::main()
}
