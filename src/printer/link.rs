//! Transports to the printer: a serial port, a TCP socket (port 9100), or files (the default on a
//! terminal without a printer: the bytes plus a PNG picture of the receipt).

use super::status::{ASK_OFFLINE_CAUSE, ASK_PAPER, ASK_PRINTER, Problem, Status};
use crate::config::{FlowControl, PrinterConfig, PrinterKind};
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::Duration;

/// How long a printer may take to answer a status request.
pub const STATUS_TIMEOUT: Duration = Duration::from_millis(500);
/// How long one write may block (a busy printer holds off with flow control).
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// A receipt on its way out: the bytes and, for the file printer, a picture of it.
pub struct Outgoing<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
    pub preview_png: Option<&'a dyn Fn() -> Option<Vec<u8>>>,
}

pub trait Link: Send {
    fn describe(&self) -> String;
    fn send(&mut self, out: &Outgoing) -> Result<(), Problem>;
    fn status(&mut self) -> Result<Status, Problem>;
}

/// Opens the configured printer. Serial and TCP links connect here; errors name the fix.
pub fn open(config: &PrinterConfig, file_dir: PathBuf) -> Result<Box<dyn Link>, Problem> {
    match config.kind {
        PrinterKind::File => Ok(Box::new(FileLink { dir: file_dir })),
        PrinterKind::Serial => {
            let device = config.device.clone().unwrap_or_default();
            let flow = match config.flow_control {
                FlowControl::None => serialport::FlowControl::None,
                FlowControl::Hardware => serialport::FlowControl::Hardware,
                FlowControl::Software => serialport::FlowControl::Software,
            };
            let port = serialport::new(&device, config.baud.unwrap_or(9600))
                .flow_control(flow)
                .timeout(STATUS_TIMEOUT)
                .open_native()
                .map_err(|e| Problem::Link(format!("cannot open {device}: {e}")))?;
            Ok(Box::new(StreamLink {
                name: device,
                stream: port,
            }))
        }
        PrinterKind::Tcp => {
            let host = config.host.clone().unwrap_or_default();
            let addr = format!("{host}:{}", config.port.unwrap_or(9100));
            let stream =
                connect(&addr).map_err(|e| Problem::Link(format!("cannot connect to {addr}: {e}")))?;
            Ok(Box::new(StreamLink { name: addr, stream }))
        }
    }
}

fn connect(addr: &str) -> io::Result<TcpStream> {
    use std::net::ToSocketAddrs;
    let mut last = io::Error::new(io::ErrorKind::NotFound, "no address");
    for a in addr.to_socket_addrs()? {
        match TcpStream::connect_timeout(&a, Duration::from_secs(3)) {
            Ok(s) => {
                s.set_read_timeout(Some(STATUS_TIMEOUT))?;
                s.set_write_timeout(Some(WRITE_TIMEOUT))?;
                s.set_nodelay(true)?;
                return Ok(s);
            }
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// A byte stream to a real printer: serial port or socket.
struct StreamLink<S> {
    name: String,
    stream: S,
}

/// Streams whose stale input can be discarded before a status request.
trait Drain {
    fn drain(&mut self);
}

impl Drain for serialport::TTYPort {
    fn drain(&mut self) {
        use serialport::SerialPort;
        let _ = self.clear(serialport::ClearBuffer::Input);
    }
}

impl Drain for TcpStream {
    fn drain(&mut self) {
        let _ = self.set_nonblocking(true);
        let mut buf = [0u8; 64];
        while matches!(self.read(&mut buf), Ok(n) if n > 0) {}
        let _ = self.set_nonblocking(false);
    }
}

impl<S: Read + Write + Drain + Send> StreamLink<S> {
    fn ask(&mut self, request: &[u8; 3]) -> Result<u8, Problem> {
        self.stream
            .write_all(request)
            .and_then(|()| self.stream.flush())
            .map_err(|e| Problem::Link(e.to_string()))?;
        let mut byte = [0u8; 1];
        match self.stream.read(&mut byte) {
            Ok(1) => Ok(byte[0]),
            Ok(_) => Err(Problem::NoReply),
            Err(e) if matches!(e.kind(), io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock) => {
                Err(Problem::NoReply)
            }
            Err(e) => Err(Problem::Link(e.to_string())),
        }
    }
}

impl<S: Read + Write + Drain + Send> Link for StreamLink<S> {
    fn describe(&self) -> String {
        self.name.clone()
    }

    fn send(&mut self, out: &Outgoing) -> Result<(), Problem> {
        self.stream
            .write_all(out.bytes)
            .and_then(|()| self.stream.flush())
            .map_err(|e| Problem::Link(e.to_string()))
    }

    fn status(&mut self) -> Result<Status, Problem> {
        self.stream.drain();
        let printer = self.ask(&ASK_PRINTER)?;
        let cause = self.ask(&ASK_OFFLINE_CAUSE)?;
        let paper = self.ask(&ASK_PAPER)?;
        Status::from_replies(printer, cause, paper)
    }
}

/// Writes `<name>.escpos` and `<name>.png` into a directory; always ready.
struct FileLink {
    dir: PathBuf,
}

impl Link for FileLink {
    fn describe(&self) -> String {
        format!("files in {}", self.dir.display())
    }

    fn send(&mut self, out: &Outgoing) -> Result<(), Problem> {
        let fail = |e: io::Error| Problem::Link(format!("cannot write to {}: {e}", self.dir.display()));
        std::fs::create_dir_all(&self.dir).map_err(fail)?;
        crate::fsutil::write_atomically(&self.dir.join(format!("{}.escpos", out.name)), out.bytes, false)
            .map_err(fail)?;
        if let Some(png) = out.preview_png.and_then(|render| render()) {
            crate::fsutil::write_atomically(&self.dir.join(format!("{}.png", out.name)), &png, false)
                .map_err(fail)?;
        }
        Ok(())
    }

    fn status(&mut self) -> Result<Status, Problem> {
        Ok(Status::default())
    }
}
