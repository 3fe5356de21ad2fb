//! Where the files shipped beside the terminal are (the voice packs, the sign-language pack), in
//! one order, so an installed or copied binary finds them and a build tree does too:
//!
//! 1. `KIOSK_ASSETS`, when set (a technician's override);
//! 2. `<prefix>/share/legal-aid-kiosk/assets` for an executable in `<prefix>/bin` (the Debian
//!    package: `/usr/bin/kiosk` and `/usr/share/legal-aid-kiosk/assets`);
//! 3. an `assets` folder beside the executable or up to three folders above it (a cargo build:
//!    `target/debug/kiosk` finds the source tree's `assets`).
//!
//! The first that is a folder wins. Fonts, translations and the shipped policy are compiled into
//! the binary and need none of this.

use std::path::{Path, PathBuf};

/// The environment variable that overrides the search.
pub const ENV: &str = "KIOSK_ASSETS";

/// Where the package installs the assets, relative to the prefix.
const SHARE: &str = "share/legal-aid-kiosk/assets";

/// The places looked at, in order, for an executable at `exe` and an override `env`.
pub fn candidates(exe: &Path, env: Option<PathBuf>) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = env.into_iter().collect();
    let Some(bin) = exe.parent() else { return out };
    if let Some(prefix) = bin.parent() {
        out.push(prefix.join(SHARE));
    }
    out.extend(bin.ancestors().take(4).map(|dir| dir.join("assets")));
    out
}

/// The assets folder, or None when no candidate exists.
pub fn dir() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let env = std::env::var_os(ENV).map(PathBuf::from);
    candidates(&exe, env).into_iter().find(|c| c.is_dir())
}

/// A shipped sub-folder (`voice`, `media`); when no assets folder is found, where the package
/// would have put it, so a message names a real place to look.
pub fn shipped(sub: &str) -> PathBuf {
    dir().unwrap_or_else(|| Path::new("/usr").join(SHARE)).join(sub)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_override_then_the_package_then_the_build_tree() {
        let c = candidates(Path::new("/usr/bin/kiosk"), Some(PathBuf::from("/srv/assets")));
        assert_eq!(c[0], Path::new("/srv/assets"));
        assert_eq!(c[1], Path::new("/usr/share/legal-aid-kiosk/assets"));
        assert_eq!(c[2], Path::new("/usr/bin/assets"));

        let c = candidates(Path::new("/home/dev/kiosk/target/debug/kiosk"), None);
        assert_eq!(
            c[0],
            Path::new("/home/dev/kiosk/target/share/legal-aid-kiosk/assets")
        );
        assert!(c.contains(&PathBuf::from("/home/dev/kiosk/assets")), "{c:?}");
        assert_eq!(c.len(), 5, "the package place and four folders upwards: {c:?}");
    }
}
