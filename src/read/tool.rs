//! External tools run as separate processes (poppler's, tesseract): their GPL code and their
//! models stay out of our binary. Each runs in a process group of its own, dies with jixiao
//! however jixiao dies, is killed at the document's deadline or when the run is stopped, and
//! has its output capped.

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Set when the run is stopped: every running tool is ended and none is started.
static STOP: AtomicBool = AtomicBool::new(false);

/// Ends the tools now running and refuses to start more (the run got a stop signal).
pub fn stop() {
    STOP.store(true, Ordering::SeqCst);
}

/// How running a tool went wrong; each reader words it for its own tool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The program is not installed.
    Missing,
    /// It could not be started, or waited for (the OS's message).
    Io(String),
    /// The run was stopped.
    Stopped,
    /// It ran past the deadline and was killed.
    TooSlow,
    /// It wrote more than the cap.
    TooLarge,
    /// It exited with a failure; its standard error (the first 64 KiB).
    Failed(String),
}

/// One run of a tool: what it is given and what it may take.
pub struct Run<'a> {
    pub program: &'a str,
    pub args: &'a [&'a str],
    /// Environment variables set for it (on top of jixiao's).
    pub env: &'a [(&'a str, &'a str)],
    /// Its standard input.
    pub input: &'a [u8],
    /// The most bytes of standard output accepted.
    pub cap: u64,
    pub deadline: Instant,
}

/// Kills a tool and whatever it started (its process group), and reaps it.
fn end(child: &mut Child) {
    #[cfg(unix)]
    if let Ok(pid) = i32::try_from(child.id()) {
        let _ = nix::sys::signal::killpg(
            nix::unistd::Pid::from_raw(pid),
            nix::sys::signal::Signal::SIGKILL,
        );
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Has the kernel kill the tool when jixiao dies, however it dies: a run killed with
/// SIGKILL cannot end its tools itself, and poppler or tesseract can run for many minutes on
/// a hostile file. (The signal comes when the spawning thread ends; the threads that spawn
/// tools live until the tool is reaped.)
#[cfg(target_os = "linux")]
fn die_with_parent(command: &mut Command) {
    // SAFETY: the closure runs in the forked child before exec and calls only prctl and
    // getppid, which are async-signal-safe; it allocates nothing.
    let parent = unsafe { libc::getpid() };
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(command, move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // jixiao died between the fork and the prctl: no signal will come.
            if libc::getppid() != parent {
                return Err(std::io::Error::other(
                    "jixiao ended before the tool started",
                ));
            }
            Ok(())
        });
    }
}

/// Runs the tool until its deadline: its standard output.
pub fn run(r: &Run<'_>) -> Result<Vec<u8>, Failure> {
    if STOP.load(Ordering::SeqCst) {
        return Err(Failure::Stopped);
    }
    let mut command = Command::new(r.program);
    command
        .args(r.args)
        .envs(r.env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // A group of its own: a Ctrl-C on the terminal reaches jixiao alone, which ends its
    // tools itself, and the whole group can be killed at once.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    #[cfg(target_os = "linux")]
    die_with_parent(&mut command);
    let mut child = command.spawn().map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Failure::Missing
        } else {
            Failure::Io(format!("cannot start {}: {e}", r.program))
        }
    })?;
    // Feed stdin and drain stdout/stderr on their own threads: a pipe that fills blocks.
    let stdin = child.stdin.take();
    let input = r.input.to_vec();
    let feeder = std::thread::spawn(move || {
        if let Some(mut s) = stdin {
            let _ = s.write_all(&input);
        }
    });
    let stdout = child.stdout.take();
    let cap = r.cap;
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(s) = stdout {
            let _ = s.take(cap + 1).read_to_end(&mut out);
        }
        out
    });
    let stderr = child.stderr.take();
    let errors = std::thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(s) = stderr {
            let _ = s.take(64 * 1024).read_to_end(&mut out);
        }
        out
    });
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if STOP.load(Ordering::SeqCst) => {
                end(&mut child);
                return Err(Failure::Stopped);
            }
            Ok(None) if Instant::now() > r.deadline => {
                end(&mut child);
                return Err(Failure::TooSlow);
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(e) => {
                end(&mut child);
                return Err(Failure::Io(format!("{}: {e}", r.program)));
            }
        }
    };
    let _ = feeder.join();
    let out = reader.join().unwrap_or_default();
    let err = String::from_utf8_lossy(&errors.join().unwrap_or_default()).into_owned();
    if out.len() as u64 > r.cap {
        return Err(Failure::TooLarge);
    }
    if !status.success() {
        return Err(Failure::Failed(err));
    }
    Ok(out)
}
