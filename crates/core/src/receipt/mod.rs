//! Receipts: what a printed ticket or screening summary says (`ticket`, `screening`), and how it
//! becomes ESC/POS bytes (`encode`) — printer-font GB18030 text where the printer can show it,
//! shaped raster bands (`raster`) where it cannot. `preview` draws the same receipt as pixels.
//! Pure: nothing here opens a device or a file.

pub mod encode;
pub mod preview;
pub mod raster;
pub mod screening;
pub mod ticket;

use crate::lang::Lang;

/// Paper roll width. Printable widths are the common 80 mm and 58 mm mechanisms at 203 dpi.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    Mm58,
    Mm80,
}

impl Paper {
    pub fn from_mm(mm: u32) -> Option<Self> {
        match mm {
            58 => Some(Self::Mm58),
            80 => Some(Self::Mm80),
            _ => None,
        }
    }

    /// Printable dots per line.
    pub fn dots(self) -> u32 {
        match self {
            Self::Mm58 => 384,
            Self::Mm80 => 576,
        }
    }

    /// Characters per line in the printer's 12×24 font A (a CJK character takes two).
    pub fn columns(self) -> usize {
        (self.dots() / 12) as usize
    }
}

/// Character magnification (`GS !`), width and height alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    Normal = 1,
    Double = 2,
    Triple = 3,
    Huge = 4,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Left for left-to-right languages, right for Uyghur.
    Start,
    Center,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub size: Size,
    pub align: Align,
    pub bold: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Text(Line),
    /// A QR code (model 2) carrying this text.
    Qr(String),
    /// A full-width dashed rule.
    Rule,
    /// Blank lines.
    Feed(u8),
}

/// A receipt in one language, ready to encode; every receipt ends with a cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub lang: Lang,
    pub blocks: Vec<Block>,
}

impl Receipt {
    pub fn new(lang: Lang) -> Self {
        Self {
            lang,
            blocks: Vec::new(),
        }
    }

    pub fn text(&mut self, text: impl Into<String>, size: Size, align: Align, bold: bool) -> &mut Self {
        self.blocks.push(Block::Text(Line {
            text: text.into(),
            size,
            align,
            bold,
        }));
        self
    }

    /// Ordinary body text, start-aligned.
    pub fn body(&mut self, text: impl Into<String>) -> &mut Self {
        self.text(text, Size::Normal, Align::Start, false)
    }

    pub fn heading(&mut self, text: impl Into<String>) -> &mut Self {
        self.text(text, Size::Normal, Align::Start, true)
    }

    pub fn centered(&mut self, text: impl Into<String>, size: Size, bold: bool) -> &mut Self {
        self.text(text, size, Align::Center, bold)
    }

    pub fn push(&mut self, block: Block) -> &mut Self {
        self.blocks.push(block);
        self
    }

    /// Every text on the receipt, in order (for tests and for reading the receipt aloud).
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Text(l) => Some(l.text.as_str()),
            _ => None,
        })
    }
}

/// A bulleted list item, the bullet on the reading side.
fn bullet(text: &str) -> String {
    format!("· {text}")
}
