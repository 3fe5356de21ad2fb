//! Text the printer's own font cannot show (Uyghur, any right-to-left or unmapped character) is
//! laid out and shaped with the bundled fonts (parley: bidi, shaping, line breaking) and drawn
//! with swash into a coverage bitmap the width of the paper. `encode` thresholds it into `GS v 0`
//! bands; `preview` uses it for every line.

use super::{Align, Line};
use crate::fonts::{FAMILIES, FONTS};
use parley::fontique::{Blob, Collection, CollectionOptions};
use parley::{
    Alignment, AlignmentOptions, FontContext, FontFamily, FontWeight, LayoutContext, LineHeight,
    PositionedLayoutItem, StyleProperty,
};
use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::Arc;
use swash::FontRef;
use swash::scale::{Render, ScaleContext, Source};
use swash::zeno::Format;

/// Font size, in dots, of normal receipt text: matches the printer's 24-dot font.
pub const BASE_FONT_DOTS: f32 = 22.0;

/// An 8-bit coverage image: 0 is paper, 255 is full ink.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
}

impl Coverage {
    pub fn blank(width: u32, height: u32) -> Self {
        Self {
            width,
            height,
            pixels: vec![0; (width * height) as usize],
        }
    }

    /// Whether the dot at (x, y) prints when thresholded at half coverage.
    pub fn ink(&self, x: u32, y: u32) -> bool {
        self.pixels[(y * self.width + x) as usize] >= 128
    }

    fn blend(&mut self, x: i32, y: i32, alpha: u8) {
        if x < 0 || y < 0 || x >= self.width as i32 || y >= self.height as i32 {
            return;
        }
        let p = &mut self.pixels[(y as u32 * self.width + x as u32) as usize];
        *p = (*p).max(alpha);
    }
}

struct TextRenderer {
    fonts: FontContext,
    layout: LayoutContext<()>,
    scale: ScaleContext,
}

impl TextRenderer {
    fn new() -> Self {
        // No system fonts: paper looks the same on every terminal.
        let mut collection = Collection::new(CollectionOptions {
            shared: false,
            system_fonts: false,
        });
        for font in &FONTS {
            collection.register_fonts(Blob::new(Arc::new(font.data)), None);
        }
        Self {
            fonts: FontContext {
                collection,
                source_cache: Default::default(),
            },
            layout: LayoutContext::new(),
            scale: ScaleContext::new(),
        }
    }

    fn render(&mut self, line: &Line, rtl: bool, width: u32) -> Coverage {
        let size = BASE_FONT_DOTS * line.size as u32 as f32;
        let mut builder = self.layout.ranged_builder(&mut self.fonts, &line.text, 1.0, true);
        builder.push_default(StyleProperty::FontFamily(FontFamily::Source(Cow::Borrowed(
            FAMILIES,
        ))));
        builder.push_default(StyleProperty::FontSize(size));
        builder.push_default(StyleProperty::LineHeight(LineHeight::FontSizeRelative(1.25)));
        if line.bold {
            builder.push_default(StyleProperty::FontWeight(FontWeight::BOLD));
        }
        let mut layout = builder.build(&line.text);
        layout.break_all_lines(Some(width as f32));
        let alignment = match (line.align, rtl) {
            (Align::Center, _) => Alignment::Center,
            (Align::Start, false) => Alignment::Left,
            (Align::Start, true) => Alignment::Right,
        };
        layout.align(alignment, AlignmentOptions::default());
        let height = layout.height().ceil().max(1.0) as u32;
        let mut out = Coverage::blank(width, height);
        for text_line in layout.lines() {
            for item in text_line.items() {
                let PositionedLayoutItem::GlyphRun(run) = item else {
                    continue;
                };
                let font = run.run().font();
                let Some(font_ref) = FontRef::from_index(font.data.as_ref(), font.index as usize) else {
                    continue;
                };
                let mut scaler = self
                    .scale
                    .builder(font_ref)
                    .size(run.run().font_size())
                    .normalized_coords(run.run().normalized_coords())
                    .hint(true)
                    .build();
                for glyph in run.positioned_glyphs() {
                    let Ok(id) = u16::try_from(glyph.id) else { continue };
                    let Some(image) = Render::new(&[Source::Outline])
                        .format(Format::Alpha)
                        .render(&mut scaler, id)
                    else {
                        continue;
                    };
                    let left = glyph.x.round() as i32 + image.placement.left;
                    let top = glyph.y.round() as i32 - image.placement.top;
                    let w = image.placement.width as i32;
                    for (i, alpha) in image.data.iter().enumerate() {
                        let i = i as i32;
                        out.blend(left + i % w, top + i / w, *alpha);
                    }
                }
            }
        }
        out
    }
}

thread_local! {
    static RENDERER: RefCell<Option<TextRenderer>> = const { RefCell::new(None) };
}

/// Lays out and draws one receipt line, wrapped to `width` dots; right-aligned when `rtl`.
pub fn render_line(line: &Line, rtl: bool, width: u32) -> Coverage {
    RENDERER.with(|cell| {
        let mut slot = cell.borrow_mut();
        slot.get_or_insert_with(TextRenderer::new)
            .render(line, rtl, width)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::receipt::Size;

    fn line(text: &str, align: Align) -> Line {
        Line {
            text: text.into(),
            size: Size::Normal,
            align,
            bold: false,
        }
    }

    fn ink_columns(c: &Coverage) -> (u32, u32) {
        let cols: Vec<u32> = (0..c.width)
            .filter(|&x| (0..c.height).any(|y| c.ink(x, y)))
            .collect();
        (cols[0], *cols.last().unwrap())
    }

    #[test]
    fn uyghur_is_drawn_and_sits_on_the_right() {
        let c = render_line(&line("نۆۋىتىڭىز", Align::Start), true, 384);
        let (first, last) = ink_columns(&c);
        assert!(first > 200, "right-aligned text starts at {first}");
        assert!(last > 370);
        assert!(c.height >= 24);
    }

    #[test]
    fn chinese_and_latin_have_glyphs_in_the_bundled_fonts() {
        let c = render_line(&line("法律援助 Legal aid", Align::Start), false, 576);
        let (first, last) = ink_columns(&c);
        assert!(first < 6);
        assert!(last > 150, "text is {last} dots wide");
    }

    #[test]
    fn long_text_wraps_to_the_paper() {
        let one = render_line(&line("word ", Align::Start), false, 384);
        let many = render_line(&line(&"word ".repeat(40), Align::Start), false, 384);
        assert_eq!(many.width, 384);
        assert!(many.height >= one.height * 4);
    }
}
