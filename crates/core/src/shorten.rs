//! Echoing input back in a message without echoing a 50 MB string.

/// At most `max` characters of `text`, marked (with the full length) when cut.
pub fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}… ({} bytes in all)", &text[..cut], text.len()),
        None => text.to_owned(),
    }
}

/// The length an echoed value is cut to in messages.
pub const ECHO: usize = 60;

/// A value typed or sent by someone else, as a message quotes it: at most `ECHO` characters.
pub fn echo(text: &str) -> String {
    excerpt(text, ECHO)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_cut_long_text_on_a_character_boundary() {
        assert_eq!(excerpt("short", 10), "short");
        let long = "法".repeat(100);
        let cut = excerpt(&long, 5);
        assert!(cut.starts_with("法法法法法…"), "{cut}");
        assert!(cut.contains("300 bytes"), "{cut}");
    }
}
