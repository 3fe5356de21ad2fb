//! The bundled fonts (assets/fonts), registered with Slint's font collection as the fallbacks for
//! their scripts, so Chinese and Uyghur render the same on every machine — including ones with
//! no CJK or Arabic fonts installed, where Slint would otherwise drop the characters silently.

use crate::fonts::FONTS;
use slint::fontique_011::fontique::{Blob, FallbackKey, Script};
use std::sync::{Arc, Once};

/// Opens the windowing backend (the one `SLINT_BACKEND` names, else the default) and registers
/// the bundled fonts: an error, not a panic, when there is no display to open.
pub fn start_windowing() -> Result<(), slint::PlatformError> {
    slint::BackendSelector::new().select()?;
    register_bundled_fonts();
    Ok(())
}

/// Registers the bundled fonts once per process. Must run before the first window is shown, on a
/// platform already chosen (the font collection is the platform's; without one Slint panics).
pub fn register_bundled_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let mut collection = slint::fontique_011::shared_collection();
        for font in &FONTS {
            let families = collection.register_fonts(Blob::new(Arc::new(font.data)), None);
            if families.is_empty() {
                tracing::error!("a bundled font could not be read; text in its script may be missing");
                continue;
            }
            for script in font.scripts {
                let key = FallbackKey::new(Script::from_bytes(*script), None);
                collection.append_fallbacks(key, families.iter().map(|f| f.0));
            }
        }
    });
}
