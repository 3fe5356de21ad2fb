//! Navigation and session rules, kept out of the .slint files so they are unit-tested.

use super::Screen;

/// Where the Back key leads from each screen.
pub fn back_target(from: Screen) -> Screen {
    match from {
        Screen::Priority => Screen::Service,
        Screen::PreappPhone => Screen::WizardResult,
        Screen::PreappId => Screen::PreappPhone,
        Screen::PreappConsent => Screen::PreappId,
        // Once a ticket exists, Back must not offer to take it again.
        Screen::Confirmation | Screen::OutOfService | Screen::PreappDone => from,
        _ => Screen::Home,
    }
}

/// The neutral state a session wipe returns to. Everything the visitor could change is here,
/// but the volume: the terminal's default volume is set by a technician (`Guide::default_volume`).
#[derive(Debug, Clone, PartialEq)]
pub struct SessionDefaults {
    pub language: crate::lang::Lang,
    pub large_text: bool,
    pub high_contrast: bool,
    pub audio_guide: bool,
    pub sign_video: bool,
    pub low_reach: bool,
}

impl Default for SessionDefaults {
    fn default() -> Self {
        Self {
            language: crate::lang::Lang::ZhCn,
            large_text: false,
            high_contrast: false,
            audio_guide: true,
            sign_video: false,
            low_reach: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_never_leaves_a_ticket_screen_for_the_ticket_flow() {
        assert_eq!(back_target(Screen::Priority), Screen::Service);
        assert_eq!(back_target(Screen::Service), Screen::Home);
        assert_eq!(back_target(Screen::Confirmation), Screen::Confirmation);
        assert_eq!(back_target(Screen::Help), Screen::Home);
        assert_eq!(back_target(Screen::PreappConsent), Screen::PreappId);
        assert_eq!(
            back_target(Screen::PreappDone),
            Screen::PreappDone,
            "sent is sent"
        );
    }
}
