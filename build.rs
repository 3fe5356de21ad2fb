//! Compiles the Slint UI with its bundled translations. Debug info is kept so that tests (and
//! accessibility tools) can find elements by id.

fn main() {
    let config = slint_build::CompilerConfiguration::new()
        .with_bundled_translations("assets/lang")
        .with_default_translation_context(slint_build::DefaultTranslationContext::None)
        .with_debug_info(true)
        .with_style("fluent".into());
    if let Err(e) = slint_build::compile_with_config("ui/main.slint", config) {
        panic!("the Slint UI does not compile: {e}");
    }
}
