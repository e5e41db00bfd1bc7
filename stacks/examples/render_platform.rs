//! Renders the reference Kubernetes platform (src/k8s_platform.rs) into a directory,
//! for `.ci/k8s.sh`: `cargo run -p terrane-stacks --example render_platform -- OUT_DIR`.

use terrane_stacks::k8s_platform;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .ok_or("usage: render_platform OUT_DIR")?;
    let files = k8s_platform::manifests(&k8s_platform::PlatformInputs::named_outputs())
        .render("eks-prod")?;
    terrane_k8s::write_files(std::path::Path::new(&dir), &files)?;
    println!("wrote {} files to {dir}", files.len());
    Ok(())
}
