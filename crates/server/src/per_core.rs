//! Serving with one single-threaded runtime per core, each accepting on its own listening
//! socket bound with `SO_REUSEPORT` (the kernel spreads the connections over them), instead of
//! one work-stealing runtime.
//!
//! Why: a warm tile is a few microseconds of work, and on the work-stealing runtime each one
//! also woke another worker (an `eventfd` write and a futex wait a request, seen with
//! `strace -c`), which cost more than the answer. A connection now stays on the thread that
//! accepted it, as in actix-web (martin). Blocking store work still runs on each runtime's
//! blocking pool.

use crate::AppState;
use std::net::SocketAddr;
use tokio::net::{TcpListener, TcpSocket};

/// Blocking threads of each runtime at most: store reads and renders are CPU work on a few
/// cores, so more threads than this only queue in the kernel instead of here (and stretch the
/// tail latency), while one long task (an import) still leaves others free.
const BLOCKING_PER_RUNTIME: usize = 8;

fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let s = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    s.set_reuseaddr(true)?;
    #[cfg(unix)]
    s.set_reuseport(true)?;
    s.bind(addr)?;
    s.listen(1024)
}

/// Serves `state` on `addr` with `threads` runtimes (at least one) until Ctrl-C; calls
/// `bound` with the address once every socket listens.
pub fn serve_per_core(
    state: AppState,
    addr: SocketAddr,
    threads: usize,
    bound: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let threads = if cfg!(unix) { threads.max(1) } else { 1 };
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut parts = Vec::with_capacity(threads);
    let mut addr = addr;
    for _ in 0..threads {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .max_blocking_threads(BLOCKING_PER_RUNTIME)
            .build()?;
        // Port 0: the first socket picks the port, the others share it.
        let listener = rt.block_on(async { bind(addr) })?;
        addr = listener.local_addr()?;
        parts.push((rt, listener));
    }
    bound(addr);
    let mut handles = Vec::with_capacity(threads);
    for (i, (rt, listener)) in parts.into_iter().enumerate() {
        let state = state.clone();
        let mut stop = stop_rx.clone();
        let stop_tx = (i == 0).then(|| stop_tx.clone());
        handles.push(
            std::thread::Builder::new()
                .name(format!("landcycle-http-{i}"))
                .spawn(move || {
                    rt.block_on(async move {
                        if let Some(tx) = stop_tx {
                            tokio::spawn(async move {
                                let _ = tokio::signal::ctrl_c().await;
                                tracing::info!("shutting down");
                                let _ = tx.send(true);
                            });
                        }
                        let shutdown = async move {
                            let _ = stop.wait_for(|s| *s).await;
                        };
                        crate::serve(state, listener, shutdown).await
                    })
                })?,
        );
    }
    drop(stop_tx);
    let mut out = Ok(());
    for h in handles {
        match h.join() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => out = Err(e),
            Err(_) => out = Err(std::io::Error::other("a server thread panicked")),
        }
    }
    out
}
