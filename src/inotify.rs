//! Linux's inotify, as the watchers need it: a watch per directory, the paths that events
//! named, and whether the kernel's queue overflowed (events lost: walk again). The kernel
//! queues an event inside the system call that made the change, so once a write has
//! returned, a read of the queue includes it: a watcher that drains the queue before it
//! answers answers for every change made before the question.

use std::collections::{HashMap, HashSet};
use std::ffi::{CString, OsStr};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Events that may change a stamp: files written, touched, created, removed or renamed, and
/// a watched directory itself removed or moved.
const MASK: u32 = libc::IN_MODIFY
    | libc::IN_CLOSE_WRITE
    | libc::IN_ATTRIB
    | libc::IN_CREATE
    | libc::IN_DELETE
    | libc::IN_MOVED_FROM
    | libc::IN_MOVED_TO
    | libc::IN_DELETE_SELF
    | libc::IN_MOVE_SELF;

pub struct Inotify {
    fd: OwnedFd,
    /// Watched directories, by watch descriptor and by path.
    dirs: HashMap<i32, PathBuf>,
    watched: HashMap<PathBuf, i32>,
}

/// What events named since the last read.
#[derive(Debug, Default)]
pub struct Events {
    /// Files and directories that changed, came or went (a directory's own path when the
    /// event was about the directory itself).
    pub paths: HashSet<PathBuf>,
    /// The kernel's queue overflowed: events were lost.
    pub overflow: bool,
}

impl AsRawFd for Inotify {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        self.fd.as_raw_fd()
    }
}

impl Inotify {
    pub fn new() -> std::io::Result<Inotify> {
        // SAFETY: inotify_init1 has no preconditions; a negative result is an error.
        let raw = unsafe { libc::inotify_init1(libc::IN_CLOEXEC | libc::IN_NONBLOCK) };
        if raw < 0 {
            return Err(at_limit(
                std::io::Error::last_os_error(),
                libc::EMFILE,
                "max_user_instances",
                1024,
            ));
        }
        Ok(Inotify {
            // SAFETY: `raw` is a fresh descriptor that nothing else owns.
            fd: unsafe { OwnedFd::from_raw_fd(raw) },
            dirs: HashMap::new(),
            watched: HashMap::new(),
        })
    }

    pub fn is_watched(&self, dir: &Path) -> bool {
        self.watched.contains_key(dir)
    }

