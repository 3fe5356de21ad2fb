//! Compiles the Slint UI with its bundled translations. Debug info is kept so that tests (and
//! accessibility tools) can find elements by id.

fn main() {
    // Relative relocations packed (DT_RELR, binutils 2.38+ and glibc 2.36+, as on Debian 12): the
    // loader applies the program's 116 000 pointer fix-ups from a few kilobytes instead of reading
    // a 2.7 MB table at every start.
    println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    let config = slint_build::CompilerConfiguration::new()
        .with_bundled_translations("assets/lang")
        .with_default_translation_context(slint_build::DefaultTranslationContext::None)
        .with_debug_info(true)
        .with_style("fluent".into());
    if let Err(e) = slint_build::compile_with_config("ui/main.slint", config) {
        panic!("the Slint UI does not compile: {e}");
    }
}
