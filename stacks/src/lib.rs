//! The reference infrastructure as stack programs: every target `terrane` can
//! synthesize. `app()` registers them; each target is built only when asked for.

use terrane_core::App;

pub mod aws_platform;
pub mod gcp_platform;

/// All targets of the project.
pub fn app() -> App {
    let mut app = App::new();
    gcp_platform::register(&mut app);
    aws_platform::register(&mut app);
    app
}
