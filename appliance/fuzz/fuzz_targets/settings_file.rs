//! Any text as the settings file (and as the daemon's configuration): never a panic, each
//! problem on one line (see `whereflow::fuzz::settings_file`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    // Both files are read as UTF-8 text; other bytes never reach the parser.
    if let Ok(text) = std::str::from_utf8(data) {
        whereflow::fuzz::settings_file(text);
    }
});
