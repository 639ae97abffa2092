//! One run writes into a DIR at a time: `DIR/.jixiao.lock` names the run holding it (pid,
//! host, start time), is created before anything in DIR is touched, and is removed when the
//! run ends. A second run exits at once naming the holder; a lock whose process is dead on
//! this host is taken over with a warning (a run killed with SIGKILL cannot remove its own).
//! A pid is reused once its process is gone, so the lock also records when its process
//! started (Linux's `/proc/PID/stat` starttime): a live process of that pid that started at
//! another time is not the holder, and its lock is taken over too.
//! A lock from another host is never taken over: its process cannot be checked from here.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Result, RunError};

/// The lock's file name inside DIR.
pub const FILE: &str = ".jixiao.lock";

/// Who holds a lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    pub pid: u32,
    pub host: String,
    /// Unix seconds.
    pub started: String,
    /// The holder process's start time in clock ticks after boot (`/proc/PID/stat` field
    /// 22), where the system tells it: tells the holder from a later process given its pid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proc_start: Option<u64>,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "pid {} on {}, started at {} (unix seconds)",
            self.pid, self.host, self.started
        )
    }
}

/// A lock held on DIR; removed when dropped.
#[derive(Debug)]
pub struct DirLock {
    path: PathBuf,
    holder: Holder,
}

/// Whether the process that wrote `held` (on this host) is gone.
fn holder_gone(held: &Holder) -> bool {
    crate::process::gone(held.pid, held.proc_start)
}

impl DirLock {
    /// Takes the lock on `dir` (which must exist). Returns it and, when a dead run's lock was
    /// taken over, a warning saying whose.
    pub fn acquire(dir: &Path, started: &str) -> Result<(DirLock, Option<String>)> {
        let lock = DirLock {
            path: dir.join(FILE),
            holder: Holder {
                pid: std::process::id(),
                host: crate::process::host(),
                started: started.to_string(),
                proc_start: crate::process::start_time(std::process::id()),
            },
        };
        if lock.try_create()? {
            return Ok((lock, None));
        }
        let text = std::fs::read_to_string(&lock.path).unwrap_or_default();
        let Ok(held) = serde_json::from_str::<Holder>(&text) else {
            return Err(RunError::Invalid(format!(
                "{} is locked by a run whose lock file cannot be read; if no jixiao run is writing into it, remove {}",
                dir.display(),
                lock.path.display()
            )));
        };
        if held.host != lock.holder.host || !holder_gone(&held) {
            return Err(RunError::Invalid(format!(
                "{} is in use by another jixiao run ({held}); nothing was written",
                dir.display()
            )));
        }
        // The holder died without removing its lock: take it over. Two runs doing this at
        // once both remove it, and only one of them creates the new one.
        let _ = std::fs::remove_file(&lock.path);
        if !lock.try_create()? {
            return Err(RunError::Invalid(format!(
                "{} was taken by another jixiao run while this one took over a dead run's lock; nothing was written",
                dir.display()
            )));
        }
        let warning = format!(
            "took over the lock on {} left by a run that is no longer alive ({held})",
            dir.display()
        );
        Ok((lock, Some(warning)))
    }

    /// Creates the lock file if none exists; false when one does.
    fn try_create(&self) -> Result<bool> {
        let mut f = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&self.path)
        {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
            Err(e) => {
                return Err(RunError::Io {
                    what: format!("creating the lock {}", self.path.display()),
                    source: e,
                })
            }
        };
        let written = serde_json::to_vec(&self.holder)
            .map_err(std::io::Error::from)
            .and_then(|b| f.write_all(&b))
            .and_then(|()| f.sync_all());
        if let Err(e) = written {
            let _ = std::fs::remove_file(&self.path);
            return Err(RunError::Io {
                what: format!("writing the lock {}", self.path.display()),
                source: e,
            });
        }
        Ok(true)
    }
}

impl Drop for DirLock {
    fn drop(&mut self) {
        // Only our own lock is removed (a run that took over a dead one's lock owns it now).
        let ours = std::fs::read_to_string(&self.path)
            .ok()
            .and_then(|t| serde_json::from_str::<Holder>(&t).ok())
            .is_some_and(|h| h == self.holder);
        if ours {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_lock_refuses_and_a_dead_one_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let (lock, warning) = DirLock::acquire(dir.path(), "1").unwrap();
        assert!(warning.is_none());
        // This process is alive: a second lock is refused, naming it.
        let e = DirLock::acquire(dir.path(), "2").unwrap_err().to_string();
        assert!(e.contains(&format!("pid {}", std::process::id())), "{e}");
        drop(lock);
        assert!(!dir.path().join(FILE).exists());
        // A lock of a process that has exited.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        let stale = Holder {
            pid,
            host: crate::process::host(),
            started: "0".into(),
            proc_start: None,
        };
        std::fs::write(dir.path().join(FILE), serde_json::to_vec(&stale).unwrap()).unwrap();
        let (_lock, warning) = DirLock::acquire(dir.path(), "3").unwrap();
        assert!(warning.is_some_and(|w| w.contains(&format!("pid {pid}"))));
    }

    /// A dead run's pid given to an unrelated live process (here a `sleep`, with the start
    /// time the dead run would have recorded): the lock is still taken over. The same pid
    /// with its own start time is a live holder.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_lock_whose_pid_was_reused_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let mut other = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        let pid = other.id();
        let started = crate::process::start_time(pid).unwrap();
        let write = |proc_start: u64| {
            let held = Holder {
                pid,
                host: crate::process::host(),
                started: "0".into(),
                proc_start: Some(proc_start),
            };
            std::fs::write(dir.path().join(FILE), serde_json::to_vec(&held).unwrap()).unwrap();
        };
        write(started);
        let e = DirLock::acquire(dir.path(), "1").unwrap_err().to_string();
        assert!(
            e.contains(&format!("pid {pid}")) && e.contains("in use"),
            "{e}"
        );
        write(started.saturating_sub(1));
        let taken = DirLock::acquire(dir.path(), "2");
        other.kill().unwrap();
        other.wait().unwrap();
        let (lock, warning) = taken.unwrap();
        assert!(warning.is_some_and(|w| w.contains(&format!("pid {pid}"))));
        assert_eq!(
            lock.holder.proc_start,
            crate::process::start_time(std::process::id())
        );
    }
}
