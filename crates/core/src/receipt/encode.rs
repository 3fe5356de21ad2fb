//! Receipt → ESC/POS bytes, through the `escpos` crate's command builder over an in-memory driver.
//!
//! Text the printer's own font can show (ASCII and two-byte GB18030, i.e. GBK) is sent as text in
//! Chinese mode (`FS &`), so a Chinese ticket stays around a kilobyte. Anything else — Uyghur,
//! right-to-left text, characters outside GBK — is drawn (`raster`) and sent as `GS v 0` bands.
//! Where the crate is wrong or missing a command, we emit the bytes ourselves (noted inline).

use super::raster::{Coverage, render_line};
use super::{Align, Block, Line, Paper, Receipt};
use escpos::driver::Driver;
use escpos::printer::Printer;
use escpos::utils::{JustifyMode, Protocol, QRCodeCorrectionLevel, QRCodeModel, QRCodeOption};
use std::cell::RefCell;
use std::rc::Rc;

pub const LF: u8 = 0x0A;
/// `FS &` / `FS .`: enter and leave Chinese (double-byte) character mode.
pub const CHINESE_ON: [u8; 2] = [0x1C, b'&'];
pub const CHINESE_OFF: [u8; 2] = [0x1C, b'.'];
/// Raster rows per `GS v 0` command; small bands keep printer buffers happy.
pub const BAND_ROWS: u32 = 96;

#[derive(Debug, thiserror::Error)]
#[error("the receipt could not be encoded: {0}")]
pub struct EncodeError(String);

impl From<escpos::errors::PrinterError> for EncodeError {
    fn from(e: escpos::errors::PrinterError) -> Self {
        Self(e.to_string())
    }
}

/// Collects what the command builder writes.
#[derive(Clone, Default)]
struct Buffer(Rc<RefCell<Vec<u8>>>);

impl Driver for Buffer {
    fn name(&self) -> String {
        "memory".into()
    }
    fn write(&self, data: &[u8]) -> escpos::errors::Result<()> {
        self.0.borrow_mut().extend_from_slice(data);
        Ok(())
    }
    fn read(&self, _buf: &mut [u8]) -> escpos::errors::Result<usize> {
        Ok(0)
    }
    fn flush(&self) -> escpos::errors::Result<()> {
        Ok(())
    }
}

/// Whether the printer's built-in font prints `c`: printable ASCII, or a two-byte GB18030 code.
pub fn printer_font_has(c: char) -> bool {
    if c.is_ascii() {
        return !c.is_ascii_control();
    }
    let mut buf = [0u8; 4];
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(c.encode_utf8(&mut buf));
    !unmappable && bytes.len() == 2
}

/// Lines with any character the printer font lacks are drawn; everything else goes as text.
/// (Right-to-left letters are never in the printer font, so a Uyghur line is always drawn, while
/// its number and the Chinese service name still print as text, right-aligned.)
pub fn needs_raster(line: &Line) -> bool {
    !line.text.chars().all(printer_font_has)
}

pub fn encode(receipt: &Receipt, paper: Paper) -> Result<Vec<u8>, EncodeError> {
    let buffer = Buffer::default();
    let mut p = Printer::new(buffer.clone(), Protocol::default(), None);
    let rtl = receipt.lang.is_rtl();
    p.init()?;
    let mut chinese_mode = false;
    for block in &receipt.blocks {
        match block {
            Block::Text(line) if needs_raster(line) => {
                let image = render_line(line, rtl, paper.dots());
                p.justify(JustifyMode::LEFT)?;
                p.custom(&raster_bands(&image))?;
            }
            Block::Text(line) => {
                if !chinese_mode && !line.text.is_ascii() {
                    p.custom(&CHINESE_ON)?;
                    chinese_mode = true;
                }
                p.justify(match (line.align, rtl) {
                    (Align::Start, false) => JustifyMode::LEFT,
                    (Align::Start, true) => JustifyMode::RIGHT,
                    (Align::Center, _) => JustifyMode::CENTER,
                })?;
                p.bold(line.bold)?.size(line.size as u8, line.size as u8)?;
                let columns = paper.columns() / line.size as usize;
                for row in wrap(&line.text, columns) {
                    let (bytes, _, _) = encoding_rs::GB18030.encode(&row);
                    p.custom(&bytes)?.custom(&[LF])?;
                }
                p.bold(false)?.reset_size()?;
            }
            Block::Qr(data) => {
                // The crate defaults to model 1, which current printers reject.
                let module = if paper == Paper::Mm58 { 6 } else { 8 };
                let option = QRCodeOption::new(QRCodeModel::Model2, module, QRCodeCorrectionLevel::M);
                p.justify(JustifyMode::CENTER)?.qrcode_option(data, option)?;
                p.custom(&[LF])?;
            }
            Block::Rule => {
                p.justify(JustifyMode::LEFT)?;
                p.custom("-".repeat(paper.columns()).as_bytes())?.custom(&[LF])?;
            }
            Block::Feed(n) => {
                p.feeds(*n)?;
            }
        }
    }
    if chinese_mode {
        p.custom(&CHINESE_OFF)?;
    }
    p.feeds(3)?.cut()?.print()?;
    drop(p);
    Ok(buffer.0.take())
}

/// Display columns of `c` in the printer font: CJK and other double-byte characters take two.
fn columns_of(c: char) -> usize {
    if c.is_ascii() { 1 } else { 2 }
}

