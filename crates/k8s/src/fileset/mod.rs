//! `Manifests` as a terrane-core [`FileSet`]: written to `out/<target>/k8s/` by synth,
//! with Terraform expressions exported as outputs of their stacks.

use terrane_core::{FileSet, FileSetContext};

use crate::error::Error;
use crate::manifests::Manifests;
use crate::render::RenderOptions;

/// The folder under `out/<target>/` that holds the manifests.
pub const K8S_DIR: &str = "k8s";

impl FileSet for Manifests {
    fn dir(&self) -> &str {
        K8S_DIR
    }

    fn render(
        &self,
        ctx: &mut FileSetContext<'_>,
    ) -> Result<Vec<(String, String)>, Vec<terrane_core::Diagnostic>> {
        let options = RenderOptions {
            target: ctx.target().to_string(),
            // outputs read by name must be declared by a stack of this target
            terraform_outputs: Some(ctx.declared_outputs().clone()),
        };
        let mut export = |e: &terrane_core::Expr<String>| ctx.terraform_output(e);
        match self.render_exporting(&options, &mut export) {
            Ok(files) => Ok(files.into_iter().collect()),
            Err(Error::Checks(d)) => Err(d.0),
            Err(e) => Err(vec![terrane_core::Diagnostic::new(e.to_string())
                .target(options.target)
                .stack(K8S_DIR)]),
        }
    }

    /// The cross-layer coherence rules ([`crate::coherence`]), holding the objects
    /// each overlay deploys.
    fn rules(&self) -> Vec<Box<dyn terrane_core::Rule>> {
        crate::coherence::rules(self)
    }
}

#[cfg(test)]
mod tests;
