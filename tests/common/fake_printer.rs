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
    pub device: String,
    condition: Arc<Mutex<Condition>>,
    stop: Arc<AtomicBool>,
    decoder: Arc<Mutex<Decoder>>,
    thread: Option<JoinHandle<()>>,
    _slave: TTYPort,
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

impl FakePrinter {
    pub fn start(condition: Condition) -> Self {
        let (mut master, slave) = TTYPort::pair().expect("a pseudo-terminal pair");
        let device = slave.name().expect("the slave's device name");
        master.set_timeout(Duration::from_millis(20)).expect("timeout");
        let condition = Arc::new(Mutex::new(condition));
        let stop = Arc::new(AtomicBool::new(false));
        let decoder = Arc::new(Mutex::new(Decoder::new()));
        let (c, s, d) = (condition.clone(), stop.clone(), decoder.clone());
        let thread = std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while !s.load(Ordering::Relaxed) {
                let n = match master.read(&mut buf) {
                    Ok(n) => n,
                    Err(e) if e.kind() == std::io::ErrorKind::TimedOut => continue,
                    Err(_) => continue,
                };
                let mut dec = d.lock().expect("decoder");
                let requests = dec.feed(&buf[..n]);
                let started = !dec.out.items.is_empty();
                drop(dec);
                for r in requests {
                    let condition = *c.lock().expect("condition");
                    if let Some(byte) = reply(condition, r, started) {
                        let _ = master.write_all(&[byte]);
                    }
                }
            }
        });
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
