//! An ESC/POS decoder written for the tests, independent of the code that encodes: it reads
//! the byte stream as a printer would and says what would come out on paper.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Printed {
    /// A line of printer-font text with the style in force when it was printed.
    Text {
        text: String,
        align: u8,
        bold: bool,
        width: u8,
        height: u8,
    },
    /// A QR symbol as stored and printed.
    Qr {
        model: u8,
        module: u8,
        ecc: u8,
        data: Vec<u8>,
    },
    /// One `GS v 0` raster band.
    Raster {
        left_margin: u16,
        width_bytes: u16,
        rows: u16,
        ink_dots: usize,
    },
    Feed(u8),
    Cut,
}

#[derive(Debug, Default)]
pub struct Decoded {
    pub items: Vec<Printed>,
    pub inits: usize,
    pub status_requests: Vec<u8>,
    /// Bytes the decoder did not understand (a failure in any test).
    pub unknown: Vec<String>,
}

impl Decoded {
    pub fn texts(&self) -> Vec<String> {
        self.items
            .iter()
            .filter_map(|i| match i {
                Printed::Text { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect()
    }

    pub fn qr_codes(&self) -> Vec<&Printed> {
        self.items
            .iter()
            .filter(|i| matches!(i, Printed::Qr { .. }))
            .collect()
    }

    pub fn raster_bands(&self) -> usize {
        self.items
            .iter()
            .filter(|i| matches!(i, Printed::Raster { .. }))
            .count()
    }

    pub fn cuts(&self) -> usize {
        self.items.iter().filter(|i| matches!(i, Printed::Cut)).count()
    }
}

/// Incremental decoder: feed bytes as they arrive; it keeps partial commands until complete.
#[derive(Default)]
pub struct Decoder {
    pending: Vec<u8>,
    line: Vec<u8>,
    chinese: bool,
    align: u8,
    bold: bool,
    width: u8,
    height: u8,
    left_margin: u16,
    qr_model: u8,
    qr_module: u8,
    qr_ecc: u8,
    qr_data: Vec<u8>,
    pub out: Decoded,
}

enum Step {
    /// Consumed this many bytes.
    Took(usize),
    /// Needs more bytes.
    More,
}

impl Decoder {
    pub fn new() -> Self {
        let mut d = Self::default();
        d.reset();
        d
    }

    fn reset(&mut self) {
        self.chinese = false;
        self.align = 0;
        self.bold = false;
        self.width = 1;
        self.height = 1;
        self.left_margin = 0;
    }

    /// Feeds bytes; returns the status requests (`DLE EOT n`) found in them, in order.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<u8> {
        let mut pending = std::mem::take(&mut self.pending);
        pending.extend_from_slice(bytes);
        let before = self.out.status_requests.len();
        let mut at = 0;
        while at < pending.len() {
            match self.step(&pending[at..]) {
                Step::Took(n) => at += n,
                Step::More => break,
            }
        }
        pending.drain(..at);
        self.pending = pending;
        self.out.status_requests[before..].to_vec()
    }

    pub fn finish(mut self) -> Decoded {
        if !self.pending.is_empty() {
            self.out
                .unknown
                .push(format!("incomplete command at the end: {:02x?}", self.pending));
        }
        if !self.line.is_empty() {
            self.out
                .unknown
                .push("text without a line feed at the end".into());
        }
        self.out
    }

    fn flush_line(&mut self) {
        let bytes = std::mem::take(&mut self.line);
        let text = if self.chinese {
            let (text, _, bad) = encoding_rs::GB18030.decode(&bytes);
            if bad {
                self.out
                    .unknown
                    .push(format!("invalid GB18030 text {bytes:02x?}"));
            }
            text.into_owned()
        } else {
            if bytes.iter().any(|b| *b >= 0x80) {
                self.out
                    .unknown
                    .push(format!("non-ASCII bytes outside Chinese mode {bytes:02x?}"));
            }
            String::from_utf8_lossy(&bytes).into_owned()
        };
        self.out.items.push(Printed::Text {
            text,
            align: self.align,
            bold: self.bold,
            width: self.width,
            height: self.height,
        });
    }

    fn step(&mut self, b: &[u8]) -> Step {
        let need = |n: usize| b.len() < n;
        match b[0] {
            0x0A => {
                self.flush_line();
                Step::Took(1)
            }
            0x10 => {
                if need(3) {
                    return Step::More;
                }
                if b[1] == 0x04 {
                    self.out.status_requests.push(b[2]);
                } else {
                    self.out.unknown.push(format!("DLE {:02x}", b[1]));
                }
                Step::Took(3)
            }
            0x1B => {
                if need(2) {
                    return Step::More;
                }
                match b[1] {
                    b'@' => {
                        self.reset();
                        self.out.inits += 1;
                        Step::Took(2)
                    }
                    b'a' | b'E' | b'd' => {
                        if need(3) {
                            return Step::More;
                        }
                        match b[1] {
                            b'a' => self.align = b[2],
                            b'E' => self.bold = b[2] & 1 == 1,
                            _ => self.out.items.push(Printed::Feed(b[2])),
                        }
                        Step::Took(3)
                    }
                    other => {
                        self.out.unknown.push(format!("ESC {other:02x}"));
                        Step::Took(2)
                    }
                }
            }
            0x1C => {
                if need(2) {
                    return Step::More;
                }
                match b[1] {
                    b'&' => self.chinese = true,
                    b'.' => self.chinese = false,
                    other => self.out.unknown.push(format!("FS {other:02x}")),
                }
                Step::Took(2)
            }
            0x1D => self.group_separator(b),
            _ if self.chinese && b[0] >= 0x80 => {
                // A double-byte character (GB18030 four-byte sequences are two pairs).
                if need(2) {
                    return Step::More;
                }
                self.line.extend_from_slice(&b[..2]);
                Step::Took(2)
            }
            byte => {
                self.line.push(byte);
                Step::Took(1)
            }
        }
    }

    fn group_separator(&mut self, b: &[u8]) -> Step {
        if b.len() < 2 {
            return Step::More;
        }
        match b[1] {
            b'!' => {
                if b.len() < 3 {
                    return Step::More;
                }
                self.width = (b[2] >> 4) + 1;
                self.height = (b[2] & 0x0F) + 1;
                Step::Took(3)
            }
            b'L' => {
                if b.len() < 4 {
                    return Step::More;
                }
                self.left_margin = u16::from_le_bytes([b[2], b[3]]);
                Step::Took(4)
            }
            b'V' => {
                if b.len() < 3 {
                    return Step::More;
                }
                self.out.items.push(Printed::Cut);
                // Function B (65, 66) carries a feed amount.
                Step::Took(if b[2] == 65 || b[2] == 66 { 4 } else { 3 })
            }
            b'v' => {
                if b.len() < 8 {
                    return Step::More;
                }
                let width = u16::from_le_bytes([b[4], b[5]]);
                let rows = u16::from_le_bytes([b[6], b[7]]);
                let size = 8 + width as usize * rows as usize;
                if b.len() < size {
                    return Step::More;
                }
                if b[2] != b'0' {
                    self.out.unknown.push("GS v without 0".into());
                }
                let ink_dots = b[8..size].iter().map(|x| x.count_ones() as usize).sum();
                self.out.items.push(Printed::Raster {
                    left_margin: self.left_margin,
                    width_bytes: width,
                    rows,
                    ink_dots,
                });
                Step::Took(size)
            }
            b'(' => {
                if b.len() < 5 {
                    return Step::More;
                }
                let len = u16::from_le_bytes([b[3], b[4]]) as usize;
                if b.len() < 5 + len {
                    return Step::More;
                }
                if b[2] != b'k' {
                    self.out.unknown.push(format!("GS ( {:02x}", b[2]));
                    return Step::Took(5 + len);
                }
                self.two_d(&b[5..5 + len]);
                Step::Took(5 + len)
            }
            other => {
                self.out.unknown.push(format!("GS {other:02x}"));
                Step::Took(2)
            }
        }
    }

    /// `GS ( k`: cn 49 is QR; fn 65 model, 67 module size, 69 error correction, 80 store, 81 print.
    fn two_d(&mut self, p: &[u8]) {
        if p.len() < 2 || p[0] != 49 {
            self.out.unknown.push(format!("2D symbol {p:02x?}"));
            return;
        }
        match (p[1], &p[2..]) {
            (65, [model, _]) => self.qr_model = *model,
            (67, [size]) => self.qr_module = *size,
            (69, [ecc]) => self.qr_ecc = *ecc,
            (80, [48, data @ ..]) => self.qr_data = data.to_vec(),
            (81, [48]) => self.out.items.push(Printed::Qr {
                model: self.qr_model,
                module: self.qr_module,
                ecc: self.qr_ecc,
                data: std::mem::take(&mut self.qr_data),
            }),
            _ => self.out.unknown.push(format!("QR function {p:02x?}")),
        }
    }
}

pub fn decode(bytes: &[u8]) -> Decoded {
    let mut d = Decoder::new();
    d.feed(bytes);
    d.finish()
}
