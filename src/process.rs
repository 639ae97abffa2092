//! Processes of this host: its name, and whether a process a run recorded (its pid and start
//! time) is gone. DIR's lock and the PDF reader's temporary folders record the run that made
//! them, so a later run can tell what a dead run left behind. A pid is given to another
//! process once its own is gone, so where the system tells it (Linux's `/proc`), the start
//! time is compared too.

/// This host's name.
pub fn host() -> String {
    #[cfg(unix)]
    if let Ok(h) = nix::unistd::gethostname() {
        return h.to_string_lossy().into_owned();
    }
    std::env::var("COMPUTERNAME")
        .or_else(|_| std::env::var("HOSTNAME"))
        .unwrap_or_else(|_| "unknown-host".into())
}

/// When process `pid` started, in clock ticks after boot (`/proc/PID/stat` field 22); none
/// where there is no such process or no `/proc`.
pub fn start_time(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces or `)`: count the
    // fields after its last `)`, which start at field 3.
    let (_, rest) = stat.rsplit_once(')')?;
    rest.split_whitespace().nth(22 - 3)?.parse().ok()
}

/// Whether the process of this host recorded as `pid`, started at `started` (when that was
/// known), is gone: its pid is free, or taken by a process that started at another time.
/// A process of another user still counts as alive.
pub fn gone(pid: u32, started: Option<u64>) -> bool {
    free(pid)
        || started
            .zip(start_time(pid))
            .is_some_and(|(recorded, now)| recorded != now)
}

/// Whether no process has pid `pid`.
fn free(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(raw) = i32::try_from(pid) else {
            return false;
        };
        matches!(
            nix::sys::signal::kill(nix::unistd::Pid::from_raw(raw), None),
            Err(nix::errno::Errno::ESRCH)
        )
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pid_is_gone_when_free_or_started_at_another_time() {
        let me = std::process::id();
        assert!(!gone(me, None));
        #[cfg(target_os = "linux")]
        {
            let started = start_time(me).unwrap();
            assert!(!gone(me, Some(started)));
            assert!(gone(me, Some(started + 1)));
        }
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        assert!(gone(pid, None));
    }
}
