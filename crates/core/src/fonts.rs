//! The fonts bundled in assets/fonts. The screen (Slint) and the receipt raster (parley) both draw
//! with them, so Chinese and Uyghur look the same on every machine and on paper.

pub struct Bundled {
    pub data: &'static [u8],
    /// ISO 15924 scripts this font is the fallback for, in order of preference.
    pub scripts: &'static [[u8; 4]],
    pub bold: bool,
}

pub const FONTS: [Bundled; 6] = [
    Bundled {
        data: include_bytes!("../../../assets/fonts/NotoSans-Regular.ttf"),
        scripts: &[*b"Latn", *b"Zyyy"],
        bold: false,
    },
    Bundled {
        data: include_bytes!("../../../assets/fonts/NotoSans-Bold.ttf"),
        scripts: &[*b"Latn", *b"Zyyy"],
        bold: true,
    },
    Bundled {
        data: include_bytes!("../../../assets/fonts/NotoSansSC-Regular-GB2312.otf"),
        scripts: &[*b"Hani", *b"Zyyy"],
        bold: false,
    },
    Bundled {
        data: include_bytes!("../../../assets/fonts/NotoSansSC-Bold-GB2312.otf"),
        scripts: &[*b"Hani", *b"Zyyy"],
        bold: true,
    },
    Bundled {
        data: include_bytes!("../../../assets/fonts/NotoSansArabic-Regular.ttf"),
        scripts: &[*b"Arab"],
        bold: false,
    },
    Bundled {
        data: include_bytes!("../../../assets/fonts/NotoSansArabic-Bold.ttf"),
        scripts: &[*b"Arab"],
        bold: true,
    },
];

/// Family names of the bundled fonts, in the order text falls back through them.
pub const FAMILIES: &str = "Noto Sans, Noto Sans CJK SC, Noto Sans Arabic";