/// Breaks printer-font text into rows of at most `columns`: at spaces where there are any,
/// between any two double-byte characters otherwise.
pub fn wrap(text: &str, columns: usize) -> Vec<String> {
    let columns = columns.max(2);
    let mut rows = Vec::new();
    let mut row = String::new();
    let mut used = 0;
    for word in split_keep_spaces(text) {
        let width: usize = word.chars().map(columns_of).sum();
        if used + width > columns && !row.is_empty() {
            rows.push(row.trim_end().to_owned());
            row.clear();
            used = 0;
            if word.trim().is_empty() {
                continue;
            }
        }
        if width > columns {
            for c in word.chars() {
                if used + columns_of(c) > columns {
                    rows.push(std::mem::take(&mut row));
                    used = 0;
                }
                row.push(c);
                used += columns_of(c);
            }
        } else {
            row.push_str(word);
            used += width;
        }
    }
    if !row.trim().is_empty() || rows.is_empty() {
        rows.push(row.trim_end().to_owned());
    }
    rows
}

/// Splits into words, each followed by its spaces; every double-byte character is its own word
/// (Chinese breaks between characters).
fn split_keep_spaces(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev_space = false;
    for (i, c) in text.char_indices() {
        let boundary = (prev_space && c != ' ') || !c.is_ascii();
        if boundary && i > start {
            out.push(&text[start..i]);
            start = i;
        }
        if !c.is_ascii() {
            let end = i + c.len_utf8();
            out.push(&text[start..end]);
            start = end;
            prev_space = false;
            continue;
        }
        prev_space = c == ' ';
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// `GS L` (left margin) and `GS v 0` (raster bit image) commands for a drawn line, cropped to the
/// columns with ink so a short line costs few bytes; blank rows above and below are dropped.
pub fn raster_bands(image: &Coverage) -> Vec<u8> {
    let rows: Vec<u32> = (0..image.height).filter(|&y| row_has_ink(image, y)).collect();
    let (Some(&top), Some(&bottom)) = (rows.first(), rows.last()) else {
        return vec![LF];
    };
    let columns: Vec<u32> = (0..image.width)
        .filter(|&x| (top..=bottom).any(|y| image.ink(x, y)))
        .collect();
    let left = columns.first().map_or(0, |x| x / 8 * 8);
    let right = columns
        .last()
        .map_or(8, |x| (x / 8 + 1) * 8)
        .min(image.width.div_ceil(8) * 8);
    let width_bytes = (right - left) / 8;
    // A little space above and below, as printer-font lines have.
    let top = top.saturating_sub(3);
    let bottom = (bottom + 3).min(image.height - 1);
    let mut out = Vec::new();
    out.extend_from_slice(&[0x1D, b'L', (left & 0xFF) as u8, (left >> 8) as u8]);
    let mut y = top;
    while y <= bottom {
        let band = (bottom + 1 - y).min(BAND_ROWS);
        out.extend_from_slice(&[
            0x1D,
            b'v',
            b'0',
            0,
            (width_bytes & 0xFF) as u8,
            (width_bytes >> 8) as u8,
            (band & 0xFF) as u8,
            (band >> 8) as u8,
        ]);
        for row in y..y + band {
            for byte in 0..width_bytes {
                let mut bits = 0u8;
                for bit in 0..8 {
                    let x = left + byte * 8 + bit;
                    if x < image.width && image.ink(x, row) {
                        bits |= 0x80 >> bit;
                    }
                }
                out.push(bits);
            }
        }
        y += band;
    }
    out.extend_from_slice(&[0x1D, b'L', 0, 0]);
    out
}

fn row_has_ink(image: &Coverage, y: u32) -> bool {
    (0..image.width).any(|x| image.ink(x, y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printer_font_covers_gbk_but_not_uyghur() {
        assert!(printer_font_has('A'));
        assert!(printer_font_has('法'));
        assert!(printer_font_has('·'));
        assert!(!printer_font_has('ئ'));
        assert!(!printer_font_has('\u{1F600}'));
        assert!(!printer_font_has('\n'));
    }

    #[test]
    fn wraps_latin_at_spaces_and_chinese_anywhere() {
        assert_eq!(wrap("one two three", 8), vec!["one two", "three"]);
        assert_eq!(wrap("法律援助中心", 8), vec!["法律援助", "中心"]);
        assert_eq!(wrap("People ahead of you: 3", 48), vec!["People ahead of you: 3"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        for row in wrap("请携带身份证或居住证 and papers about your matter", 10) {
            assert!(row.chars().map(columns_of).sum::<usize>() <= 10, "{row}");
        }
    }

    #[test]
    fn raster_band_has_the_declared_size() {
        let mut image = Coverage::blank(64, 10);
        for x in 16..24 {
            image.pixels[(5 * 64 + x) as usize] = 255;
        }
        let bytes = raster_bands(&image);
        assert_eq!(&bytes[..4], &[0x1D, b'L', 16, 0]);
        assert_eq!(&bytes[4..8], &[0x1D, b'v', b'0', 0]);
        let (w, h) = (bytes[8] as usize, bytes[10] as usize);
        assert_eq!(w, 1);
        assert_eq!(h, 7, "the ink row with three rows of space each side");
        assert_eq!(bytes[12..12 + w * h], [0, 0, 0, 0xFF, 0, 0, 0]);
        assert_eq!(&bytes[bytes.len() - 4..], &[0x1D, b'L', 0, 0]);
    }
}