    /// Watch `dir` (a link is followed). Fails when the user's watch limit is reached.
    pub fn add(&mut self, dir: &Path) -> std::io::Result<()> {
        let c = CString::new(dir.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
        // SAFETY: a valid C string and our own descriptor.
        let wd = unsafe { libc::inotify_add_watch(self.fd.as_raw_fd(), c.as_ptr(), MASK) };
        if wd < 0 {
            return Err(at_limit(
                std::io::Error::last_os_error(),
                libc::ENOSPC,
                "max_user_watches",
                524_288,
            ));
        }
        self.dirs.insert(wd, dir.to_path_buf());
        self.watched.insert(dir.to_path_buf(), wd);
        Ok(())
    }

    /// Stop watching `path` and every directory under it.
    pub fn forget_under(&mut self, path: &Path) {
        let stale: Vec<(PathBuf, i32)> = self
            .watched
            .iter()
            .filter(|(p, _)| p.starts_with(path))
            .map(|(p, wd)| (p.clone(), *wd))
            .collect();
        for (p, wd) in stale {
            self.watched.remove(&p);
            self.dirs.remove(&wd);
            // SAFETY: removing a watch of our own descriptor; an error means it is gone.
            unsafe { libc::inotify_rm_watch(self.fd.as_raw_fd(), wd) };
        }
    }

    /// Stop watching everything.
    pub fn clear(&mut self) {
        for wd in self.dirs.keys() {
            // SAFETY: removing watches of our own descriptor.
            unsafe { libc::inotify_rm_watch(self.fd.as_raw_fd(), *wd) };
        }
        self.dirs.clear();
        self.watched.clear();
    }

    /// True when events are waiting (within `timeout`; None: as long as it takes).
    pub fn wait(&self, timeout: Option<Duration>) -> std::io::Result<bool> {
        Ok(readable(&[self.fd.as_raw_fd()], timeout)?[0])
    }

    /// Read every event waiting, without blocking, into `events`.
    pub fn read(&mut self, events: &mut Events) -> std::io::Result<()> {
        // Aligned for inotify_event, with room for many events and their names.
        let mut buf = vec![0u64; 8192];
        let header = std::mem::size_of::<libc::inotify_event>();
        loop {
            // SAFETY: the buffer is valid for its length in bytes.
            let n = unsafe {
                libc::read(
                    self.fd.as_raw_fd(),
                    buf.as_mut_ptr().cast(),
                    buf.len() * std::mem::size_of::<u64>(),
                )
            };
            if n < 0 {
                let e = std::io::Error::last_os_error();
                return match e.kind() {
                    std::io::ErrorKind::WouldBlock => Ok(()),
                    std::io::ErrorKind::Interrupted => continue,
                    _ => Err(e),
                };
            }
            // SAFETY: the kernel wrote `n` bytes (n >= 0) into the buffer.
            let bytes =
                unsafe { std::slice::from_raw_parts(buf.as_ptr().cast::<u8>(), n as usize) };
            let mut at = 0;
            while at + header <= bytes.len() {
                // SAFETY: the kernel writes whole events, so a header lies at `at`; read
                // unaligned, since the names before it may leave it unaligned.
                let event: libc::inotify_event =
                    unsafe { std::ptr::read_unaligned(bytes[at..].as_ptr().cast()) };
                let end = (at + header + event.len as usize).min(bytes.len());
                let name = &bytes[at + header..end];
                let name = &name[..name.iter().position(|&b| b == 0).unwrap_or(name.len())];
                at = end;
                self.note(&event, name, events);
            }
        }
    }

    fn note(&mut self, event: &libc::inotify_event, name: &[u8], events: &mut Events) {
        if event.mask & libc::IN_Q_OVERFLOW != 0 {
            events.overflow = true;
            return;
        }
        let Some(dir) = self.dirs.get(&event.wd).cloned() else {
            return;
        };
        if event.mask & libc::IN_IGNORED != 0 {
            // The directory is gone (or no longer watched): its entries go with it.
            self.dirs.remove(&event.wd);
            if self.watched.get(&dir) == Some(&event.wd) {
                self.watched.remove(&dir);
            }
        }
        if name.is_empty() {
            events.paths.insert(dir);
        } else {
            events.paths.insert(dir.join(OsStr::from_bytes(name)));
        }
    }

    /// Wait for events (at most `timeout`), then take the burst they came in: what follows
    /// within `settle` of the last event is taken too (an editor's save or a `git pull` is
    /// many events, and the watcher should act on it once). None: nothing happened.
    pub fn next_burst(
        &mut self,
        timeout: Option<Duration>,
        settle: Duration,
    ) -> std::io::Result<Option<Events>> {
        if !self.wait(timeout)? {
            return Ok(None);
        }
        let mut events = Events::default();
        loop {
            self.read(&mut events)?;
            if !self.wait(Some(settle))? {
                return Ok(Some(events));
            }
        }
    }
}

/// Which of `fds` are readable, once one is or `timeout` passed (None: as long as it takes).
pub fn readable(
    fds: &[std::os::fd::RawFd],
    timeout: Option<Duration>,
) -> std::io::Result<Vec<bool>> {
    let mut polls: Vec<libc::pollfd> = fds
        .iter()
        .map(|&fd| libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        })
        .collect();
    let ms = timeout.map_or(-1, |t| i32::try_from(t.as_millis()).unwrap_or(i32::MAX));
    loop {
        // SAFETY: `polls` is valid for its length, which is its count.
        let n = unsafe { libc::poll(polls.as_mut_ptr(), polls.len() as libc::nfds_t, ms) };
        if n >= 0 {
            return Ok(polls.iter().map(|p| p.revents != 0).collect());
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

/// True when `path` lies on a file system whose changes may come from other machines (NFS,
/// SMB/CIFS, FUSE mounts such as sshfs, 9p, Ceph, AFS, Lustre): there inotify hears only of
/// this machine's changes, so a watcher must not be trusted.
pub fn on_network_file_system(path: &Path) -> bool {
    const NETWORK: &[i64] = &[
        0x6969,      // NFS
        0x517b,      // SMB
        0xff53_4d42, // CIFS
        0xfe53_4d42, // SMB2
        0x6573_5546, // FUSE
        0x0102_1997, // 9p
        0x00c3_6400, // Ceph
        0x5346_414f, // AFS
        0x0bd0_0bd0, // Lustre
    ];
    let Ok(c) = CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: a zeroed statfs is a valid value for the kernel to fill.
    let mut fs: libc::statfs = unsafe { std::mem::zeroed() };
    // SAFETY: a valid C string and a statfs to fill.
    if unsafe { libc::statfs(c.as_ptr(), &mut fs) } != 0 {
        return false;
    }
    #[allow(clippy::unnecessary_cast)] // f_type's type differs between targets
    NETWORK.contains(&(fs.f_type as i64))
}

/// The kernel reports inotify's limits as "no space left on device" (watches) and "too
/// many open files" (instances), which read like a full disk: `error` is `errno` of limit
/// `setting` (under `fs.inotify`), said so, with its value and how to raise it.
fn at_limit(error: std::io::Error, errno: i32, setting: &str, suggested: u32) -> std::io::Error {
    if error.raw_os_error() != Some(errno) {
        return error;
    }
    let value = std::fs::read_to_string(format!("/proc/sys/fs/inotify/{setting}"))
        .map_or_else(|_| "?".to_string(), |v| v.trim().to_string());
    std::io::Error::new(
        error.kind(),
        format!(
            "the kernel's limit fs.inotify.{setting} ({value}) is reached; raise it, e.g. `sudo sysctl fs.inotify.{setting}={suggested}`"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_is_named_not_taken_for_a_full_disk() {
        let said = at_limit(
            std::io::Error::from_raw_os_error(libc::ENOSPC),
            libc::ENOSPC,
            "max_user_watches",
            524_288,
        )
        .to_string();
        assert!(said.contains("fs.inotify.max_user_watches ("), "{said}");
        assert!(
            said.contains("sysctl fs.inotify.max_user_watches=524288"),
            "{said}"
        );
        let other = at_limit(
            std::io::Error::from_raw_os_error(libc::EACCES),
            libc::ENOSPC,
            "max_user_watches",
            524_288,
        );
        assert_eq!(
            other.raw_os_error(),
            Some(libc::EACCES),
            "other errors stay"
        );
    }
}
