//! Diagnostics: one problem found by the checks, naming where it is and how bad it
//! is. The one diagnostic type of every terrane crate.

use std::fmt;

/// How bad a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Stops the synth: nothing is written.
    #[default]
    Error,
    /// Printed, but the synth goes on and writes its output.
    Warning,
}

/// One problem found before anything is written.
///
/// Displayed as `error: [target/stack] address: field: message` (or `warning: ...`),
/// leaving out the parts that do not apply. The location is free-form, so every
/// layer names its own: a Terraform stack and block address, or a Kubernetes
/// overlay (`stack("k8s/production")`) and object
/// (`address("payments/Deployment/api")`).
///
/// ```
/// use terrane_core::Diagnostic;
/// let d = Diagnostic::new("min above max")
///     .target("prod")
///     .stack("services")
///     .address("google_cloud_run_v2_service.api")
///     .field("template.scaling.min_instance_count");
/// assert_eq!(
///     d.to_string(),
///     "error: [prod/services] google_cloud_run_v2_service.api: template.scaling.min_instance_count: min above max"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Target name, filled in by the app when the stack is synthesized.
    pub target: Option<String>,
    /// Stack name.
    pub stack: Option<String>,
    /// Terraform address (`aws_vpc.main`, `var.region`, `output.url`) or object name.
    pub address: Option<String>,
    /// Argument path inside the block (`vpc_config.subnet_ids`).
    pub field: Option<String>,
    /// What is wrong, and where it helps, what to do.
    pub message: String,
    /// Whether it stops the synth.
    pub severity: Severity,
}

impl Diagnostic {
    /// An error with only a message; add the location with the setters.
    pub fn new(message: impl Into<String>) -> Self {
        Diagnostic {
            target: None,
            stack: None,
            address: None,
            field: None,
            message: message.into(),
            severity: Severity::Error,
        }
    }
    /// A warning with only a message: printed, but the synth still writes.
    ///
    /// ```
    /// use terrane_core::Diagnostic;
    /// let d = Diagnostic::warning("no PodDisruptionBudget")
    ///     .stack("k8s/production")
    ///     .address("payments/Deployment/api");
    /// assert!(!d.is_error());
    /// assert_eq!(d.to_string(), "warning: [k8s/production] payments/Deployment/api: no PodDisruptionBudget");
    /// ```
    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::new(message)
        }
    }
    /// True when this diagnostic stops the synth.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
    /// Sets the target name.
    pub fn target(mut self, t: impl Into<String>) -> Self {
        self.target = Some(t.into());
        self
    }
    /// Sets the stack name.
    pub fn stack(mut self, s: impl Into<String>) -> Self {
        self.stack = Some(s.into());
        self
    }
    /// Sets the address.
    pub fn address(mut self, a: impl Into<String>) -> Self {
        self.address = Some(a.into());
        self
    }
    /// Sets the field path.
    pub fn field(mut self, f: impl Into<String>) -> Self {
        let f = f.into();
        self.field = if f.is_empty() { None } else { Some(f) };
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.severity {
            Severity::Error => "error: ",
            Severity::Warning => "warning: ",
        })?;
        match (&self.target, &self.stack) {
            (Some(t), Some(s)) => write!(f, "[{t}/{s}] ")?,
            (Some(t), None) => write!(f, "[{t}] ")?,
            (None, Some(s)) => write!(f, "[{s}] ")?,
            (None, None) => {}
        }
        if let Some(a) = &self.address {
            write!(f, "{a}: ")?;
        }
        if let Some(fl) = &self.field {
            write!(f, "{fl}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// All problems found by one synth, reported together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// The problems, in the order found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }
    /// How many problems.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The messages as lines, for tests and the CLI.
    pub fn lines(&self) -> Vec<String> {
        self.0.iter().map(|d| d.to_string()).collect()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        // Warnings travel with the errors that stopped the synth; only errors count.
        let errors = self.0.iter().filter(|d| d.is_error()).count();
        write!(
            f,
            "{} problem{} found; nothing was written",
            errors,
            if errors == 1 { "" } else { "s" }
        )
    }
}
