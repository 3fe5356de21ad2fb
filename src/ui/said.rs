//! Words a screen shows that the guide also says by itself, when they appear (a refusal, a print
//! result). Each is the msgid of an `@tr()` string of the screen named beside it, so the visitor
//! hears what they read; `tests/integration/translations.rs` fails when one no longer is (the screen's words
//! were edited and these were not).

/// ui/screens/priority.slint
pub(super) const NO_TICKET: &str = "Sorry, no ticket could be issued. Please ask staff at a counter.";
/// ui/screens/priority.slint
pub(super) const QUEUE_NOT_ANSWERING: &str =
    "The queue system is not answering right now. Please ask staff at a counter for a number.";
/// ui/screens/confirmation.slint
pub(super) const TAKE_YOUR_TICKET: &str = "Take your ticket from the slot below.";
/// ui/screens/confirmation.slint
pub(super) const NOT_PRINTED: &str =
    "The ticket could not be printed. Please write down your number; it is still valid.";
/// ui/screens/wizard.slint
pub(super) const HOUSEHOLD_RANGE: &str = "Please enter a number from 1 to 30.";
/// ui/screens/wizard.slint
pub(super) const ENTER_AMOUNT: &str = "Please enter an amount.";
/// ui/screens/preapp.slint
pub(super) const PHONE_FORM: &str =
    "Please enter a mobile number (11 digits) or a landline number with its area code.";
/// ui/screens/preapp.slint
pub(super) const ID_SHAPE: &str = "An ID number has 18 characters: 17 digits and a last digit or X.";
/// ui/screens/preapp.slint
pub(super) const ID_BIRTH_DATE: &str =
    "The date of birth in this ID number is not a real date. Please check it.";
/// ui/screens/preapp.slint
pub(super) const ID_CHECK_DIGIT: &str = "This ID number is not valid. Please check each digit.";
