//! A thermal printer on the far side of a pseudo-terminal pair: the kiosk opens the slave like a
//! serial port; this thread reads the master, decodes everything, and answers `DLE EOT`
//! requests as the chosen condition dictates.

use super::escpos::{Decoded, Decoder};
use serialport::{SerialPort, TTYPort};
use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    Online,
    PaperNearEnd,
    PaperEnd,
    CoverOpen,
    /// Answers nothing (unplugged, off).
    Silent,
    /// Answers bytes that are not status (wrong baud rate).
    Garbage,
    /// Online until the receipt was sent, then out of paper.
    PaperRunsOutDuringJob,
}

pub struct FakePrinter {
    /// The pseudo-terminal's device path, or `127.0.0.1:PORT` for a network printer.
    pub device: String,
    condition: Arc<Mutex<Condition>>,
    stop: Arc<AtomicBool>,
    decoder: Arc<Mutex<Decoder>>,
    thread: Option<JoinHandle<()>>,
    _slave: Option<TTYPort>,
}

fn reply(condition: Condition, request: u8, receipt_started: bool) -> Option<u8> {
    let paper_out = condition == Condition::PaperEnd
        || (condition == Condition::PaperRunsOutDuringJob && receipt_started);
    match condition {
        Condition::Silent => None,
        Condition::Garbage => Some(0xFF),
        _ => Some(match request {
            1 if paper_out || condition == Condition::CoverOpen => 0x1A,
            2 if paper_out => 0x32,
            2 if condition == Condition::CoverOpen => 0x16,
            4 if paper_out => 0x72,
            4 if condition == Condition::PaperNearEnd => 0x1E,
            _ => 0x12,
        }),
    }
}

/// Reads what the kiosk sends, decodes it and answers status requests until `stop`.
fn answer(
    mut port: impl Read + Write,
    condition: Arc<Mutex<Condition>>,
    stop: Arc<AtomicBool>,
    decoder: Arc<Mutex<Decoder>>,
) {
    let mut buf = [0u8; 4096];
    while !stop.load(Ordering::Relaxed) {
        let n = match port.read(&mut buf) {
            Ok(0) => continue,
            Ok(n) => n,
            Err(_) => continue, // the read timeout: look at `stop` again
        };
        let mut dec = decoder.lock().expect("decoder");
        let requests = dec.feed(&buf[..n]);
        let started = !dec.out.items.is_empty();
        drop(dec);
        for r in requests {
            let now = *condition.lock().expect("condition");
            if let Some(byte) = reply(now, r, started) {
                let _ = port.write_all(&[byte]);
            }
        }
    }
}

impl FakePrinter {
    /// A serial printer: the kiosk opens the slave side of a pseudo-terminal pair.
    pub fn start(condition: Condition) -> Self {
        let (mut master, slave) = TTYPort::pair().expect("a pseudo-terminal pair");
        let device = slave.name().expect("the slave's device name");
        master.set_timeout(Duration::from_millis(20)).expect("timeout");
        Self::run(device, Some(slave), condition, move |c, s, d| {
            answer(master, c, s, d)
        })
    }

    /// A network printer on 127.0.0.1 (port 9100's protocol), accepting one connection at a time.
    pub fn start_tcp(condition: Condition) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("listen");
        let device = listener.local_addr().expect("address").to_string();
        listener.set_nonblocking(true).expect("nonblocking");
        Self::run(device, None, condition, move |c, s, d| {
            while !s.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        stream.set_nonblocking(false).expect("blocking");
                        stream
                            .set_read_timeout(Some(Duration::from_millis(20)))
                            .expect("timeout");
                        answer(stream, c.clone(), s.clone(), d.clone());
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        })
    }

    fn run(
        device: String,
        slave: Option<TTYPort>,
        condition: Condition,
        body: impl FnOnce(Arc<Mutex<Condition>>, Arc<AtomicBool>, Arc<Mutex<Decoder>>) + Send + 'static,
    ) -> Self {
        let condition = Arc::new(Mutex::new(condition));
        let stop = Arc::new(AtomicBool::new(false));
        let decoder = Arc::new(Mutex::new(Decoder::new()));
        let (c, s, d) = (condition.clone(), stop.clone(), decoder.clone());
        let thread = std::thread::spawn(move || body(c, s, d));
        Self {
            device,
            condition,
            stop,
            decoder,
            thread: Some(thread),
            _slave: slave,
        }
    }

    pub fn set(&self, condition: Condition) {
        *self.condition.lock().expect("condition") = condition;
    }

    /// Everything decoded so far, leaving a fresh decoder for what comes next.
    pub fn take(&self) -> Decoded {
        let mut d = self.decoder.lock().expect("decoder");
        std::mem::replace(&mut *d, Decoder::new()).finish()
    }
}

impl Drop for FakePrinter {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
