//! A picture of a receipt as it comes out of the printer (for the file printer and for people
//! checking layouts). Drawn (raster) lines are exactly what is sent; printer-font lines are broken
//! into the same rows the printer gets (`encode::wrap`) and drawn with the bundled fonts, which
//! approximate the printer's own.

use super::encode::{needs_raster, wrap};
use super::raster::{BASE_FONT_DOTS, Coverage, render_line};
use super::{Block, Paper, Receipt};

const MARGIN: u32 = 16;

pub fn render(receipt: &Receipt, paper: Paper) -> Coverage {
    let width = paper.dots();
    let line_dots = (BASE_FONT_DOTS * 1.25).round() as u32;
    let mut parts: Vec<Coverage> = vec![Coverage::blank(width, MARGIN)];
    for block in &receipt.blocks {
        match block {
            Block::Text(line) if needs_raster(line) => {
                parts.push(render_line(line, receipt.lang.is_rtl(), width))
            }
            Block::Text(line) => {
                for row in wrap(&line.text, paper.columns() / line.size as usize) {
                    let row = super::Line {
                        text: row,
                        ..line.clone()
                    };
                    parts.push(render_line(&row, receipt.lang.is_rtl(), width));
                }
            }
            Block::Qr(data) => parts.push(qr(data, width, if paper == Paper::Mm58 { 6 } else { 8 })),
            Block::Rule => {
                let mut rule = Coverage::blank(width, line_dots);
                let y = line_dots / 2;
                for x in (0..width).filter(|x| x % 12 < 8) {
                    rule.pixels[(y * width + x) as usize] = 255;
                }
                parts.push(rule);
            }
            Block::Feed(n) => parts.push(Coverage::blank(width, line_dots * u32::from(*n))),
        }
    }
    parts.push(Coverage::blank(width, MARGIN));
    stack(&parts, width)
}

fn qr(data: &str, width: u32, module: u32) -> Coverage {
    let Ok(code) = qrcode::QrCode::new(data.as_bytes()) else {
        return Coverage::blank(width, module);
    };
    let n = code.width() as u32;
    let colors = code.to_colors();
    let quiet = 2 * module;
    let size = n * module + 2 * quiet;
    let left = width.saturating_sub(size) / 2;
    let mut out = Coverage::blank(width, size);
    for (i, color) in colors.iter().enumerate() {
        if *color != qrcode::Color::Dark {
            continue;
        }
        let (cx, cy) = (i as u32 % n, i as u32 / n);
        for dy in 0..module {
            for dx in 0..module {
                let (x, y) = (left + quiet + cx * module + dx, quiet + cy * module + dy);
                if x < width {
                    out.pixels[(y * width + x) as usize] = 255;
                }
            }
        }
    }
    out
}

fn stack(parts: &[Coverage], width: u32) -> Coverage {
    let height = parts.iter().map(|p| p.height).sum();
    let mut out = Coverage::blank(width, height);
    let mut offset = 0usize;
    for part in parts {
        out.pixels[offset..offset + part.pixels.len()].copy_from_slice(&part.pixels);
        offset += part.pixels.len();
    }
    out
}

/// The picture as a greyscale PNG (ink dark on white paper).
pub fn to_png(image: &Coverage) -> Result<Vec<u8>, png::EncodingError> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, image.width, image.height);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    let paper: Vec<u8> = image.pixels.iter().map(|a| 255 - a).collect();
    writer.write_image_data(&paper)?;
    writer.finish()?;
    Ok(bytes)
}
