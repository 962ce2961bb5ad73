//! A real terminal for end-to-end tests: the `visgraat` binary in a tmux session, keys sent
//! with send-keys, the screen read with capture-pane.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Whether tmux is there (tests skip with a message when it is not).
pub fn available() -> bool {
    Command::new("tmux").arg("-V").output().is_ok()
}

pub struct Tmux {
    pub session: String,
}

impl Tmux {
    /// The TUI in `dir` (its config.toml), in a terminal of `width` × `height`.
    pub fn start(dir: &Path, width: u16, height: u16) -> Tmux {
        Tmux::start_with(dir, width, height, "")
    }

    /// [`Tmux::start`] with `env` (e.g. `XDG_CONFIG_HOME='/tmp/x' `) before the command.
    pub fn start_with(dir: &Path, width: u16, height: u16, env: &str) -> Tmux {
        static SESSIONS: AtomicUsize = AtomicUsize::new(0);
        let session = format!(
            "visgraat-e2e-{}-{}",
            std::process::id(),
            SESSIONS.fetch_add(1, Ordering::Relaxed)
        );
        let bin = env!("CARGO_BIN_EXE_visgraat");
        let command = format!(
            "cd '{}' && {env}'{bin}'; echo EXITED $?; sleep 60",
            dir.display()
        );
        let ok = Command::new("tmux")
            .args([
                "new-session",
                "-d",
                "-s",
                &session,
                "-x",
                &width.to_string(),
                "-y",
                &height.to_string(),
                &command,
            ])
            .status()
            .unwrap()
            .success();
        assert!(ok, "tmux could not start");
        Tmux { session }
    }

    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            let status = Command::new("tmux")
                .args(["send-keys", "-t", &self.session, k])
                .status()
                .unwrap();
            assert!(status.success());
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    pub fn literal(&self, text: &str) {
        let status = Command::new("tmux")
            .args(["send-keys", "-t", &self.session, "-l", text])
            .status()
            .unwrap();
        assert!(status.success());
    }

    pub fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.session])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).to_string()
    }

    /// Wait until the screen shows `text` (or fail with the screen).
    pub fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "waited for {text:?}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.session])
            .status();
    }
}
